import type { Logger } from 'pino';
import { NonRetryableError, RetryableError } from '../../internal/errors.js';
import { redactUrl } from '../../utils/redactUrl.js';
import { createJsonPoster, PostError, type PostReply } from './createJsonPoster.js';

/** One JSON-RPC call. */
export interface RpcCall {
  method: string;
  params: readonly unknown[];
}

/** Options for {@link createRpcClient}. */
export interface RpcClientOptions {
  url: string;
  /** Most requests per second sent to the node (a token bucket; default unlimited). */
  requestsPerSecond?: number;
  /** Most HTTP requests in flight at once (default 8): bursts are what providers rate-limit. */
  maxInFlight?: number;
  /** Calls per JSON-RPC batch request (default 50; 1 disables batching). */
  batchSize?: number;
  /** Attempts per request for retryable failures (default 6), with exponential backoff and jitter. */
  maxAttempts?: number;
  /** Per-request timeout in milliseconds (default 30 s). */
  timeoutMs?: number;
  /** Largest reply accepted, in bytes (default 128 MB): a bigger one is refused as `RPC_RESPONSE_TOO_LARGE`. */
  maxResponseBytes?: number;
  /** First backoff in milliseconds (default 200), doubled each attempt, ±50% jitter, capped at 10 s. */
  backoffMs?: number;
  logger?: Logger;
}

/** A JSON-RPC client with batching, retries, a rate limit and clear errors. */
export interface RpcClient {
  readonly url: string;
  /** One call; retried on retryable failures. */
  request<T>(method: string, params?: readonly unknown[]): Promise<T>;
  /** Many calls, sent in batches (or one by one where the node refuses batches); results in order. */
  requestMany<T>(calls: readonly RpcCall[]): Promise<T[]>;
  /** Requests sent so far (each batch counts once), and retries. */
  readonly stats: { requests: number; retries: number };
}

interface RpcReply {
  id?: number;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/** The JSON-RPC error a node returned for one call (code and message kept for callers that adapt, e.g. log ranges). */
export class RpcError extends NonRetryableError {
  override name = 'RpcError';
  constructor(
    readonly call: RpcCall,
    readonly rpcCode: number,
    readonly rpcMessage: string,
  ) {
    super(`${call.method} failed: ${rpcMessage} (JSON-RPC error ${rpcCode})`, {
      code: 'RPC_ERROR',
      details: `params: ${JSON.stringify(call.params).slice(0, 300)}`,
    });
  }
}

/**
 * JSON-RPC errors that mean "ask for fewer blocks or results" (eth_getLogs), as nodes and providers word them:
 * checked before the rate-limit patterns, since some (Infura's -32005 "query returned more than 10000
 * results") share a code or words with them.
 */
const rangeLimitRpc =
  /range|more than \d+ results|too many (results|logs)|results? (limit|cap)|response size|response is too big|query timeout exceeded|max(imum)? (number of )?(blocks|logs|results)/i;

/** True for an error that asks for a smaller eth_getLogs range: a provider's range or result cap, or a reply too large. */
export function isRangeLimitError(error: unknown): boolean {
  if (error instanceof RpcError)
    return error.call.method === 'eth_getLogs' && rangeLimitRpc.test(error.rpcMessage);
  return error instanceof NonRetryableError && error.code === 'RPC_RESPONSE_TOO_LARGE';
}

/** JSON-RPC errors that mean "slow down or try again", as nodes and providers report them. */
const retryableRpc =
  /rate limit|too many requests|limit exceeded|timeout|timed out|temporarily|try again|busy|header not found|unknown block/i;

/** Creates a client for the node at `options.url`. */
export function createRpcClient(options: RpcClientOptions): RpcClient {
  const batchSize = Math.max(1, options.batchSize ?? 50);
  const maxAttempts = options.maxAttempts ?? 6;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const backoffMs = options.backoffMs ?? 200;
  const maxResponseBytes = options.maxResponseBytes ?? 128 * 1024 * 1024;
  const stats = { requests: 0, retries: 0 };
  const throttle = createThrottle(options.requestsPerSecond);
  const slot = createSemaphore(options.maxInFlight ?? 8);
  let nextId = 1;
  let batchesRefused = false;

  /** One HTTP request (a single call or a batch); throws RetryableError for transport trouble. */
  const post = async (body: unknown): Promise<unknown> => {
    const release = await slot();
    try {
      return await send(body);
    } finally {
      release();
    }
  };

  const postText = createJsonPoster(options.url, { timeoutMs, maxResponseBytes });
  const url = redactUrl(options.url);
  const send = async (body: unknown): Promise<unknown> => {
    await throttle();
    stats.requests += 1;
    let response: PostReply;
    try {
      response = await postText(JSON.stringify(body));
    } catch (cause) {
      if (cause instanceof PostError && cause.kind === 'too-large') {
        throw new NonRetryableError(
          `JSON-RPC node at ${url} sent a reply of ${cause.message}, over the ${maxResponseBytes}-byte limit`,
          {
            code: 'RPC_RESPONSE_TOO_LARGE',
            details:
              'Ask for less per request (fewer blocks per eth_getLogs, smaller batches), or raise the limit.',
          },
        );
      }
      throw new RetryableError(`Cannot reach the JSON-RPC node at ${url}: ${(cause as Error).message}`, {
        code: 'RPC_UNREACHABLE',
        cause,
      });
    }
    const { text } = response;
    if (response.status === 429) {
      throw new RetryableError(`JSON-RPC node at ${url} is rate-limiting (HTTP 429)`, {
        code: 'RPC_RATE_LIMITED',
        details: text.slice(0, 300),
      });
    }
    if (response.status >= 500) {
      throw new RetryableError(`JSON-RPC node at ${url} answered HTTP ${response.status}`, {
        code: 'RPC_HTTP',
        details: text.slice(0, 300),
      });
    }
    try {
      return JSON.parse(text);
    } catch (cause) {
      if (response.status < 200 || response.status > 299) {
        throw new NonRetryableError(`JSON-RPC node at ${url} answered HTTP ${response.status}`, {
          code: 'RPC_HTTP',
          details: text.slice(0, 300),
        });
      }
      throw new RetryableError(`JSON-RPC node at ${url} sent a malformed reply`, {
        code: 'RPC_MALFORMED',
        cause,
        details: text.slice(0, 300),
      });
    }
  };

  /**
   * Runs `attempt` until it succeeds, retrying RetryableErrors with exponential backoff and jitter. Being
   * rate-limited is the provider asking us to slow down, not a failure: it has its own, larger budget.
   */
  const withRetries = async <T>(what: string, attempt: () => Promise<T>): Promise<T> => {
    let failures = 0;
    let limited = 0;
    for (;;) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error;
        const rateLimited = error.code === 'RPC_RATE_LIMITED';
        if (rateLimited) limited += 1;
        else failures += 1;
        if (failures >= maxAttempts || limited >= maxAttempts * 5) throw error;
        stats.retries += 1;
        const n = failures + limited;
        const delay = Math.min(10_000, backoffMs * 2 ** (n - 1)) * (0.5 + Math.random());
        options.logger?.debug(
          { what, attempt: n, delay: Math.round(delay), err: error.shortMessage },
          'retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  };

  const unwrap = (call: RpcCall, reply: RpcReply | undefined): unknown => {
    if (!reply)
      throw new RetryableError(`${call.method}: the node's batch reply left this call out`, {
        code: 'RPC_MALFORMED',
      });
    if (reply.error) {
      if (call.method === 'eth_getLogs' && rangeLimitRpc.test(reply.error.message)) {
        throw new RpcError(call, reply.error.code, reply.error.message);
      }
      if (
        reply.error.code === -32005 ||
        reply.error.code === 429 ||
        /rate limit|too many requests/i.test(reply.error.message)
      ) {
        throw new RetryableError(`${call.method} failed: ${reply.error.message}`, {
          code: 'RPC_RATE_LIMITED',
        });
      }
      if (retryableRpc.test(reply.error.message)) {
        throw new RetryableError(`${call.method} failed: ${reply.error.message}`, { code: 'RPC_TRANSIENT' });
      }
      throw new RpcError(call, reply.error.code, reply.error.message);
    }
    return reply.result;
  };

  const single = (call: RpcCall) =>
    withRetries(call.method, async () => {
      const id = nextId++;
      const reply = (await post({
        jsonrpc: '2.0',
        id,
        method: call.method,
        params: call.params,
      })) as RpcReply;
      return unwrap(call, reply);
    });

  const batch = (calls: readonly RpcCall[]) =>
    withRetries(`batch of ${calls.length} ${calls[0]?.method}`, async () => {
      const first = nextId;
      nextId += calls.length;
      const reply = await post(
        calls.map((c, i) => ({ jsonrpc: '2.0', id: first + i, method: c.method, params: c.params })),
      );
      if (!Array.isArray(reply)) {
        // A node that does not do batches answers with one error object: from now on, one call per request.
        batchesRefused = true;
        throw new NonRetryableError('the node refused a JSON-RPC batch', { code: 'RPC_NO_BATCH' });
      }
      const byId = new Map((reply as RpcReply[]).map((r) => [r.id, r]));
      return calls.map((call, i) => unwrap(call, byId.get(first + i)));
    });

  return {
    url: options.url,
    stats,
    request: <T>(method: string, params: readonly unknown[] = []) => single({ method, params }) as Promise<T>,
    async requestMany<T>(calls: readonly RpcCall[]): Promise<T[]> {
      if (batchSize === 1 || batchesRefused || calls.length === 1) {
        return Promise.all(calls.map((call) => single(call))) as Promise<T[]>;
      }
      const chunks: RpcCall[][] = [];
      for (let i = 0; i < calls.length; i += batchSize) chunks.push(calls.slice(i, i + batchSize));
      const results = await Promise.all(
        chunks.map(async (chunk) => {
          try {
            return await batch(chunk);
          } catch (error) {
            if (!(error instanceof NonRetryableError && error.code === 'RPC_NO_BATCH')) throw error;
            return Promise.all(chunk.map((call) => single(call)));
          }
        }),
      );
      return results.flat() as T[];
    },
  };
}

/** Limits concurrent holders: resolves with a release function once one of `size` slots is free. */
function createSemaphore(size: number): () => Promise<() => void> {
  let free = Math.max(1, size);
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free += 1;
  };
  return async () => {
    if (free > 0) free -= 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    return release;
  };
}

/** A token bucket: resolves when the next request may go (immediately without a limit). */
function createThrottle(perSecond: number | undefined): () => Promise<void> {
  if (!perSecond || perSecond <= 0) return async () => {};
  const interval = 1_000 / perSecond;
  let next = 0;
  return async () => {
    const now = performance.now();
    const at = Math.max(now, next);
    next = at + interval;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  };
}
