import type { Common } from '../internal/createCommon.js';
import { NonRetryableError } from '../internal/errors.js';

/** REDIS_URL, or a clear error saying what needs it (`doing`) and how to run without it. */
export function requireRedisUrl(common: Common, doing: string): string {
  const { redisUrl } = common.config;
  if (redisUrl) return redisUrl;
  throw new NonRetryableError(`REDIS_URL is not set: ${doing} needs the job queues`, {
    code: 'JOBS_NO_REDIS',
    details:
      'Set REDIS_URL (e.g. redis://127.0.0.1:6379); without it, chaingnn jobs enqueue and jobs flow run jobs in-process.',
  });
}
