import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startRedisServer } from './startRedisServer.js';

/** A Redis for a test file and a key prefix per test, so tests never see each other's queues. */
export interface TestRedis {
  url: string;
  prefix: string;
}

/**
 * REDIS_URL when it is set; otherwise a `redis-server` of our own on a free port (no persistence) for the test
 * file, stopped after it. Each test gets a fresh key prefix.
 */
export function useTestRedis(): () => TestRedis {
  let stop: (() => void) | undefined;
  let url = process.env.REDIS_URL ?? '';
  let prefix = '';
  beforeAll(async () => {
    if (url) return;
    const server = await startRedisServer();
    url = server.url;
    stop = server.stop;
  });
  beforeEach(() => {
    prefix = `t${randomBytes(6).toString('hex')}`;
  });
  afterAll(() => stop?.());
  return () => ({ url, prefix });
}
