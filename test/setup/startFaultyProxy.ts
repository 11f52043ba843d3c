import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRng } from '../../src/utils/createRng.js';

/** What the proxy did to the requests it saw. */
export interface ProxyStats {
  requests: number;
  failed: number;
  dropped: number;
  rateLimited: number;
  batchesRefused: number;
  /** eth_getLogs calls refused for their block range, and for their result count. */
  rangesRefused: number;
  resultsRefused: number;
}

/** Options for {@link startFaultyProxy}: the faults to inject, deterministically (seeded). */
export interface FaultyProxyOptions {
  target: string;
  /** Share of requests answered with HTTP 500/502/503 (half of those) or a dropped connection (the rest). */
  failureRate?: number;
  /** Requests allowed per 100 ms window before answering 429. */
  burstPer100ms?: number;
  /** Refuse JSON-RPC batches with a single error object, as some providers do. */
  refuseBatches?: boolean;
  /** Refuse eth_getLogs over more blocks than this, worded as Ankr does (no hint). */
  maxLogBlocks?: number;
  /** Refuse eth_getLogs returning more logs than this, worded (and coded) as Infura does, with its range hint. */
  maxLogResults?: number;
  seed?: number;
}

/** A JSON-RPC proxy in front of a node that fails, drops and rate-limits requests, for resilience tests. */
export async function startFaultyProxy(
  options: FaultyProxyOptions,
): Promise<{ url: string; stats: ProxyStats; stop(): Promise<void> }> {
  const rng = createRng(options.seed ?? 1);
  const stats: ProxyStats = {
    requests: 0,
    failed: 0,
    dropped: 0,
    rateLimited: 0,
    batchesRefused: 0,
    rangesRefused: 0,
    resultsRefused: 0,
  };
  let windowStart = 0;
  let inWindow = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      stats.requests += 1;
      const body = Buffer.concat(chunks).toString();
      const now = performance.now();
      if (now - windowStart > 100) {
        windowStart = now;
        inWindow = 0;
      }
      inWindow += 1;
      if (options.burstPer100ms && inWindow > options.burstPer100ms) {
        stats.rateLimited += 1;
        res.writeHead(429, { 'content-type': 'application/json' }).end('{"error":"too many requests"}');
        return;
      }
      if (rng.chance(options.failureRate ?? 0)) {
        stats.failed += 1;
        if (rng.chance(0.5)) {
          res.writeHead(rng.pick([500, 502, 503])).end('upstream error');
        } else {
          stats.dropped += 1;
          req.socket.destroy();
        }
        return;
      }
      if (options.refuseBatches && body.trimStart().startsWith('[')) {
        stats.batchesRefused += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          '{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch requests are not supported"}}',
        );
        return;
      }
      const call = JSON.parse(body) as {
        id: number;
        method?: string;
        params?: { fromBlock: string; toBlock: string }[];
      };
      const range = call.method === 'eth_getLogs' ? call.params?.[0] : undefined;
      const refuse = (code: number, message: string) =>
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ jsonrpc: '2.0', id: call.id, error: { code, message } }));
      if (
        range &&
        options.maxLogBlocks &&
        Number(range.toBlock) - Number(range.fromBlock) + 1 > options.maxLogBlocks
      ) {
        stats.rangesRefused += 1;
        refuse(-32600, 'block range is too wide');
        return;
      }
      const upstream = await fetch(options.target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const text = await upstream.text();
      if (range && options.maxLogResults) {
        const logs = (JSON.parse(text) as { result?: unknown[] }).result ?? [];
        if (logs.length > options.maxLogResults) {
          stats.resultsRefused += 1;
          const from = Number(range.fromBlock);
          const half = from + Math.floor((Number(range.toBlock) - from) / 2);
          refuse(
            -32005,
            `query returned more than ${options.maxLogResults} results. Try with this block range [0x${from.toString(16)}, 0x${half.toString(16)}].`,
          );
          return;
        }
      }
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
