import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { BaseError, isRetryable } from '../internal/errors.js';
import { type JobKind, jobKinds } from './jobPayloads.js';
import type { JobContext } from './jobProcessors.js';
import { defaultJobPrefix, type JobQueueSettings } from './jobQueueSettings.js';
import { type JobProcessors, runJob } from './runJob.js';

/** Which queues a worker process serves, how many jobs at once, and what it runs them with. */
export interface JobWorkerOptions extends JobQueueSettings {
  /** The process's job context (its warehouse is opened once and shared by every job). */
  context: JobContext & { withProgress(progress: JobContext['progress']): JobContext };
  /** Default: every queue. */
  queues?: readonly JobKind[] | undefined;
  /** Jobs at once per queue (default 1: the embedded warehouse serialises writes anyway). */
  concurrency?: number | undefined;
  /** A job whose worker stopped renewing its lock (killed) is taken over after this long (default 30 s). */
  lockDurationMs?: number | undefined;
  processors?: JobProcessors | undefined;
}

/** Running workers, one per queue. */
export interface JobWorkers {
  /** Resolves once every worker is connected and waiting for jobs. */
  ready(): Promise<void>;
  /**
   * Stops taking jobs and waits up to `timeoutMs` for the active ones to finish; a job still running then is
   * handed back (it is retried by another worker as a stalled job). Closes Redis.
   */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Starts BullMQ workers on the given queues. A job whose processor throws a RetryableError is retried with its
 * backoff; any other error fails it at once (UnrecoverableError) with the error's message as its reason.
 */
export function createJobWorkers(options: JobWorkerOptions): JobWorkers {
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const { context } = options;
  const { logger } = context.common;
  const workers = (options.queues ?? jobKinds).map(
    (kind) =>
      new Worker(
        kind,
        async (job) => {
          const jobContext = context.withProgress((share, message) => {
            void job.updateProgress({ share, message });
          });
          logger.info({ job: job.id, kind, attempt: job.attemptsMade + 1 }, 'job started');
          try {
            const result = await runJob(kind, job.data, jobContext, options.processors);
            logger.info({ job: job.id, kind }, 'job completed');
            return result;
          } catch (error) {
            logger.warn({ job: job.id, kind, err: error, retryable: isRetryable(error) }, 'job failed');
            if (isRetryable(error)) throw error;
            throw new UnrecoverableError(error instanceof BaseError ? error.message : String(error));
          }
        },
        {
          connection,
          prefix: options.prefix ?? defaultJobPrefix,
          concurrency: options.concurrency ?? 1,
          lockDuration: options.lockDurationMs ?? 30_000,
          stalledInterval: Math.max(1_000, Math.floor((options.lockDurationMs ?? 30_000) / 2)),
        },
      ),
  );
  return {
    ready: async () => {
      await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    },
    close: async (timeoutMs = 30_000) => {
      const graceful = Promise.all(workers.map((worker) => worker.close()));
      const timedOut = await Promise.race([
        graceful.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), timeoutMs).unref()),
      ]);
      if (timedOut) await Promise.all(workers.map((worker) => worker.close(true)));
      await connection.quit();
    },
  };
}
