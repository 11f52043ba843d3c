import type { Logger } from 'pino';
import { decodeLogs } from '../../chain/decode/decodeLogs.js';
import type { RpcBlock } from '../../chain/decode/rpcTypes.js';
import { detectStandard } from '../../chain/detectStandard.js';
import type { RpcClient } from '../../chain/rpc/createRpcClient.js';
import { toQuantity } from '../../chain/rpc/toQuantity.js';
import { NonRetryableError, RetryableError } from '../../internal/errors.js';
import type { ContractRow, TableRows } from '../../types/tableRows.js';
import { createVersionClock } from '../../utils/createVersionClock.js';
import { keccak256Hex } from '../../utils/keccak256.js';
import {
  type Checkpoint,
  getBlockHashes,
  getCheckpoint,
  getCheckpoints,
  setCheckpoint,
} from '../../warehouse/checkpoints.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { type blockScopedTables, deleteBlocksAbove } from '../../warehouse/deleteBlocksAbove.js';
import { insertRows } from '../../warehouse/insertRows.js';
import {
  createBatchSource,
  type DecodedBatch,
  type FetchedBatch,
  type IndexMode,
} from './createBatchSource.js';
import { createPoolRegistry } from './createPoolRegistry.js';

/** Options for {@link runIndexer}. */
export interface IndexerOptions {
  rpc: RpcClient;
  warehouse: Warehouse;
  logger: Logger;
  /** What to fetch (default `full`); the mode names the chain's checkpoint, and one warehouse holds one mode per chain. */
  mode?: IndexMode;
  /** First block when there is no checkpoint yet (default 0). */
  from?: number;
  /** Last block to index; without it, the head minus `confirmations`. */
  to?: number;
  /** After the backfill, keep following the head. */
  follow?: boolean;
  /** Blocks behind the head to stay (default 0): deeper blocks are treated as final. */
  confirmations?: number;
  /** Deepest reorg handled (default 128): a fork below it is an error, not a silent rewrite. */
  maxReorgDepth?: number;
  /** Blocks per batch (default 200 in full mode, 1,000 in logs mode) and batches fetched ahead (default 2). */
  batchBlocks?: number;
  concurrency?: number;
  /**
   * Rows (all tables) gathered from consecutive batches before they are written (default 50,000): every INSERT
   * makes a new part per table, and a part costs the engine several milliseconds however small it is. A
   * caught-up indexer writes at once.
   */
  minRowsPerWrite?: number;
  /** The longest gathered rows wait before they are written (default 2 s). */
  maxWriteDelayMs?: number;
  /** How often to poll for new blocks when following (default 1 s). */
  pollIntervalMs?: number;
  /** Stops following (and a backfill) after the current batch. */
  signal?: AbortSignal;
  onProgress?: (progress: IndexerProgress) => void;
}

/** The rows of one batch, by table. */
type BatchRows = { [T in keyof typeof blockScopedTables]: TableRows[T][] };

/** Rows of consecutive batches not yet stored: how many in all, and since when the oldest waits. */
interface PendingRows {
  rows: BatchRows;
  count: number;
  since: number;
}

/** `pending` with `rows` appended (a new gathering when there is none). */
function gather(pending: PendingRows | undefined, rows: BatchRows): PendingRows {
  const count = Object.values(rows).reduce((sum, list) => sum + list.length, 0);
  if (!pending) return { rows, count, since: performance.now() };
  for (const table of Object.keys(rows) as (keyof BatchRows)[]) {
    const into = pending.rows[table] as object[];
    for (const row of rows[table]) into.push(row);
  }
  return { ...pending, count: pending.count + count };
}

/** How far indexing has come. */
export interface IndexerProgress {
  block: number;
  target: number;
  blocks: number;
  transactions: number;
  logs: number;
  reorgs: number;
  seconds: number;
}

/**
 * Indexes blocks, transactions with receipts, logs and decoded events into the warehouse, exactly once:
 * each batch's rows are written before the checkpoint moves past them, rows above the checkpoint (from a
 * crashed run) are removed at start, and a parent-hash mismatch rewinds to the fork point and removes every
 * row above it before the canonical blocks are written.
 */
export async function runIndexer(options: IndexerOptions): Promise<IndexerProgress> {
  const { rpc, warehouse, logger } = options;
  const mode = options.mode ?? 'full';
  const indexer = mode;
  const confirmations = options.confirmations ?? 0;
  const maxReorgDepth = options.maxReorgDepth ?? 128;
  const batchBlocks = options.batchBlocks ?? (mode === 'full' ? 200 : 1_000);
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const minRowsPerWrite = options.minRowsPerWrite ?? 50_000;
  const maxWriteDelayMs = options.maxWriteDelayMs ?? 2_000;
  const nextVersion = createVersionClock();
  const chainId = Number(await rpc.request<string>('eth_chainId'));
  const source = createBatchSource(rpc, mode, logger);
  const pools = await createPoolRegistry(rpc, warehouse, chainId);
  const started = performance.now();
  const progress: IndexerProgress = {
    block: -1,
    target: -1,
    blocks: 0,
    transactions: 0,
    logs: 0,
    reorgs: 0,
    seconds: 0,
  };

  const others = (await getCheckpoints(warehouse, chainId)).filter((c) => c.indexer !== indexer);
  if (others.length > 0) {
    throw new NonRetryableError(
      `Chain ${chainId} in this warehouse is indexed in ${others[0]!.indexer} mode (up to block ${others[0]!.blockNumber}), not ${mode} mode`,
      {
        code: 'INDEX_MODE_CONFLICT',
        details: `One warehouse holds one indexing mode per chain (their tables overlap). Run in ${others[0]!.indexer} mode, or index into another data directory (CHAINGNN_DATA_DIR) or database.`,
      },
    );
  }
  let checkpoint = await getCheckpoint(warehouse, chainId, indexer);
  const removed = await deleteBlocksAbove(
    warehouse,
    chainId,
    checkpoint?.blockNumber ?? (options.from ?? 0) - 1,
    nextVersion(),
  );
  const leftovers = Object.values(removed).reduce((a, b) => a + b, 0);
  if (leftovers > 0) logger.info({ removed }, 'removed rows a previous run wrote past its checkpoint');
  let next = checkpoint ? checkpoint.blockNumber + 1 : (options.from ?? 0);
  progress.block = next - 1;
  logger.info({ chainId, from: next, ...source.describe() }, 'indexing');
  let changedBatches = 0;

  const headTarget = async () => Number(await rpc.request<string>('eth_blockNumber')) - confirmations;
  for (;;) {
    const target = options.to ?? (await headTarget());
    progress.target = target;
    if (checkpoint && (await tipWasReplaced(checkpoint))) {
      checkpoint = await rewind(checkpoint);
      next = checkpoint.blockNumber + 1;
      continue;
    }
    const ahead: Promise<FetchedBatch>[] = [];
    let fetchFrom = next;
    const fill = () => {
      while (ahead.length < concurrency && fetchFrom <= target) {
        const numbers = Array.from(
          { length: Math.min(batchBlocks, target - fetchFrom + 1) },
          (_, i) => fetchFrom + i,
        );
        ahead.push(source.fetch(numbers));
        fetchFrom += numbers.length;
      }
    };
    fill();
    let restart = false;
    // Decoded rows gather in `pending` and are stored while the next batches are fetched and decoded; `tip` is
    // the last block decoded so far.
    let tip = checkpoint;
    let storing: Promise<Checkpoint> | undefined;
    let pending: PendingRows | undefined;
    const settle = async () => {
      if (storing) checkpoint = await storing;
      storing = undefined;
      next = checkpoint ? checkpoint.blockNumber + 1 : next;
    };
    /** Starts storing the pending rows once the previous store is done. */
    const flush = async () => {
      if (!pending) return;
      const { rows } = pending;
      pending = undefined;
      await settle();
      storing = storeRows(rows);
      // Marked handled here; its error is thrown where it is awaited (settle).
      storing.catch(() => {});
    };
    /** Stores everything decoded so far and waits until it is in. */
    const storeAll = async () => {
      await flush();
      await settle();
    };
    try {
      while (ahead.length > 0 && !options.signal?.aborted) {
        const batch = await ahead.shift()!;
        fill();
        if (brokenLink(batch.blocks, tip) !== undefined) {
          await Promise.allSettled(ahead.splice(0));
          await storeAll();
          checkpoint = await rewind(checkpoint!);
          next = checkpoint.blockNumber + 1;
          restart = true;
          break;
        }
        let decoded: DecodedBatch;
        try {
          decoded = batch.decode({ chainId, version: nextVersion() });
        } catch (error) {
          // The chain moved between the calls of one batch (e.g. logs from another block hash): fetch it again.
          if (!(error instanceof RetryableError) || ++changedBatches > 5) throw error;
          logger.warn({ err: error.shortMessage }, 'a batch changed while it was fetched: fetching it again');
          await Promise.allSettled(ahead.splice(0));
          await storeAll();
          restart = true;
          break;
        }
        changedBatches = 0;
        pending = gather(pending, await prepareRows(decoded));
        const last = decoded.blocks[decoded.blocks.length - 1]!;
        tip = { blockNumber: last.number, blockHash: last.hash };
        const caughtUp = ahead.length === 0;
        if (
          caughtUp ||
          pending.count >= minRowsPerWrite ||
          performance.now() - pending.since >= maxWriteDelayMs
        )
          await flush();
      }
    } catch (error) {
      // Let a batch being stored finish (or fail) before the error leaves: nothing is written after we return.
      await storing?.catch(() => {});
      throw error;
    }
    await storeAll();
    if (restart) continue;
    if (options.signal?.aborted || !options.follow) break;
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 1_000));
  }
  progress.seconds = (performance.now() - started) / 1000;
  return progress;

  /** The index in `batch` of the first block that does not extend the chain so far, if any. */
  function brokenLink(blocks: readonly RpcBlock[], last: Checkpoint | undefined): number | undefined {
    let parent = last?.blockHash;
    for (const [i, block] of blocks.entries()) {
      if (parent !== undefined && block.parentHash.toLowerCase() !== parent) return i;
      parent = block.hash.toLowerCase();
    }
    return undefined;
  }

  /** True when the chain's block at the checkpoint height is no longer the one we stored. */
  async function tipWasReplaced(last: Checkpoint): Promise<boolean> {
    const block = await rpc.request<RpcBlock | null>('eth_getBlockByNumber', [
      toQuantity(last.blockNumber),
      false,
    ]);
    return !block || block.hash.toLowerCase() !== last.blockHash;
  }

  /** Finds the fork point below `last`, removes every row above it, and moves the checkpoint there. */
  async function rewind(last: Checkpoint): Promise<Checkpoint> {
    const low = Math.max(0, last.blockNumber - maxReorgDepth);
    const stored = await getBlockHashes(warehouse, chainId, low, last.blockNumber);
    const heights = Array.from({ length: last.blockNumber - low + 1 }, (_, i) => last.blockNumber - i);
    const canonical = await rpc.requestMany<RpcBlock | null>(
      heights.map((n) => ({ method: 'eth_getBlockByNumber', params: [toQuantity(n), false] })),
    );
    const forkIndex = heights.findIndex(
      (n, i) => canonical[i] && stored.get(n) === canonical[i]!.hash.toLowerCase(),
    );
    if (forkIndex < 0) {
      throw new NonRetryableError(
        `Reorg deeper than ${maxReorgDepth} blocks below block ${last.blockNumber}`,
        {
          code: 'REORG_TOO_DEEP',
          details:
            'No stored block in that range is still canonical. Raise --max-reorg-depth, or re-index from an earlier block.',
        },
      );
    }
    const fork: Checkpoint = {
      blockNumber: heights[forkIndex]!,
      blockHash: stored.get(heights[forkIndex]!)!,
    };
    const removed = await deleteBlocksAbove(warehouse, chainId, fork.blockNumber, nextVersion());
    await setCheckpoint(warehouse, chainId, indexer, fork);
    progress.reorgs += 1;
    logger.warn(
      { from: last.blockNumber, forkPoint: fork.blockNumber, removed },
      'reorg: rewound to the fork point',
    );
    return fork;
  }

  /**
   * Decodes a batch's events and completes its rows (contract code, confirmed pools). Runs batch after
   * batch in order: the pools one batch announces decode the next batch's swaps.
   */
  async function prepareRows(batch: DecodedBatch): Promise<BatchRows> {
    await pools.learn(batch.logs);
    const events = decodeLogs(batch.logs, pools.lookup);
    const confirmedPools = await pools.admit(events.dexPools);
    if (confirmedPools.length < events.dexPools.length) {
      logger.warn(
        { dropped: events.dexPools.length - confirmedPools.length },
        'dropped pool announcements the pool contract does not confirm (factory or tokens differ)',
      );
    }
    return {
      blocks: batch.blocks,
      transactions: batch.transactions,
      logs: batch.logs,
      contracts: await withCode(batch.contracts),
      token_transfers: events.tokenTransfers,
      token_approvals: events.tokenApprovals,
      dex_swaps: events.dexSwaps,
      dex_pools: confirmedPools,
      dex_pool_events: events.dexPoolEvents,
    };
  }

  /** Writes a batch's rows to every table, then moves the checkpoint to its last block. */
  async function storeRows(rows: BatchRows): Promise<Checkpoint> {
    await Promise.all(
      (Object.keys(rows) as (keyof BatchRows)[]).map((table) => insertRows(warehouse, table, rows[table])),
    );
    const last = rows.blocks[rows.blocks.length - 1]!;
    const reached: Checkpoint = { blockNumber: last.number, blockHash: last.hash };
    await setCheckpoint(warehouse, chainId, indexer, reached);
    progress.block = reached.blockNumber;
    progress.blocks += rows.blocks.length;
    progress.transactions += rows.transactions.length;
    progress.logs += rows.logs.length;
    progress.seconds = (performance.now() - started) / 1000;
    logger.debug({ block: reached.blockNumber, logs: rows.logs.length }, 'batch written');
    options.onProgress?.({ ...progress });
    return reached;
  }

  /** Fills code size, code hash and detected standard of newly created contracts. */
  async function withCode(contracts: ContractRow[]): Promise<ContractRow[]> {
    if (contracts.length === 0) return contracts;
    const codes = await rpc.requestMany<string>(
      contracts.map((c) => ({
        method: 'eth_getCode',
        params: [c.address, toQuantity(c.block_number)],
      })),
    );
    return contracts.map((c, i) => {
      const code = (codes[i] ?? '0x').toLowerCase() as `0x${string}`;
      return {
        ...c,
        code_size: (code.length - 2) / 2,
        code_hash: code === '0x' ? '' : keccak256Hex(code),
        standard: detectStandard(code),
      };
    });
  }
}
