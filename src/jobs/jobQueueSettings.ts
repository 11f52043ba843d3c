/** Where the queues live and how enqueued jobs retry. */
export interface JobQueueSettings {
  /** The Redis the queues live in (REDIS_URL). */
  redisUrl: string;
  /** Key prefix of every queue (default `chaingnn`): separate deployments, or tests, on one Redis. */
  prefix?: string | undefined;
}

/** Every attempt a job gets (a RetryableError tries again with exponential backoff; others fail at once). */
export const defaultJobAttempts = 5;

/** The first retry's delay; each next one doubles it. */
export const defaultJobBackoffMs = 1_000;

/** The prefix when none is set. */
export const defaultJobPrefix = 'chaingnn';

/** The states a job can be listed by. */
export const jobStatuses = [
  'waiting',
  'active',
  'delayed',
  'waiting-children',
  'completed',
  'failed',
] as const;
export type JobStatus = (typeof jobStatuses)[number];
