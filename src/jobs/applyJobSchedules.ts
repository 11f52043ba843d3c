import type { Config } from '../config/configSchema.js';
import { NonRetryableError } from '../internal/errors.js';
import type { JobQueues } from './createJobQueues.js';
import type { JobKind } from './jobPayloads.js';

/**
 * Makes the repeatable jobs what the configuration says: follow-head every `followHeadSeconds` (on `rpcUrl`) and
 * refresh on `refreshCron`; a schedule the configuration no longer has is removed. Returns the kinds scheduled.
 */
export async function applyJobSchedules(
  queues: JobQueues,
  config: Pick<Config, 'rpcUrl' | 'followHeadSeconds' | 'refreshCron'>,
): Promise<JobKind[]> {
  const wanted: JobKind[] = [];
  if (config.followHeadSeconds !== undefined) {
    if (!config.rpcUrl) {
      throw new NonRetryableError('FOLLOW_HEAD_SECONDS is set but RPC_URL is not', {
        code: 'JOBS_SCHEDULE_INVALID',
        details:
          'A follow-head schedule ingests the head of a node: set RPC_URL (rpcUrl) to its JSON-RPC URL.',
      });
    }
    await queues.schedule(
      'follow-head',
      { everyMs: config.followHeadSeconds * 1000 },
      { rpcUrl: config.rpcUrl },
    );
    wanted.push('follow-head');
  }
  if (config.refreshCron !== undefined) {
    await queues.schedule('refresh', { pattern: config.refreshCron }, {});
    wanted.push('refresh');
  }
  for (const kind of await queues.scheduled()) if (!wanted.includes(kind)) await queues.unschedule(kind);
  return wanted;
}
