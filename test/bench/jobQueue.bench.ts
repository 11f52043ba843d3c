// Job queue throughput and overhead on a redis-server of its own (BENCH_JOBS small jobs, default 2,000, whose
// processor does nothing):
// - jobs/s drained by 1 and by 2 worker processes (from the first job started to the last finished, by the
//   jobs' own timestamps in Redis), the 2-worker figure against the 1-worker one;
// - the round trip of one job (enqueue → completed event, 200 one after another) against calling the same
//   processor directly through runJob (its floor).
import { type Job, Queue, QueueEvents } from 'bullmq';
import { createJobContext } from '../../src/jobs/createJobContext.js';
import { createJobQueues } from '../../src/jobs/createJobQueues.js';
import { jobProcessors } from '../../src/jobs/jobProcessors.js';
import { runJob } from '../../src/jobs/runJob.js';
import { startTsProcess } from '../setup/spawnProcess.js';
import { startRedisServer } from '../setup/startRedisServer.js';
import { createTestCommon } from '../setup/testWarehouse.js';
import { report } from './report.js';

const jobs = Number(process.env.BENCH_JOBS ?? 2_000);
const redis = await startRedisServer();
const round = (value: number) => Number(value.toFixed(3));

/** Enqueues `jobs` jobs, starts `workers` worker processes, and returns the jobs/s they drained them at. */
async function drain(workers: number): Promise<number> {
  const prefix = `bench${workers}`;
  const queues = createJobQueues({ redisUrl: redis.url, prefix });
  for (let start = 0; start < jobs; start += 200) {
    const batch = Array.from({ length: Math.min(200, jobs - start) }, (_, i) => start + i + 1);
    await Promise.all(batch.map((modelVersion) => queues.enqueue('price-predict', { modelVersion })));
  }
  const events = new QueueEvents('price-predict', { connection: { url: redis.url }, prefix });
  await events.waitUntilReady();
  let completed = 0;
  const allDone = new Promise<void>((resolve) =>
    events.on('completed', () => {
      completed += 1;
      if (completed === jobs) resolve();
    }),
  );
  const processes = Array.from({ length: workers }, () =>
    startTsProcess('test/bench/jobQueueWorker.ts', [redis.url, prefix]),
  );
  await Promise.all(processes.map((p) => p.waitForLine('ready')));
  await allDone;
  const queue = new Queue('price-predict', { connection: { url: redis.url }, prefix });
  const done = (await queue.getJobs(['completed'], 0, -1)) as Job[];
  const started = Math.min(...done.map((job) => job.processedOn!));
  const finished = Math.max(...done.map((job) => job.finishedOn!));
  for (const p of processes) p.child.kill('SIGTERM');
  await Promise.all(processes.map((p) => p.exited));
  await Promise.all([queue.close(), events.close(), queues.close()]);
  return jobs / ((finished - started) / 1000);
}

const one = await drain(1);
const two = await drain(2);
report({
  bench: 'jobQueue.throughput.1worker',
  value: Math.round(one),
  unit: 'jobs/s',
  baseline: Math.round(one),
  ratio: 1,
  jobs,
});
report({
  bench: 'jobQueue.throughput.2workers',
  value: Math.round(two),
  unit: 'jobs/s',
  baseline: Math.round(one),
  ratio: two / one,
  jobs,
});

// Round trip of one job at a time through the queue, against the direct call.
const common = await createTestCommon('.tmp/bench-jobs');
const context = createJobContext(common);
const processors = { ...jobProcessors, 'price-predict': async () => ({ done: true }) };
const calls = 200;
let started = performance.now();
for (let i = 0; i < calls; i += 1)
  await runJob('price-predict', { modelVersion: i + 1 }, context, processors);
const direct = (performance.now() - started) / calls;

const prefix = 'benchLatency';
const queues = createJobQueues({ redisUrl: redis.url, prefix });
const events = new QueueEvents('price-predict', { connection: { url: redis.url }, prefix });
await events.waitUntilReady();
const worker = startTsProcess('test/bench/jobQueueWorker.ts', [redis.url, prefix]);
await worker.waitForLine('ready');
started = performance.now();
for (let i = 0; i < calls; i += 1) {
  const done = new Promise<void>((resolve) => events.once('completed', () => resolve()));
  await queues.enqueue('price-predict', { modelVersion: i + 1 });
  await done;
}
const queued = (performance.now() - started) / calls;
report({
  bench: 'jobQueue.roundTrip',
  value: round(queued),
  unit: 'ms/job',
  baseline: round(direct),
  ratio: queued / direct,
  overheadMs: round(queued - direct),
  calls,
});
worker.child.kill('SIGTERM');
await worker.exited;
await Promise.all([events.close(), queues.close(), common.shutdown.close()]);
redis.stop();
