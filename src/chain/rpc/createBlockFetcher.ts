import type { Logger } from 'pino';
import type { RpcBlock, RpcReceipt } from '../decode/rpcTypes.js';
import { type RpcClient, RpcError } from './createRpcClient.js';
import { toQuantity } from './toQuantity.js';

/** A block with its full transactions and their receipts, as the node returned them. */
export interface FetchedBlock {
  block: RpcBlock;
  receipts: RpcReceipt[];
}

/** Fetches blocks with receipts: `eth_getBlockReceipts` where the node has it, per-transaction receipts otherwise. */
export interface BlockFetcher {
  fetch(numbers: readonly number[]): Promise<FetchedBlock[]>;
  /** How receipts are being fetched (decided on the first call). */
  readonly receiptsMethod: 'eth_getBlockReceipts' | 'eth_getTransactionReceipt' | 'unknown';
}

const methodMissing =
  /method .*(not found|not supported|not available|does not exist)|unknown method|unsupported method/i;

/** Fetches blocks by number (with full transactions, or only their hashes), failing clearly on a missing one. */
export async function fetchBlocks(
  rpc: RpcClient,
  numbers: readonly number[],
  fullTransactions: boolean,
): Promise<RpcBlock[]> {
  const blocks = await rpc.requestMany<RpcBlock | null>(
    numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [toQuantity(n), fullTransactions] })),
  );
  const missing = numbers.filter((_, i) => blocks[i] === null);
  if (missing.length > 0) {
    throw new RpcError(
      { method: 'eth_getBlockByNumber', params: [toQuantity(missing[0]!), fullTransactions] },
      -1,
      `the node has no block ${missing[0]} (is it behind, or was the range past the head?)`,
    );
  }
  return blocks as RpcBlock[];
}

/** Creates a fetcher over `rpc`; it falls back to per-transaction receipts once if block receipts are missing. */
export function createBlockFetcher(rpc: RpcClient, logger?: Logger): BlockFetcher {
  let receiptsMethod: BlockFetcher['receiptsMethod'] = 'unknown';

  const perTransaction = async (blocks: RpcBlock[]) => {
    const hashes = blocks.flatMap((b) => b.transactions.map((tx) => (typeof tx === 'string' ? tx : tx.hash)));
    const receipts = await rpc.requestMany<RpcReceipt>(
      hashes.map((hash) => ({ method: 'eth_getTransactionReceipt', params: [hash] })),
    );
    let offset = 0;
    return blocks.map((b) => {
      const mine = receipts.slice(offset, offset + b.transactions.length);
      offset += b.transactions.length;
      return mine;
    });
  };

  return {
    get receiptsMethod() {
      return receiptsMethod;
    },
    async fetch(numbers) {
      const blockReceipts = () =>
        rpc.requestMany<RpcReceipt[]>(
          numbers.map((n) => ({ method: 'eth_getBlockReceipts', params: [toQuantity(n)] })),
        );
      let found: RpcBlock[];
      let receipts: RpcReceipt[][];
      if (receiptsMethod === 'eth_getBlockReceipts') {
        // Known to work: blocks and receipts are asked for at once (both by number).
        [found, receipts] = await Promise.all([fetchBlocks(rpc, numbers, true), blockReceipts()]);
      } else if (receiptsMethod === 'eth_getTransactionReceipt') {
        found = await fetchBlocks(rpc, numbers, true);
        receipts = await perTransaction(found);
      } else {
        found = await fetchBlocks(rpc, numbers, true);
        try {
          receipts = await blockReceipts();
          receiptsMethod = 'eth_getBlockReceipts';
        } catch (error) {
          if (
            !(error instanceof RpcError) ||
            !(error.rpcCode === -32601 || methodMissing.test(error.rpcMessage))
          )
            throw error;
          logger?.info('the node has no eth_getBlockReceipts: fetching receipts per transaction');
          receiptsMethod = 'eth_getTransactionReceipt';
          receipts = await perTransaction(found);
        }
      }
      return found.map((block, i) => ({ block, receipts: receipts[i] ?? [] }));
    },
  };
}
