import type { Logger } from 'pino';
import { applyReceipts } from '../../chain/decode/applyReceipts.js';
import { decodeBlock, decodeBlockHeader } from '../../chain/decode/decodeBlock.js';
import { decodeGetLogs } from '../../chain/decode/decodeGetLogs.js';
import type { DecodeContext, RpcBlock } from '../../chain/decode/rpcTypes.js';
import { createBlockFetcher, fetchBlocks } from '../../chain/rpc/createBlockFetcher.js';
import { createLogFetcher } from '../../chain/rpc/createLogFetcher.js';
import type { RpcClient } from '../../chain/rpc/createRpcClient.js';
import type { BlockRow, ContractRow, LogRow, TransactionRow } from '../../types/tableRows.js';

/**
 * What the indexer fetches: `full` = blocks with transactions and receipts (logs from the receipts, created
 * contracts); `logs` = block headers and eth_getLogs over adaptive ranges (no transactions), far fewer calls.
 */
export type IndexMode = 'full' | 'logs';

/** The rows one batch of blocks decodes to (tables a mode does not fill stay empty). */
export interface DecodedBatch {
  blocks: BlockRow[];
  transactions: TransactionRow[];
  logs: LogRow[];
  contracts: ContractRow[];
}

/** A fetched batch: its raw blocks (for the parent-hash chain) and how to decode it. */
export interface FetchedBatch {
  blocks: RpcBlock[];
  decode(ctx: DecodeContext): DecodedBatch;
}

/** Fetches consecutive blocks in one mode. */
export interface BatchSource {
  fetch(numbers: readonly number[]): Promise<FetchedBatch>;
  /** What the source does, for the start-up log line. */
  describe(): Record<string, unknown>;
}

/** Creates the batch source of `mode` over `rpc`. */
export function createBatchSource(rpc: RpcClient, mode: IndexMode, logger?: Logger): BatchSource {
  return mode === 'full' ? fullSource(rpc, logger) : logsSource(rpc, logger);
}

function fullSource(rpc: RpcClient, logger?: Logger): BatchSource {
  const fetcher = createBlockFetcher(rpc, logger);
  return {
    describe: () => ({ mode: 'full', receipts: fetcher.receiptsMethod }),
    async fetch(numbers) {
      const fetched = await fetcher.fetch(numbers);
      return {
        blocks: fetched.map((f) => f.block),
        decode(ctx) {
          const decoded = fetched.map(({ block, receipts }) => {
            const { block: row, transactions } = decodeBlock(block, ctx);
            return { row, ...applyReceipts(transactions, receipts, ctx) };
          });
          return {
            blocks: decoded.map((d) => d.row),
            transactions: decoded.flatMap((d) => d.transactions),
            logs: decoded.flatMap((d) => d.logs),
            contracts: decoded.flatMap((d) => d.contracts),
          };
        },
      };
    },
  };
}

function logsSource(rpc: RpcClient, logger?: Logger): BatchSource {
  const logFetcher = createLogFetcher(rpc, logger ? { logger } : {});
  return {
    describe: () => ({ mode: 'logs', logSpan: logFetcher.stats.span }),
    async fetch(numbers) {
      const [blocks, logs] = await Promise.all([
        fetchBlocks(rpc, numbers, false),
        logFetcher.fetch(numbers[0]!, numbers[numbers.length - 1]!),
      ]);
      return {
        blocks,
        decode(ctx) {
          const headers = blocks.map((block) => decodeBlockHeader(block, ctx));
          return {
            blocks: headers,
            transactions: [],
            logs: decodeGetLogs(logs, headers, ctx),
            contracts: [],
          };
        },
      };
    },
  };
}
