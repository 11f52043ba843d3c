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

/** The same key as a ClickHouse expression of a row's `chain_id`, `snapshot_id` and `address` columns. */
export const riskScoreLookupKeySql = "concat(toString(chain_id), '/', snapshot_id, '/', address)";

/** The key of a score in `risk_score_lookup`: '<chain_id>/<snapshot_id>/<address>'. */
export function riskScoreLookupKey(chainId: number, snapshotId: string, address: string): string {
  return `${chainId}/${snapshotId}/${address}`;
}

/**
 * Inserts risk scores, `batch` rows per INSERT (default 20,000); a snapshot scored again replaces its rows. Each
 * batch goes to `risk_score_lookup` (without reasons) before `risk_scores`, and the scoring of each snapshot (its
 * newest model version, address count and time) to `risk_scorings` after every batch: a scoring readers learn of
 * is complete, and each of its scores can be looked up.
 */
export async function insertRiskScores(
  warehouse: Warehouse,
  rows: readonly RiskScoreRow[],
  batch = 20_000,
): Promise<void> {
  for (let start = 0; start < rows.length; start += batch) {
    const scores = rows.slice(start, start + batch);
    const lookups = scores.map(({ reasons: _, ...summary }) => ({
      key: riskScoreLookupKey(summary.chain_id, summary.snapshot_id, summary.address),
      ...summary,
    }));
    await warehouse.insert('risk_score_lookup', lookups);
    await warehouse.insert('risk_scores', scores);
  }
  await warehouse.insert('risk_scorings', summarizeScorings(rows));
}

/** One `risk_scorings` row per chain and snapshot in `rows`: the newest row's model version, addresses, newest time. */
function summarizeScorings(rows: readonly RiskScoreRow[]) {
  const scorings = new Map<string, { newest: RiskScoreRow; addresses: Set<string> }>();
  for (const row of rows) {
    const key = `${row.chain_id}/${row.snapshot_id}`;
    const scoring = scorings.get(key);
    if (!scoring) scorings.set(key, { newest: row, addresses: new Set([row.address]) });
    else {
      scoring.addresses.add(row.address);
      if (row.scored_at > scoring.newest.scored_at) scoring.newest = row;
    }
  }
  return [...scorings.values()].map(({ newest, addresses }) => ({
    chain_id: newest.chain_id,
    snapshot_id: newest.snapshot_id,
    model_version: newest.model_version,
    addresses: addresses.size,
    scored_at: newest.scored_at,
  }));
}
