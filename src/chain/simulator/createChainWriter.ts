import type { Address, Hex, LocalAccount } from 'viem';
import { NonRetryableError, RetryableError } from '../../internal/errors.js';
import { createJsonPoster, type PostReply } from '../rpc/createJsonPoster.js';

/** A transaction the simulator wants in the next block. Gas is explicit: the simulator never estimates. */
export interface TxRequest {
  from: LocalAccount;
  nonce: number;
  to: Address | null;
  data?: Hex;
  value?: bigint;
  gas: bigint;
}

/** Fee caps on every simulated transaction (EIP-1559). The devnet's base fee stays far below the cap. */
export const maxFeePerGas = 2_000_000_000n;
export const maxPriorityFeePerGas = 100_000_000n;

/** Writes blocks: signs each block's transactions locally, sends them in one JSON-RPC batch, mines at a set time. */
export interface ChainWriter {
  /** Sends `txs` in order and mines them into one block with `timestamp`; returns the block's number and hash. */
  writeBlock(
    txs: readonly TxRequest[],
    timestamp: number,
  ): Promise<{ number: number; hash: Hex; txHashes: Hex[] }>;
  /** One JSON-RPC call. */
  call<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** Several JSON-RPC calls in one HTTP request; results in order. */
  batch(calls: readonly { method: string; params: unknown[] }[]): Promise<unknown[]>;
  /** Transactions sent so far. */
  readonly sent: number;
}

interface RpcResponse {
  id: number;
  result?: unknown;
  error?: { code: number; message: string };
}

/** A node to write to: a JSON-RPC URL, or an in-process EIP-1193 provider (several times faster, no HTTP). */
export type RpcTarget = string | { request(args: { method: string; params?: unknown[] }): Promise<unknown> };

/** Creates a writer for the node at `target` (chain `chainId`). */
export function createChainWriter(target: RpcTarget, chainId: number): ChainWriter {
  let nextId = 1;
  let sent = 0;
  const rpcUrl = typeof target === 'string' ? target : 'the in-process node';

  // Blocks of a large world take a while to mine: a generous timeout, the same kept-alive connections.
  const postText =
    typeof target === 'string'
      ? createJsonPoster(target, { timeoutMs: 600_000, maxResponseBytes: 256 * 1024 * 1024 })
      : undefined;
  const post = async (body: unknown): Promise<unknown> => {
    let response: PostReply;
    try {
      response = await postText!(JSON.stringify(body));
    } catch (cause) {
      throw new RetryableError(`Cannot reach the JSON-RPC node at ${rpcUrl}: ${(cause as Error).message}`, {
        code: 'RPC_UNREACHABLE',
        cause,
      });
    }
    if (response.status < 200 || response.status > 299) {
      throw new RetryableError(`JSON-RPC node at ${rpcUrl} answered HTTP ${response.status}`, {
        code: 'RPC_HTTP',
        details: response.text.slice(0, 500),
      });
    }
    return JSON.parse(response.text);
  };

  const viaProvider = async (
    provider: Exclude<RpcTarget, string>,
    calls: readonly { method: string; params: unknown[] }[],
  ) =>
    Promise.all(
      calls.map(async (c) => {
        try {
          return await provider.request({ method: c.method, params: c.params });
        } catch (cause) {
          throw new NonRetryableError(`JSON-RPC ${c.method} failed: ${(cause as Error).message}`, {
            code: 'RPC_ERROR',
            cause,
            details: `params: ${JSON.stringify(c.params).slice(0, 300)}`,
          });
        }
      }),
    );

  const batch: ChainWriter['batch'] = async (calls) => {
    if (calls.length === 0) return [];
    if (typeof target !== 'string') return viaProvider(target, calls);
    const firstId = nextId;
    nextId += calls.length;
    const body = calls.map((c, i) => ({
      jsonrpc: '2.0',
      id: firstId + i,
      method: c.method,
      params: c.params,
    }));
    const replies = (await post(body)) as RpcResponse[];
    const byId = new Map(replies.map((r) => [r.id, r]));
    return calls.map((c, i) => {
      const reply = byId.get(firstId + i);
      if (!reply || reply.error) {
        throw new NonRetryableError(`JSON-RPC ${c.method} failed: ${reply?.error?.message ?? 'no reply'}`, {
          code: 'RPC_ERROR',
          details: `params: ${JSON.stringify(c.params).slice(0, 300)}`,
        });
      }
      return reply.result;
    });
  };

  const call: ChainWriter['call'] = async <T>(method: string, params: unknown[] = []) =>
    (await batch([{ method, params }]))[0] as T;

  return {
    get sent() {
      return sent;
    },
    call,
    batch,
    async writeBlock(txs, timestamp) {
      const raw = await Promise.all(
        txs.map((tx) =>
          tx.from.signTransaction({
            chainId,
            type: 'eip1559',
            nonce: tx.nonce,
            to: tx.to,
            data: tx.data,
            value: tx.value ?? 0n,
            gas: tx.gas,
            maxFeePerGas,
            maxPriorityFeePerGas,
          }),
        ),
      );
      // One request at a time: nodes answer a JSON-RPC batch concurrently, so a batch's transactions can
      // reach the mempool in any order, and the block (and every hash after it) would depend on timing.
      const txHashes: Hex[] = [];
      let index = 0;
      try {
        for (; index < raw.length; index += 1)
          txHashes.push(await call<Hex>('eth_sendRawTransaction', [raw[index]]));
      } catch (error) {
        const tx = txs[index];
        throw new NonRetryableError(`The node refused a transaction of ${tx?.from.address ?? 'the block'}`, {
          code: 'SIMULATION_TX_REFUSED',
          cause: error,
          details: `${(error as Error).message}\nnonce ${tx?.nonce}, to ${tx?.to}, value ${tx?.value}, gas ${tx?.gas}`,
        });
      }
      sent += txs.length;
      await call('evm_mine', [timestamp]);
      const block = await call<{ number: Hex; hash: Hex; transactions: Hex[] }>('eth_getBlockByNumber', [
        'latest',
        false,
      ]);
      if (block.transactions.length !== txs.length) {
        throw new NonRetryableError(
          `Block ${Number(block.number)} holds ${block.transactions.length} of ${txs.length} transactions sent`,
          {
            code: 'SIMULATION_BLOCK_INCOMPLETE',
            details:
              'The node left transactions in its mempool (gas limit or nonce gap); the simulation cannot stay deterministic.',
          },
        );
      }
      return { number: Number(block.number), hash: block.hash, txHashes };
    },
  };
}
