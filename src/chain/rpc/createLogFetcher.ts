import type { Logger } from 'pino';
import { NonRetryableError } from '../../internal/errors.js';
import type { RpcLog } from '../decode/rpcTypes.js';
import { isRangeLimitError, type RpcClient } from './createRpcClient.js';
import { toQuantity } from './toQuantity.js';

/** Options for {@link createLogFetcher}. */
export interface LogFetcherOptions {
  /** Blocks asked for in the first eth_getLogs call (default 1,000). */
  initialSpan?: number;
  /** Most blocks per call however sparse the logs (default 10,000). */
  maxSpan?: number;
  /** Logs per call to aim for (default 10,000): denser ranges shrink the span, sparser ones grow it. */
  targetLogs?: number;
  logger?: Logger;
}

/** Fetches every log of a block range with as many eth_getLogs calls as the node's limits need. */
export interface LogFetcher {
  /** Every log of blocks `from`..`to`, in the node's order. */
  fetch(from: number, to: number): Promise<RpcLog[]>;
  /** Blocks the next call will ask for, and what adapting has cost so far. */
  readonly stats: { span: number; requests: number; splits: number };
}

/** Successful calls after which a span the node refused may be tried again (its limit may have been on results). */
const ceilingMemory = 64;

/**
 * Creates an adaptive log fetcher: a call the node refuses as too large ("range too large", "more than
 * 10000 results", a reply over the client's size limit) is split (to the range the node suggests, if it
 * names one, else in half) and retried; spans then grow again on success, below the last refused span.
 */
export function createLogFetcher(rpc: RpcClient, options: LogFetcherOptions = {}): LogFetcher {
  const maxSpan = Math.max(1, options.maxSpan ?? 10_000);
  const targetLogs = Math.max(1, options.targetLogs ?? 10_000);
  const stats = {
    span: Math.min(maxSpan, Math.max(1, options.initialSpan ?? 1_000)),
    requests: 0,
    splits: 0,
  };
  let ceiling = Number.POSITIVE_INFINITY;
  let sinceRefusal = 0;

  return {
    stats,
    async fetch(from, to) {
      const logs: RpcLog[] = [];
      let at = from;
      while (at <= to) {
        const end = Math.min(to, at + stats.span - 1);
        const width = end - at + 1;
        let page: RpcLog[];
        try {
          stats.requests += 1;
          page = await rpc.request<RpcLog[]>('eth_getLogs', [
            { fromBlock: toQuantity(at), toBlock: toQuantity(end) },
          ]);
        } catch (error) {
          if (!isRangeLimitError(error)) throw error;
          if (width === 1) {
            throw new NonRetryableError(`eth_getLogs is refused even for the single block ${at}`, {
              code: 'RPC_LOG_RANGE',
              details: `The node said: ${(error as Error).message}. Raise the node's result or size limit for this block.`,
              cause: error,
            });
          }
          const suggested = suggestedSpan((error as Error).message);
          stats.span = suggested !== undefined && suggested < width ? suggested : Math.ceil(width / 2);
          ceiling = width;
          sinceRefusal = 0;
          stats.splits += 1;
          options.logger?.debug(
            { from: at, to: end, span: stats.span },
            'eth_getLogs range refused: splitting',
          );
          continue;
        }
        if (!Array.isArray(page)) {
          throw new NonRetryableError(`eth_getLogs for blocks ${at}..${end} did not return an array`, {
            code: 'RPC_PAYLOAD_INVALID',
            details: `Expected an array of log objects; got ${JSON.stringify(page)?.slice(0, 80)}.`,
          });
        }
        for (const log of page) logs.push(log);
        at = end + 1;
        if (++sinceRefusal >= ceilingMemory) ceiling = Number.POSITIVE_INFINITY;
        if (page.length > targetLogs) stats.span = Math.max(1, Math.floor(width / 2));
        else if (page.length < targetLogs / 2 && width === stats.span) {
          stats.span = Math.max(1, Math.min(maxSpan, stats.span * 2, ceiling - 1));
        }
      }
      return logs;
    },
  };
}

/**
 * The span a provider's refusal suggests, when it names one: a block range like Infura's and Alchemy's
 * "[0x10, 0x2f]", or a limit like "maximum block range: 2000" / "limited to a 10,000 range".
 */
export function suggestedSpan(message: string): number | undefined {
  const range = /\[\s*(0x[0-9a-f]+)\s*,\s*(0x[0-9a-f]+)\s*\]/i.exec(message);
  if (range) {
    const span = Number(BigInt(range[2]!) - BigInt(range[1]!)) + 1;
    return span >= 1 ? span : undefined;
  }
  const limit =
    /(?:block range|range limit|limited to a|up to a|max(?:imum)? range)\D{0,12}?(\d[\d,]*)(k?)/i.exec(
      message,
    );
  if (!limit) return undefined;
  const span = Number(limit[1]!.replaceAll(',', '')) * (limit[2] ? 1_000 : 1);
  return span >= 1 ? span : undefined;
}
