import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** A Redis for a test file and a key prefix per test, so tests never see each other's queues. */
export interface TestRedis {
  url: string;
  prefix: string;
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once the Redis at `url` answers PING: the client queues the command and reconnects until it can. */
async function whenAnswering(url: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: () => 50 });
  client.on('error', () => {}); // refused until the server listens: the client reconnects
  try {
    await client.ping();
  } finally {
    client.disconnect();
  }
}

/**
 * REDIS_URL when it is set; otherwise a `redis-server` of our own on a free port (no persistence) for the test
 * file, stopped after it. Each test gets a fresh key prefix.
 */
export function useTestRedis(): () => TestRedis {
  let server: ChildProcess | undefined;
  let url = process.env.REDIS_URL ?? '';
  let prefix = '';
  beforeAll(async () => {
    if (url) return;
    const port = await freePort();
    server = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    url = `redis://127.0.0.1:${port}`;
    await whenAnswering(url);
  });
  beforeEach(() => {
    prefix = `t${randomBytes(6).toString('hex')}`;
  });
  afterAll(() => {
    server?.kill();
  });
  return () => ({ url, prefix });
}
