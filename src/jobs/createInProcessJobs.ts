import type { JobSummary } from './createJobQueues.js';
import { type JobKind, type JobPayloadInput, parseJobPayload } from './jobPayloads.js';
import type { JobContext } from './jobProcessors.js';
import type { JobStatus } from './jobQueueSettings.js';
import { runJob } from './runJob.js';
import { toJobId } from './toJobId.js';

/** Jobs run by this process, one at a time, for a server without Redis (the embedded default). */
export interface InProcessJobs {
  /** Queues a job unless one with the same kind and payload is waiting, running or done; `created` says which. */
  enqueue<K extends JobKind>(kind: K, payload: JobPayloadInput<K>): { job: JobSummary; created: boolean };
  /** The jobs in `statuses` (all by default), newest first. */
  list(statuses?: readonly JobStatus[]): JobSummary[];
  get(id: string): JobSummary | undefined;
  /** Resolves when every queued job has finished. */
  idle(): Promise<void>;
  /** Calls `listener` after each job completes, with its kind. */
  onCompleted(listener: (kind: JobKind) => void): void;
}

/** How many finished jobs are remembered. */
const keptJobs = 1000;

/**
 * Runs jobs in-process, in the order they were queued, on `context` (which owns the warehouse). The same ids as
 * the BullMQ queues (kind + payload hash); a failed job may be queued again, which runs it again.
 */
export function createInProcessJobs(context: JobContext): InProcessJobs {
  const jobs = new Map<string, JobSummary>();
  const listeners: ((kind: JobKind) => void)[] = [];
  let chain: Promise<void> = Promise.resolve();
  const forgetOldest = () => {
    for (const [id, job] of jobs) {
      if (jobs.size <= keptJobs) return;
      if (job.finishedAt !== null) jobs.delete(id);
    }
  };
  const run = async (job: JobSummary) => {
    job.status = 'active';
    job.attemptsMade = 1;
    try {
      job.result = await runJob(job.kind, job.payload, {
        ...context,
        progress: (share, message) => {
          job.progress = { share, message };
          context.progress(share, message);
        },
      });
      job.status = 'completed';
      for (const listener of listeners) listener(job.kind);
    } catch (error) {
      job.status = 'failed';
      job.failedReason = (error as Error).message.split('\n')[0] ?? String(error);
      context.common.logger.warn({ job: job.id, err: error }, 'in-process job failed');
    } finally {
      job.finishedAt = new Date().toISOString();
    }
  };
  return {
    enqueue(kind, payload) {
      const data = parseJobPayload(kind, payload);
      const id = toJobId(kind, data);
      const existing = jobs.get(id);
      if (existing && existing.status !== 'failed') return { job: existing, created: false };
      const job: JobSummary = {
        id,
        kind,
        status: 'waiting',
        attemptsMade: 0,
        progress: 0,
        payload: data,
        result: null,
        failedReason: null,
        createdAt: new Date().toISOString(),
        finishedAt: null,
      };
      jobs.delete(id);
      jobs.set(id, job);
      forgetOldest();
      chain = chain.then(() => run(job));
      return { job, created: true };
    },
    list(statuses) {
      return [...jobs.values()]
        .filter((job) => !statuses || statuses.includes(job.status as JobStatus))
        .reverse();
    },
    get: (id) => jobs.get(id),
    idle: () => chain,
    onCompleted(listener) {
      listeners.push(listener);
    },
  };
}
