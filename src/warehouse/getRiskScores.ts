import type { Warehouse } from './createWarehouse.js';
import type { RiskScoreRow } from './insertRiskScores.js';
import { queryRows } from './queryRows.js';

/** A `risk_scores` row as {@link riskScoreColumns} reads it: 64-bit integers and `scored_at` as strings. */
export type StoredRiskScoreRow = Omit<RiskScoreRow, 'chain_id' | 'scored_at'> & {
  chain_id: string | number;
  scored_at: string | number;
};

/** The SELECT list that {@link toRiskScoreRow} converts (`scored_at` in unix milliseconds). */
export const riskScoreColumns = `chain_id, snapshot_id, address, score, category, model_version, architecture,
  scored_snapshot_id, toUnixTimestamp64Milli(scored_at) AS scored_at, reasons`;

/** A row read with {@link riskScoreColumns} as a {@link RiskScoreRow} (numbers as numbers). */
export function toRiskScoreRow(row: StoredRiskScoreRow): RiskScoreRow {
  return {
    ...row,
    chain_id: Number(row.chain_id),
    score: Number(row.score),
    model_version: Number(row.model_version),
    scored_at: Number(row.scored_at),
  };
}

/** The current risk scores of a snapshot (only of `addresses` when given), by address. */
export async function getRiskScores(
  warehouse: Warehouse,
  chainId: number,
  snapshotId: string,
  addresses?: readonly string[],
): Promise<RiskScoreRow[]> {
  const rows = await queryRows<StoredRiskScoreRow>(
    warehouse,
    `SELECT ${riskScoreColumns}
     FROM risk_scores
     WHERE chain_id = {chainId:UInt64} AND snapshot_id = {snapshotId:String}
       ${addresses === undefined ? '' : 'AND address IN {addresses:Array(String)}'}
     ORDER BY address`,
    { chainId, snapshotId, ...(addresses === undefined ? {} : { addresses }) },
  );
  return rows.map(toRiskScoreRow);
}
