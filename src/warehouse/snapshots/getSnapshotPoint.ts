import { NonRetryableError } from '../../internal/errors.js';
import type { SnapshotPoint } from '../../types/graph.js';
import type { Warehouse } from '../createWarehouse.js';
import { queryRows } from '../queryRows.js';

/** Where a snapshot is taken: a block or a time (the last block at or before it), and an optional window. */
export interface SnapshotRequest {
  chainId: number;
  asOfBlock?: number;
  /** Unix seconds. */
  asOfTime?: number;
  /** Only rows of the last `windowDays` days before the as-of point (funding edges still look at all history). */
  windowDays?: number;
}

/**
 * Resolves a request against the indexed blocks: the as-of block (and its time) and the window's first block. A
 * chain without blocks but with imported transactions (a dataset of transaction lists, such as phishing-eth1) is
 * resolved against the blocks its transactions name, with their timestamps.
 */
export async function getSnapshotPoint(
  warehouse: Warehouse,
  request: SnapshotRequest,
): Promise<SnapshotPoint> {
  const { chainId } = request;
  if (request.asOfBlock !== undefined && request.asOfTime !== undefined) {
    throw new NonRetryableError('A snapshot is taken as of a block or as of a time, not both', {
      code: 'SNAPSHOT_POINT_INVALID',
      details: `Got asOfBlock ${request.asOfBlock} and asOfTime ${request.asOfTime}; pass one of them (or neither, for the last indexed block).`,
    });
  }
  const blocks = await getBlockSource(warehouse, chainId);
  const [range] = await queryRows<{ head: string; blocks: string }>(
    warehouse,
    `SELECT max(number) AS head, count() AS blocks FROM ${blocks}`,
    { chainId },
  );
  if (!range || range.blocks === '0') {
    throw new NonRetryableError(`No blocks of chain ${chainId} in the warehouse`, {
      code: 'SNAPSHOT_NO_DATA',
      details:
        'Index the chain first (chaingnn index) or import its transactions (chaingnn import), or pick the chain id that was indexed.',
    });
  }
  const head = Number(range.head);
  let asOfBlock = request.asOfBlock ?? head;
  if (request.asOfTime !== undefined) {
    const [found] = await queryRows<{ number: string; n: string }>(
      warehouse,
      `SELECT max(number) AS number, count() AS n FROM ${blocks}
       WHERE timestamp <= toDateTime({time:UInt32}, 'UTC')`,
      { chainId, time: request.asOfTime },
    );
    if (!found || found.n === '0') {
      throw new NonRetryableError(`No block of chain ${chainId} at or before ${isoTime(request.asOfTime)}`, {
        code: 'SNAPSHOT_POINT_INVALID',
        details: 'Pick a time after the first indexed block.',
      });
    }
    asOfBlock = Number(found.number);
  }
  if (!Number.isInteger(asOfBlock) || asOfBlock < 0 || asOfBlock > head) {
    throw new NonRetryableError(`Cannot take a snapshot as of block ${asOfBlock} of chain ${chainId}`, {
      code: 'SNAPSHOT_POINT_INVALID',
      details: `Expected a block from 0 to ${head}, the last indexed block.`,
    });
  }
  const [at] = await queryRows<{ time: string }>(
    warehouse,
    `SELECT toUnixTimestamp(timestamp) AS time FROM ${blocks} WHERE number = {asOfBlock:UInt64}`,
    { chainId, asOfBlock },
  );
  if (!at) {
    throw new NonRetryableError(`Block ${asOfBlock} of chain ${chainId} is not in the warehouse`, {
      code: 'SNAPSHOT_POINT_INVALID',
      details: 'The indexed range has a gap there; index it, or pick another block.',
    });
  }
  const asOfTime = Number(at.time);
  let fromBlock = 0;
  if (request.windowDays !== undefined) {
    if (!(request.windowDays > 0)) {
      throw new NonRetryableError(`A window of ${request.windowDays} days is empty`, {
        code: 'SNAPSHOT_POINT_INVALID',
        details: 'Expected a positive number of days.',
      });
    }
    // Not `AS number`: the WHERE clause would read the alias, an aggregate, instead of the column.
    const [earliest] = await queryRows<{ first: string }>(
      warehouse,
      `SELECT min(number) AS first FROM ${blocks}
       WHERE number <= {asOfBlock:UInt64} AND timestamp > toDateTime({since:UInt32}, 'UTC')`,
      { chainId, asOfBlock, since: Math.max(0, asOfTime - Math.round(request.windowDays * 86_400)) },
    );
    fromBlock = Number(earliest?.first ?? asOfBlock);
  }
  return { chainId, asOfBlock, asOfTime, fromBlock };
}

/**
 * The chain's blocks as a FROM clause with columns `number` and `timestamp` (bound parameter `chainId`): the
 * `blocks` table, or when the chain has none, the distinct blocks its transactions name.
 */
async function getBlockSource(warehouse: Warehouse, chainId: number): Promise<string> {
  const [indexed] = await queryRows<{ n: string }>(
    warehouse,
    'SELECT count() AS n FROM blocks WHERE chain_id = {chainId:UInt64}',
    { chainId },
  );
  return indexed?.n !== '0'
    ? '(SELECT number, timestamp FROM blocks WHERE chain_id = {chainId:UInt64})'
    : `(SELECT block_number AS number, any(block_timestamp) AS timestamp FROM transactions
        WHERE chain_id = {chainId:UInt64} GROUP BY block_number)`;
}

function isoTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
