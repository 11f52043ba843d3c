import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRng } from '../../src/chain/simulator/createRng.js';

/** What the proxy did to the requests it saw. */
export interface ProxyStats {
  requests: number;
  failed: number;
  dropped: number;
  rateLimited: number;
  batchesRefused: number;
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
  seed?: number;
}

/** A JSON-RPC proxy in front of a node that fails, drops and rate-limits requests, for resilience tests. */
export async function startFaultyProxy(
  options: FaultyProxyOptions,
): Promise<{ url: string; stats: ProxyStats; stop(): Promise<void> }> {
  const rng = createRng(options.seed ?? 1);
  const stats: ProxyStats = { requests: 0, failed: 0, dropped: 0, rateLimited: 0, batchesRefused: 0 };
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
      const upstream = await fetch(options.target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      res.writeHead(upstream.status, { 'content-type': 'application/json' }).end(await upstream.text());
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
