import type { Warehouse } from './createWarehouse.js';
import { queryRows } from './queryRows.js';

/** A snapshot with risk scores: which model version scored it, how many addresses, and when. */
export interface RiskScoredSnapshot {
  snapshotId: string;
  asOfBlock: number;
  modelVersion: number;
  addresses: number;
  /** Unix milliseconds of the newest score. */
  scoredAt: number;
}

/**
 * The snapshots of `chainId` with risk scores, newest as-of block first; one entry per snapshot and model
 * version (a snapshot scored by two versions is listed twice, the newest scoring first).
 */
export async function getRiskScoredSnapshots(
  warehouse: Warehouse,
  chainId: number,
): Promise<RiskScoredSnapshot[]> {
  const rows = await queryRows<Record<string, string>>(
    warehouse,
    `SELECT r.snapshot_id AS snapshot_id, any(s.as_of_block) AS as_of_block, r.model_version AS model_version,
            count() AS addresses, toUnixTimestamp64Milli(max(r.scored_at)) AS scored_at
     FROM risk_scores AS r
     INNER JOIN (SELECT snapshot_id, as_of_block FROM graph_snapshots WHERE chain_id = {chainId:UInt64}) AS s
       ON s.snapshot_id = r.snapshot_id
     WHERE r.chain_id = {chainId:UInt64}
     GROUP BY r.snapshot_id, r.model_version
     ORDER BY as_of_block DESC, scored_at DESC`,
    { chainId },
  );
  return rows.map((r) => ({
    snapshotId: r.snapshot_id!,
    asOfBlock: Number(r.as_of_block),
    modelVersion: Number(r.model_version),
    addresses: Number(r.addresses),
    scoredAt: Number(r.scored_at),
  }));
}
