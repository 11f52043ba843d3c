import { type JobKind, parseJobPayload } from './jobPayloads.js';
import type { JobContext, JobProcessor } from './jobProcessors.js';
import { jobProcessors } from './jobProcessors.js';

/** The processor of every job kind (the real ones by default; tests of the queue may pass their own). */
export type JobProcessors = { [K in JobKind]: JobProcessor<K> };

/** Checks a job's payload and runs its processor: what a worker does per job, and the in-process default. */
export async function runJob(
  kind: JobKind,
  payload: unknown,
  context: JobContext,
  processors: JobProcessors = jobProcessors,
): Promise<Record<string, unknown>> {
  const parsed = parseJobPayload(kind, payload);
  return (processors[kind] as JobProcessor<JobKind>)(parsed, context);
}
