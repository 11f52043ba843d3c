import { type FlowJob, FlowProducer, type Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { NonRetryableError } from '../internal/errors.js';
import { type JobKind, type JobPayloadInput, jobKinds, parseJobPayload } from './jobPayloads.js';
import {
  defaultJobAttempts,
  defaultJobBackoffMs,
  defaultJobPrefix,
  type JobQueueSettings,
  type JobStatus,
  jobStatuses,
} from './jobQueueSettings.js';
import type { PipelineStep } from './pipelineFlow.js';
import { toJobId } from './toJobId.js';

/** A job as `jobs list` shows it. */
export interface JobSummary {
  id: string;
  kind: JobKind;
  status: string;
  attemptsMade: number;
  progress: unknown;
  payload: unknown;
  result: unknown;
  failedReason: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/** The job queues: enqueue (idempotent), list, retry, clean. */
export interface JobQueues {
  /** Adds a job unless one with the same kind and payload exists; `created` says which. */
  enqueue<K extends JobKind>(
    kind: K,
    payload: JobPayloadInput<K>,
    options?: { attempts?: number; backoffMs?: number },
  ): Promise<{ id: string; created: boolean }>;
  list(statuses?: readonly JobStatus[], kinds?: readonly JobKind[]): Promise<JobSummary[]>;
  /**
   * Adds steps as one BullMQ flow: each runs only after the one before it completed (a failed step stops the
   * rest). Returns the job ids, first step first.
   */
  enqueueFlow(steps: readonly PipelineStep[]): Promise<string[]>;
  /** Creates or updates a repeatable job: `kind` with `payload` every `everyMs`, or on a cron `pattern` (UTC). */
  schedule<K extends JobKind>(
    kind: K,
    repeat: { everyMs: number } | { pattern: string },
    payload: JobPayloadInput<K>,
  ): Promise<void>;
  /** The kinds that have a repeatable job. */
  scheduled(): Promise<JobKind[]>;
  unschedule(kind: JobKind): Promise<void>;
  /** Moves a failed job back to waiting (its attempts start over). */
  retry(id: string): Promise<JobSummary>;
  /** Removes jobs in a state finished more than `graceMs` ago; returns how many. */
  clean(status: 'completed' | 'failed', graceMs: number): Promise<number>;
  get(id: string): Promise<JobSummary | undefined>;
  close(): Promise<void>;
}

/** Opens one BullMQ queue per job kind on the Redis at `redisUrl`. */
export function createJobQueues(settings: JobQueueSettings): JobQueues {
  const connection = new Redis(settings.redisUrl, { maxRetriesPerRequest: null });
  const prefix = settings.prefix ?? defaultJobPrefix;
  const queues = new Map(jobKinds.map((kind) => [kind, new Queue(kind, { connection, prefix })]));
  const flows = new FlowProducer({ connection, prefix });
  const jobOptions = (id: string | undefined, options: { attempts?: number; backoffMs?: number } = {}) => ({
    ...(id === undefined ? {} : { jobId: id }),
    attempts: options.attempts ?? defaultJobAttempts,
    backoff: { type: 'exponential' as const, delay: options.backoffMs ?? defaultJobBackoffMs },
  });
  const queueOf = (kind: JobKind) => queues.get(kind)!;
  const findJob = async (id: string) => {
    const kind = jobKinds.find((k) => id.startsWith(`${k}-`));
    const job = kind && ((await queueOf(kind).getJob(id)) as Job | undefined);
    return job ? { kind: kind!, job } : undefined;
  };
  const summarise = async (kind: JobKind, job: Job): Promise<JobSummary> => ({
    id: job.id!,
    kind,
    status: await job.getState(),
    attemptsMade: job.attemptsMade,
    progress: job.progress,
    payload: job.data,
    result: job.returnvalue ?? null,
    failedReason: job.failedReason || null,
    createdAt: new Date(job.timestamp).toISOString(),
    finishedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
  });
  return {
    async enqueue(kind, payload, options = {}) {
      const data = parseJobPayload(kind, payload);
      const id = toJobId(kind, data);
      const existing = await queueOf(kind).getJob(id);
      await queueOf(kind).add(kind, data, jobOptions(id, options));
      return { id, created: existing === undefined };
    },
    async enqueueFlow(steps) {
      // A BullMQ flow is a tree whose children run first: the last step is the root, the first the deepest leaf.
      const ids: string[] = [];
      let tree: FlowJob | undefined;
      for (const step of steps) {
        const data = parseJobPayload(step.kind, step.payload);
        const id = toJobId(step.kind, data);
        ids.push(id);
        const child = tree && { ...tree, opts: { ...tree.opts, failParentOnFailure: true } };
        tree = {
          name: step.kind,
          queueName: step.kind,
          data,
          opts: jobOptions(id),
          ...(child ? { children: [child] } : {}),
        } as FlowJob;
      }
      if (tree) await flows.add(tree);
      return ids;
    },
    async list(statuses = jobStatuses, kinds = jobKinds) {
      const all = await Promise.all(
        kinds.map(async (kind) => {
          const jobs = await queueOf(kind).getJobs([...statuses]);
          return Promise.all(jobs.filter(Boolean).map((job) => summarise(kind, job)));
        }),
      );
      return all.flat().sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },
    async schedule(kind, repeat, payload) {
      const data = parseJobPayload(kind, payload);
      const every = 'everyMs' in repeat ? { every: repeat.everyMs } : { pattern: repeat.pattern, tz: 'UTC' };
      // One scheduler per kind, named after it: applying the same schedule again updates it in place.
      await queueOf(kind).upsertJobScheduler(kind, every, { name: kind, data, opts: jobOptions(undefined) });
    },
    async scheduled() {
      const found = await Promise.all(
        jobKinds.map(async (kind) => ((await queueOf(kind).getJobSchedulers()).length > 0 ? [kind] : [])),
      );
      return found.flat();
    },
    async unschedule(kind) {
      await queueOf(kind).removeJobScheduler(kind);
    },
    async retry(id) {
      const found = await findJob(id);
      if (!found) throw noSuchJob(id);
      const state = await found.job.getState();
      if (state !== 'failed') {
        throw new NonRetryableError(`Job ${id} is ${state}, not failed`, {
          code: 'JOB_NOT_FAILED',
          details: 'Only a failed job can be retried; chaingnn jobs list --status failed lists them.',
        });
      }
      await found.job.retry('failed', { resetAttemptsMade: true });
      return summarise(found.kind, found.job);
    },
    async clean(status, graceMs) {
      const removed = await Promise.all(jobKinds.map((kind) => queueOf(kind).clean(graceMs, 0, status)));
      return removed.reduce((sum, ids) => sum + ids.length, 0);
    },
    async get(id) {
      const found = await findJob(id);
      return found && summarise(found.kind, found.job);
    },
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      await flows.close();
      await connection.quit();
    },
  };
}

function noSuchJob(id: string): NonRetryableError {
  return new NonRetryableError(`No job ${id}`, {
    code: 'JOB_NOT_FOUND',
    details: `Expected the id of a queued, finished or failed job (<kind>-<hash>, kinds: ${jobKinds.join(', ')}); chaingnn jobs list shows them.`,
  });
}
