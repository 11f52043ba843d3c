import type { Logger } from 'pino';
import { keccak256 } from 'viem';
import { applyReceipts } from '../../chain/decode/applyReceipts.js';
import { decodeBlock } from '../../chain/decode/decodeBlock.js';
import { decodeLogs } from '../../chain/decode/decodeLogs.js';
import type { RpcBlock } from '../../chain/decode/rpcTypes.js';
import { detectStandard } from '../../chain/detectStandard.js';
import { createBlockFetcher, type FetchedBlock } from '../../chain/rpc/createBlockFetcher.js';
import type { RpcClient } from '../../chain/rpc/createRpcClient.js';
import { NonRetryableError } from '../../internal/errors.js';
import type { ContractRow } from '../../types/tableRows.js';
import { createVersionClock } from '../../utils/createVersionClock.js';
import {
  type Checkpoint,
  getBlockHashes,
  getCheckpoint,
  setCheckpoint,
} from '../../warehouse/checkpoints.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { deleteBlocksAbove } from '../../warehouse/deleteBlocksAbove.js';
import { insertRows } from '../../warehouse/insertRows.js';
import { createPoolRegistry } from './createPoolRegistry.js';

/** Options for {@link runIndexer}. */
export interface IndexerOptions {
  rpc: RpcClient;
  warehouse: Warehouse;
  logger: Logger;
  /** Name of the checkpoint (several indexers may index one chain into one warehouse). */
  indexer?: string;
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
  /** Blocks per batch (default 200: each insert has a fixed cost) and batches fetched ahead (default 2). */
  batchBlocks?: number;
  concurrency?: number;
  /** How often to poll for new blocks when following (default 1 s). */
  pollIntervalMs?: number;
  /** Stops following (and a backfill) after the current batch. */
  signal?: AbortSignal;
  onProgress?: (progress: IndexerProgress) => void;
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
  const indexer = options.indexer ?? 'default';
  const confirmations = options.confirmations ?? 0;
  const maxReorgDepth = options.maxReorgDepth ?? 128;
  const batchBlocks = options.batchBlocks ?? 200;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const nextVersion = createVersionClock();
  const chainId = Number(await rpc.request<string>('eth_chainId'));
  const fetcher = createBlockFetcher(rpc, logger);
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
  logger.info({ chainId, from: next, indexer, receipts: fetcher.receiptsMethod }, 'indexing');

  const headTarget = async () => Number(await rpc.request<string>('eth_blockNumber')) - confirmations;
  for (;;) {
    const target = options.to ?? (await headTarget());
    progress.target = target;
    if (checkpoint && (await tipWasReplaced(checkpoint))) {
      checkpoint = await rewind(checkpoint);
      next = checkpoint.blockNumber + 1;
      continue;
    }
    const ahead: Promise<FetchedBlock[]>[] = [];
    let fetchFrom = next;
    const fill = () => {
      while (ahead.length < concurrency && fetchFrom <= target) {
        const numbers = Array.from(
          { length: Math.min(batchBlocks, target - fetchFrom + 1) },
          (_, i) => fetchFrom + i,
        );
        ahead.push(fetcher.fetch(numbers));
        fetchFrom += numbers.length;
      }
    };
    fill();
    let reorged = false;
    while (ahead.length > 0 && !options.signal?.aborted) {
      const batch = await ahead.shift()!;
      fill();
      const broken = brokenLink(batch, checkpoint);
      if (broken !== undefined) {
        await Promise.allSettled(ahead.splice(0));
        checkpoint = await rewind(checkpoint!);
        next = checkpoint.blockNumber + 1;
        reorged = true;
        break;
      }
      checkpoint = await writeBatch(batch);
      next = checkpoint.blockNumber + 1;
    }
    if (reorged) continue;
    if (options.signal?.aborted || !options.follow) break;
    await new Promise((resolve) => setTimeout(resolve, options.pollIntervalMs ?? 1_000));
  }
  progress.seconds = (performance.now() - started) / 1000;
  return progress;

  /** The index in `batch` of the first block that does not extend the chain so far, if any. */
  function brokenLink(batch: readonly FetchedBlock[], last: Checkpoint | undefined): number | undefined {
    let parent = last?.blockHash;
    for (const [i, { block }] of batch.entries()) {
      if (parent !== undefined && block.parentHash.toLowerCase() !== parent) return i;
      parent = block.hash.toLowerCase();
    }
    return undefined;
  }

  /** True when the chain's block at the checkpoint height is no longer the one we stored. */
  async function tipWasReplaced(last: Checkpoint): Promise<boolean> {
    const block = await rpc.request<RpcBlock | null>('eth_getBlockByNumber', [
      `0x${last.blockNumber.toString(16)}`,
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
      heights.map((n) => ({ method: 'eth_getBlockByNumber', params: [`0x${n.toString(16)}`, false] })),
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

  /** Decodes a batch, writes every table, then moves the checkpoint to its last block. */
  async function writeBatch(batch: readonly FetchedBlock[]): Promise<Checkpoint> {
    const ctx = { chainId, version: nextVersion() };
    const decoded = batch.map(({ block, receipts }) => {
      const { block: blockRow, transactions } = decodeBlock(block, ctx);
      return { blockRow, ...applyReceipts(transactions, receipts, ctx) };
    });
    const logs = decoded.flatMap((d) => d.logs);
    await pools.learn(logs);
    const events = decodeLogs(logs, pools.lookup);
    const contracts = await withCode(decoded.flatMap((d) => d.contracts));
    await insertRows(
      warehouse,
      'blocks',
      decoded.map((d) => d.blockRow),
    );
    await insertRows(
      warehouse,
      'transactions',
      decoded.flatMap((d) => d.transactions),
    );
    await insertRows(warehouse, 'logs', logs);
    await insertRows(warehouse, 'contracts', contracts);
    await insertRows(warehouse, 'token_transfers', events.tokenTransfers);
    await insertRows(warehouse, 'token_approvals', events.tokenApprovals);
    await insertRows(warehouse, 'dex_swaps', events.dexSwaps);
    await insertRows(warehouse, 'dex_pools', events.dexPools);
    await insertRows(warehouse, 'dex_pool_events', events.dexPoolEvents);
    const last = batch[batch.length - 1]!.block;
    const reached: Checkpoint = { blockNumber: Number(last.number), blockHash: last.hash.toLowerCase() };
    await setCheckpoint(warehouse, chainId, indexer, reached);
    progress.block = reached.blockNumber;
    progress.blocks += batch.length;
    progress.transactions += decoded.reduce((n, d) => n + d.transactions.length, 0);
    progress.logs += logs.length;
    progress.seconds = (performance.now() - started) / 1000;
    logger.debug({ block: reached.blockNumber, logs: logs.length }, 'batch written');
    options.onProgress?.({ ...progress });
    return reached;
  }

  /** Fills code size, code hash and detected standard of newly created contracts. */
  async function withCode(contracts: ContractRow[]): Promise<ContractRow[]> {
    if (contracts.length === 0) return contracts;
    const codes = await rpc.requestMany<string>(
      contracts.map((c) => ({
        method: 'eth_getCode',
        params: [c.address, `0x${c.block_number.toString(16)}`],
      })),
    );
    return contracts.map((c, i) => {
      const code = (codes[i] ?? '0x').toLowerCase() as `0x${string}`;
      return {
        ...c,
        code_size: (code.length - 2) / 2,
        code_hash: code === '0x' ? '' : keccak256(code),
        standard: detectStandard(code),
      };
    });
  }
}
