import { Command, InvalidArgumentError } from 'commander';
import { type JobKind, jobKinds } from '../jobs/jobPayloads.js';
import { defaultJobPrefix } from '../jobs/jobQueueSettings.js';
import { parsePositiveInteger } from './parseOptions.js';
import { requireRedisUrl } from './requireRedisUrl.js';
import { runCommand } from './runCommand.js';

/** The options of `chaingnn worker`, as commander parses them. */
interface WorkerOptions {
  queues?: JobKind[];
  concurrency: number;
  shutdownTimeout: number;
  lockDuration: number;
  queuePrefix: string;
}

/** `chaingnn worker`: serves job queues on REDIS_URL until SIGTERM/SIGINT. */
export function workerCommand(): Command {
  return new Command('worker')
    .description(
      'run queued jobs (BullMQ on REDIS_URL) until stopped; SIGTERM finishes or hands back the active job',
    )
    .option(
      '--queues <list>',
      `queues to serve, comma-separated (default all: ${jobKinds.join(', ')})`,
      parseKinds,
    )
    .option('--concurrency <n>', 'jobs at once per queue', parsePositiveInteger, 1)
    .option(
      '--shutdown-timeout <seconds>',
      'how long SIGTERM waits for an active job',
      parsePositiveInteger,
      30,
    )
    .option(
      '--lock-duration <seconds>',
      "how long a job's lock lasts unrenewed: a killed worker's job goes to another worker after it",
      parsePositiveInteger,
      30,
    )
    .option('--queue-prefix <prefix>', 'the Redis key prefix of the queues', defaultJobPrefix)
    .action((options: WorkerOptions) =>
      runCommand(async (common) => {
        const redisUrl = requireRedisUrl(common, 'a worker');
        const { createJobContext } = await import('../jobs/createJobContext.js');
        const { createJobWorkers } = await import('../jobs/createJobWorkers.js');
        const context = createJobContext(common);
        // The warehouse first: it is closed after the workers (newest first), never under an active job.
        await context.warehouse();
        const workers = createJobWorkers({
          redisUrl,
          context,
          queues: options.queues,
          concurrency: options.concurrency,
          lockDurationMs: options.lockDuration * 1000,
          prefix: options.queuePrefix,
        });
        await workers.ready();
        const { createJobQueues } = await import('../jobs/createJobQueues.js');
        const { applyJobSchedules } = await import('../jobs/applyJobSchedules.js');
        const jobQueues = createJobQueues({ redisUrl, prefix: options.queuePrefix });
        try {
          const scheduled = await applyJobSchedules(jobQueues, common.config);
          if (scheduled.length > 0) common.logger.info({ scheduled }, 'job schedules applied');
        } finally {
          await jobQueues.close();
        }
        const queues = options.queues ?? jobKinds;
        common.logger.info({ queues, concurrency: options.concurrency }, 'worker ready');
        process.stdout.write(`worker ready: ${queues.join(', ')}\n`);
        await new Promise<void>((resolve) => {
          common.shutdown.register('job workers', async () => {
            await workers.close(options.shutdownTimeout * 1000);
            resolve();
          });
        });
      }),
    );
}

function parseKinds(value: string): JobKind[] {
  const kinds = value.split(',').map((kind) => kind.trim());
  const unknown = kinds.filter((kind) => !jobKinds.includes(kind as JobKind));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      `unknown queue ${unknown.join(', ')}; expected some of ${jobKinds.join(', ')}`,
    );
  }
  return kinds as JobKind[];
}
