import type { QueueEvents } from 'bullmq';

/** Resolves with the next event of `kind` on `events` for job `id` (any job when null) that `accept` takes. */
export function nextJobEvent<T>(
  events: QueueEvents,
  kind: 'completed' | 'failed' | 'progress',
  id: string | null,
  accept = (_: T) => true,
): Promise<T> {
  return new Promise<T>((resolve) => {
    const listener = (event: { jobId: string } & T) => {
      if ((id !== null && event.jobId !== id) || !accept(event)) return;
      events.off(kind, listener as never);
      resolve(event);
    };
    events.on(kind, listener as never);
  });
}
