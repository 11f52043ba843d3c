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
 * The snapshots of `chainId` with risk scores, newest as-of block first, each with its current scoring (the
 * newest: a scoring rewrites every address of its snapshot), from `risk_scorings` (a row per scoring, not a
 * scan of the scores).
 */
export async function getRiskScoredSnapshots(
  warehouse: Warehouse,
  chainId: number,
): Promise<RiskScoredSnapshot[]> {
  const rows = await queryRows<Record<string, string>>(
    warehouse,
    `SELECT r.snapshot_id AS snapshot_id, s.as_of_block AS as_of_block, r.model_version AS model_version,
            r.addresses AS addresses, toUnixTimestamp64Milli(r.scored_at) AS scored_at
     FROM risk_scorings AS r
     INNER JOIN (SELECT snapshot_id, as_of_block FROM graph_snapshots WHERE chain_id = {chainId:UInt64}) AS s
       ON s.snapshot_id = r.snapshot_id
     WHERE r.chain_id = {chainId:UInt64}
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
