import { QueueEvents } from 'bullmq';
import type { InProcessJobs } from '../jobs/createInProcessJobs.js';
import type { JobSummary } from '../jobs/createJobQueues.js';
import { createJobQueues } from '../jobs/createJobQueues.js';
import type { JobKind, JobPayloadInput } from '../jobs/jobPayloads.js';
import { defaultJobPrefix, type JobStatus, jobStatuses } from '../jobs/jobQueueSettings.js';

/** The jobs the API enqueues and lists: BullMQ queues with Redis, or this process's own runner without. */
export interface ApiJobs {
  mode: 'queues' | 'in-process';
  enqueue<K extends JobKind>(kind: K, payload: JobPayloadInput<K>): Promise<JobSummary>;
  /** The newest `first` jobs in `statuses` (every status by default). */
  list(statuses: readonly JobStatus[] | undefined, first: number): Promise<JobSummary[]>;
  /** Calls `listener` when a job of a kind that changes what the API serves completes. */
  onCompleted(listener: (kind: JobKind) => void): void;
  /** Resolves when the jobs this process runs have finished (at once with queues: workers run them). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The kinds whose completion changes scores, snapshots, campaigns or forecasts (caches are dropped then). */
const dataChangingKinds: readonly JobKind[] = [
  'build-graph',
  'score',
  'refresh',
  'airdrop-run',
  'price-predict',
];

/** Jobs on the BullMQ queues at `redisUrl`; completions are heard through QueueEvents. */
export function createQueuedApiJobs(redisUrl: string, prefix = defaultJobPrefix): ApiJobs {
  const queues = createJobQueues({ redisUrl, prefix });
  const events = dataChangingKinds.map((kind) => ({
    kind,
    events: new QueueEvents(kind, { connection: { url: redisUrl }, prefix }),
  }));
  return {
    mode: 'queues',
    async enqueue(kind, payload) {
      const { id } = await queues.enqueue(kind, payload);
      return (await queues.get(id))!;
    },
    async list(statuses, first) {
      const jobs = await queues.list(statuses ?? jobStatuses);
      return jobs.reverse().slice(0, first);
    },
    onCompleted(listener) {
      for (const { kind, events: queueEvents } of events) queueEvents.on('completed', () => listener(kind));
    },
    idle: async () => {},
    async close() {
      await Promise.all([queues.close(), ...events.map(({ events: queueEvents }) => queueEvents.close())]);
    },
  };
}

/** Jobs run in this process (no Redis): the embedded default, where the server owns the warehouse. */
export function createInProcessApiJobs(jobs: InProcessJobs): ApiJobs {
  return {
    mode: 'in-process',
    enqueue: async (kind, payload) => jobs.enqueue(kind, payload).job,
    list: async (statuses, first) => jobs.list(statuses).slice(0, first),
    onCompleted: (listener) => jobs.onCompleted(listener),
    idle: () => jobs.idle(),
    close: () => jobs.idle(),
  };
}
