import type { RiskScoreSummary } from '../warehouse/getRiskScores.js';
import type { RiskModel } from './apiModels.js';
import { fromMillis } from './isoTime.js';

/** A `risk_scores` row (its reasons optional) as the API's `Risk`. */
export function toRisk(row: RiskScoreSummary & { reasons?: string[] }): RiskModel {
  return {
    address: row.address,
    score: row.score,
    category: row.category,
    modelVersion: row.model_version,
    architecture: row.architecture,
    snapshotId: row.snapshot_id,
    scoredAt: fromMillis(row.scored_at),
    ...(row.reasons ? { reasons: row.reasons } : {}),
  };
}
