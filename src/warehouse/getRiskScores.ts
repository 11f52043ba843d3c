import type { Warehouse } from './createWarehouse.js';
import { type RiskScoreRow, riskScoreLookupKey } from './insertRiskScores.js';
import { queryRows } from './queryRows.js';
import { sqlString } from './sqlString.js';

/** A `risk_scores` row without its reasons (what a score lookup needs; reasons are the bulk of a row). */
export type RiskScoreSummary = Omit<RiskScoreRow, 'reasons'>;

/** A row as the engine returns it: 64-bit integers and `scored_at` as strings. */
type Stored<T extends RiskScoreSummary> = Omit<T, 'chain_id' | 'scored_at'> & {
  chain_id: string | number;
  scored_at: string | number;
};

/** A `risk_scores` row as {@link riskScoreColumns} reads it. */
export type StoredRiskScoreRow = Stored<RiskScoreRow>;

/** The SELECT list of a {@link RiskScoreSummary} but its chain and snapshot (a lookup asks for one of each). */
const riskLookupColumns = `address, score, category, model_version, architecture, scored_snapshot_id,
  toUnixTimestamp64Milli(scored_at) AS scored_at`;

/** The SELECT list of a {@link RiskScoreSummary} (`scored_at` in unix milliseconds). */
const riskSummaryColumns = `chain_id, snapshot_id, ${riskLookupColumns}`;

/** The SELECT list that {@link toRiskScoreRow} converts. */
export const riskScoreColumns = `${riskSummaryColumns}, reasons`;

/** A row read with {@link riskScoreColumns} (or without its reasons) with numbers as numbers. */
export function toRiskScoreRow<T extends RiskScoreSummary>(row: Stored<T>): T {
  return { ...row, ...toRiskScoreSummary(row, Number(row.chain_id), row.snapshot_id) } as T;
}

/**
 * A summary of `chainId`'s `snapshotId` from a row read with {@link riskLookupColumns}, made field by field (the API
 * converts 1,000 rows a request: object spreads took ~3 µs a row).
 */
function toRiskScoreSummary(
  row: Omit<Stored<RiskScoreSummary>, 'chain_id' | 'snapshot_id'>,
  chainId: number,
  snapshotId: string,
): RiskScoreSummary {
  return {
    chain_id: chainId,
    snapshot_id: snapshotId,
    address: row.address,
    score: Number(row.score),
    category: row.category,
    model_version: Number(row.model_version),
    architecture: row.architecture,
    scored_snapshot_id: row.scored_snapshot_id,
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
  const rows = await readRiskScores<StoredRiskScoreRow>(
    warehouse,
    riskScoreColumns,
    chainId,
    snapshotId,
    addresses,
  );
  return rows.map((row) => toRiskScoreRow<RiskScoreRow>(row));
}

/**
 * {@link getRiskScores} of `addresses` without the reasons, from the `risk_score_lookup` key-value store: it reads
 * only the keys asked, where `risk_scores` would scan every address of the snapshot. The addresses go in the query's
 * text as one string literal, split in the engine: a 1,000-element array parameter took chdb ~6 ms to bind and parse
 * against ~2 ms for the literal, and chdb runs parameterized queries one at a time per process. An address holding
 * the separator (no stored address does) has no score.
 */
export async function getRiskScoreSummaries(
  warehouse: Warehouse,
  chainId: number,
  snapshotId: string,
  addresses: readonly string[],
): Promise<RiskScoreSummary[]> {
  const asked = addresses.filter((address) => !address.includes(','));
  if (asked.length === 0) return [];
  const keyPrefix = riskScoreLookupKey(chainId, snapshotId, '');
  const rows = await queryRows<Omit<Stored<RiskScoreSummary>, 'chain_id' | 'snapshot_id'>>(
    warehouse,
    `SELECT ${riskLookupColumns} FROM risk_score_lookup
     WHERE key IN (SELECT concat(${sqlString(keyPrefix)}, arrayJoin(splitByChar(',', ${sqlString(asked.join(','))}))))
     ORDER BY address`,
  );
  return rows.map((row) => toRiskScoreSummary(row, chainId, snapshotId));
}

/** The reasons of the scores of `addresses` in a snapshot (addresses without a score are left out). */
export async function getRiskReasons(
  warehouse: Warehouse,
  chainId: number,
  snapshotId: string,
  addresses: readonly string[],
): Promise<Pick<RiskScoreRow, 'address' | 'reasons'>[]> {
  return readRiskScores(warehouse, 'address, reasons', chainId, snapshotId, addresses);
}

/** `columns` of a snapshot's current scores (of `addresses` when given), by address. */
function readRiskScores<T>(
  warehouse: Warehouse,
  columns: string,
  chainId: number,
  snapshotId: string,
  addresses?: readonly string[],
): Promise<T[]> {
  return queryRows<T>(
    warehouse,
    `SELECT ${columns}
     FROM risk_scores
     WHERE chain_id = {chainId:UInt64} AND snapshot_id = {snapshotId:String}
       ${addresses === undefined ? '' : 'AND address IN {addresses:Array(String)}'}
     ORDER BY address`,
    { chainId, snapshotId, ...(addresses === undefined ? {} : { addresses }) },
  );
}
