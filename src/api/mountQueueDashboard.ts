import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';
import { jobKinds } from '../jobs/jobPayloads.js';
import { defaultJobPrefix } from '../jobs/jobQueueSettings.js';

/** The operators' queue dashboard: a request handler for /admin/queues, and how to close its connections. */
export type QueueDashboard = ((req: IncomingMessage, res: ServerResponse) => void) & {
  close(): Promise<void>;
};

/** The path the dashboard is mounted at. */
export const queueDashboardPath = '/admin/queues';

/** Builds the bull-board dashboard over every job queue (the caller checks the admin key before handing requests on). */
export async function mountQueueDashboard(
  redisUrl: string,
  prefix = defaultJobPrefix,
): Promise<QueueDashboard> {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = jobKinds.map((kind) => new Queue(kind, { connection, prefix }));
  const adapter = new ExpressAdapter();
  adapter.setBasePath(queueDashboardPath);
  createBullBoard({ queues: queues.map((queue) => new BullMQAdapter(queue)), serverAdapter: adapter });
  const app = express();
  app.disable('x-powered-by');
  app.use(queueDashboardPath, adapter.getRouter());
  const handler = ((req: IncomingMessage, res: ServerResponse) =>
    app(req as never, res as never)) as QueueDashboard;
  handler.close = async () => {
    await Promise.all(queues.map((queue) => queue.close()));
    connection.disconnect();
  };
  return handler;
}
