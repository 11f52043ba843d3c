import { NonRetryableError } from '../internal/errors.js';
import type { Warehouse } from './createWarehouse.js';
import { riskScoreColumns, type StoredRiskScoreRow, toRiskScoreRow } from './getRiskScores.js';
import type { RiskScoreRow } from './insertRiskScores.js';
import { queryRows } from './queryRows.js';

/** Which page of a snapshot's riskiest addresses to read. */
export interface RiskiestQuery {
  chainId: number;
  snapshotId: string;
  /** How many rows (at most). */
  first: number;
  /** The last row of the previous page: rows strictly after it in (score DESC, address ASC) order. */
  after?: { score: number; address: string } | undefined;
  /** Only addresses whose most likely category is this one. */
  category?: string | undefined;
}

const maxUInt32 = 2 ** 32 - 1;

/** The highest risk scores of a snapshot (of one category when given), score DESC then address, keyset-paged. */
export async function getRiskiest(warehouse: Warehouse, query: RiskiestQuery): Promise<RiskScoreRow[]> {
  const { chainId, snapshotId, first, after, category } = query;
  if (!Number.isInteger(first) || first < 0 || first > maxUInt32) {
    throw new NonRetryableError(`Invalid first ${first} for the riskiest addresses`, {
      code: 'RISK_QUERY_INVALID',
      details: `Expected first as a whole number from 0 to ${maxUInt32}.`,
    });
  }
  if (after !== undefined && !Number.isFinite(after.score)) {
    throw new NonRetryableError(`Invalid after.score ${after.score} for the riskiest addresses`, {
      code: 'RISK_QUERY_INVALID',
      details: 'Expected the score of the last row of the previous page, a finite number.',
    });
  }
  if (first === 0) return [];
  const params: Record<string, unknown> = { chainId, snapshotId, first };
  const where = ['chain_id = {chainId:UInt64}', 'snapshot_id = {snapshotId:String}'];
  if (after !== undefined) {
    Object.assign(params, { afterScore: after.score, afterAddress: after.address });
    where.push(
      '(score < {afterScore:Float64} OR (score = {afterScore:Float64} AND address > {afterAddress:String}))',
    );
  }
  if (category !== undefined) {
    params.category = category;
    where.push('category = {category:String}');
  }
  const rows = await queryRows<StoredRiskScoreRow>(
    warehouse,
    `SELECT ${riskScoreColumns}
     FROM risk_scores FINAL
     WHERE ${where.join(' AND ')}
     ORDER BY score DESC, address
     LIMIT {first:UInt32}`,
    params,
  );
  return rows.map((row) => toRiskScoreRow<RiskScoreRow>(row));
}
