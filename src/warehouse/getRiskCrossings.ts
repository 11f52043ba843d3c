import type { Warehouse } from './createWarehouse.js';
import { riskScoreColumns, type StoredRiskScoreRow, toRiskScoreRow } from './getRiskScores.js';
import type { RiskScoreRow } from './insertRiskScores.js';
import { queryRows } from './queryRows.js';

/** A score that rose to a threshold: the new row and the address's score in the earlier snapshot (null if none). */
export type RiskCrossing = RiskScoreRow & { previous_score: number | null };

/**
 * The addresses scored at least `threshold` in snapshot `snapshotId` that were scored below it, or not at all, in
 * `previousSnapshotId`, highest score first.
 */
export async function getRiskCrossings(
  warehouse: Warehouse,
  query: { chainId: number; snapshotId: string; previousSnapshotId: string; threshold: number },
): Promise<RiskCrossing[]> {
  const rows = await queryRows<StoredRiskScoreRow & { previous_score: number | null }>(
    warehouse,
    `SELECT ${riskScoreColumns}, previous.score AS previous_score
     FROM (SELECT * FROM risk_scores WHERE chain_id = {chainId:UInt64} AND snapshot_id = {snapshotId:String}
                                         AND score >= {threshold:Float64}) AS latest
     LEFT JOIN (SELECT address, score FROM risk_scores
                WHERE chain_id = {chainId:UInt64} AND snapshot_id = {previousSnapshotId:String}) AS previous
       ON previous.address = latest.address
     WHERE previous.score IS NULL OR previous.score < {threshold:Float64}
     ORDER BY score DESC, address
     SETTINGS join_use_nulls = 1`,
    query,
  );
  return rows.map((row) => ({
    ...toRiskScoreRow(row),
    previous_score: row.previous_score === null ? null : Number(row.previous_score),
  }));
}
