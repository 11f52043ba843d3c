import type { Warehouse } from './createWarehouse.js';

/** A row of `risk_scores` (see schema/clickhouse/015_risk_scores.sql). */
export interface RiskScoreRow {
  chain_id: number;
  snapshot_id: string;
  address: string;
  /** Calibrated probability that the address is malicious, in [0, 1]. */
  score: number;
  category: string;
  model_version: number;
  architecture: string;
  /** The snapshot the score was computed on (an earlier one when carried forward). */
  scored_snapshot_id: string;
  /** Unix milliseconds. */
  scored_at: number;
  reasons: string[];
}

/** The key of a score in `risk_score_lookup`: '<chain_id>/<snapshot_id>/<address>'. */
export function riskScoreLookupKey(chainId: number, snapshotId: string, address: string): string {
  return `${chainId}/${snapshotId}/${address}`;
}

/**
 * Inserts risk scores, `batch` rows per INSERT (default 20,000); a snapshot scored again replaces its rows. The
 * scores go to `risk_score_lookup` (without reasons) first, so a score readable from `risk_scores` can always be
 * looked up.
 */
export async function insertRiskScores(
  warehouse: Warehouse,
  rows: readonly RiskScoreRow[],
  batch = 20_000,
): Promise<void> {
  for (let start = 0; start < rows.length; start += batch) {
    const lookups = rows.slice(start, start + batch).map(({ reasons: _, ...summary }) => ({
      key: riskScoreLookupKey(summary.chain_id, summary.snapshot_id, summary.address),
      ...summary,
    }));
    await warehouse.insert('risk_score_lookup', lookups);
  }
  for (let start = 0; start < rows.length; start += batch) {
    await warehouse.insert('risk_scores', rows.slice(start, start + batch));
  }
}
