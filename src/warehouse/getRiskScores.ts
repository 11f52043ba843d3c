import type { Warehouse } from './createWarehouse.js';
import type { RiskScoreRow } from './insertRiskScores.js';
import { queryRows } from './queryRows.js';

/** The current risk scores of a snapshot (only of `addresses` when given), by address. */
export async function getRiskScores(
  warehouse: Warehouse,
  chainId: number,
  snapshotId: string,
  addresses?: readonly string[],
): Promise<RiskScoreRow[]> {
  const rows = await queryRows<Omit<RiskScoreRow, 'scored_at'> & { scored_at: string }>(
    warehouse,
    `SELECT chain_id, snapshot_id, address, score, category, model_version, architecture, scored_snapshot_id,
            toUnixTimestamp64Milli(scored_at) AS scored_at, reasons
     FROM risk_scores
     WHERE chain_id = {chainId:UInt64} AND snapshot_id = {snapshotId:String}
       ${addresses === undefined ? '' : 'AND address IN {addresses:Array(String)}'}
     ORDER BY address`,
    { chainId, snapshotId, ...(addresses === undefined ? {} : { addresses }) },
  );
  return rows.map((row) => ({
    ...row,
    chain_id: Number(row.chain_id),
    model_version: Number(row.model_version),
    scored_at: Number(row.scored_at),
  }));
}
