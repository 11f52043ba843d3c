import { QueueEvents } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextJobEvent } from '../../test/setup/nextJobEvent.js';
import { useTestRedis } from '../../test/setup/testRedis.js';
import { createTestCommon, useTempDir } from '../../test/setup/testWarehouse.js';
import type { Common } from '../internal/createCommon.js';
import { NonRetryableError, RetryableError } from '../internal/errors.js';
import { createJobContext } from './createJobContext.js';
import { createJobQueues, type JobQueues } from './createJobQueues.js';
import { createJobWorkers, type JobWorkers } from './createJobWorkers.js';
import { parseJobPayload } from './jobPayloads.js';
import { jobProcessors } from './jobProcessors.js';
import type { JobProcessors } from './runJob.js';
import { toJobId } from './toJobId.js';

describe('job queues on a real Redis', () => {
  const redis = useTestRedis();
  const dataDir = useTempDir();
  let common: Common;
  let queues: JobQueues;
  let workers: JobWorkers | undefined;
  let events: QueueEvents;
  /** How often each price-predict job (by model version) has run, and what it throws on which attempt. */
  const runs = new Map<number, number>();
  let behaviour: (version: number, attempt: number) => void;

  const processors: JobProcessors = {
    ...jobProcessors,
    'price-predict': async (payload) => {
      const version = payload.modelVersion ?? 0;
      const attempt = (runs.get(version) ?? 0) + 1;
      runs.set(version, attempt);
      behaviour(version, attempt);
      return { version, attempt };
    },
  };
  const startWorkers = async () => {
    const { url, prefix } = redis();
    workers = createJobWorkers({
      redisUrl: url,
      prefix,
      context: createJobContext(common),
      queues: ['price-predict'],
      processors,
    });
    await workers.ready();
  };
  /** The outcome of the next time job `id` finishes: listen first, then enqueue or retry. */
  const nextOutcome = (id: string) =>
    Promise.race([
      nextJobEvent<{ returnvalue: unknown }>(events, 'completed', id).then((e) => e.returnvalue),
      nextJobEvent<{ failedReason: string }>(events, 'failed', id).then((e) => {
        throw new Error(e.failedReason);
      }),
    ]);
  const idOf = (modelVersion?: number) =>
    toJobId(
      'price-predict',
      parseJobPayload('price-predict', modelVersion === undefined ? {} : { modelVersion }),
    );

  beforeEach(async () => {
    const { url, prefix } = redis();
    common = await createTestCommon(dataDir());
    queues = createJobQueues({ redisUrl: url, prefix });
    events = new QueueEvents('price-predict', { connection: { url }, prefix });
    await events.waitUntilReady();
    runs.clear();
    behaviour = () => {};
  });
  afterEach(async () => {
    await workers?.close();
    workers = undefined;
    await events.close();
    await queues.close();
    await common.shutdown.close();
  });

  it('keeps one job per kind and payload, whatever the key order or how often it is enqueued', async () => {
    const first = await queues.enqueue('ingest-range', { rpcUrl: 'http://127.0.0.1:8545', from: 0, to: 10 });
    const again = await queues.enqueue('ingest-range', { to: 10, from: 0, rpcUrl: 'http://127.0.0.1:8545' });
    const other = await queues.enqueue('ingest-range', { rpcUrl: 'http://127.0.0.1:8545', from: 11, to: 20 });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    expect(other.id).not.toBe(first.id);
    const listed = await queues.list(['waiting']);
    expect(listed.map((job) => job.id).sort()).toEqual([first.id, other.id].sort());
    expect(listed.find((job) => job.id === first.id)?.payload).toEqual({
      rpcUrl: 'http://127.0.0.1:8545',
      from: 0,
      to: 10,
      logsOnly: false,
    });
  });

  it('refuses a bad payload by field, and enqueues nothing', async () => {
    const enqueued = queues.enqueue('ingest-range', { rpcUrl: 'not a url', to: -1 } as never);
    await expect(enqueued).rejects.toMatchObject({ code: 'JOB_INVALID' });
    await expect(enqueued).rejects.toThrow(
      /rpcUrl: expected an http\(s\) URL[\s\S]*to: expected a block number/,
    );
    expect(await queues.list()).toEqual([]);
  });

  it('retries a RetryableError with backoff until it succeeds', async () => {
    behaviour = (_, attempt) => {
      if (attempt < 3) throw new RetryableError(`node busy (attempt ${attempt})`);
    };
    await startWorkers();
    const outcome = nextOutcome(idOf(1));
    const { id } = await queues.enqueue('price-predict', { modelVersion: 1 }, { backoffMs: 10 });
    expect(await outcome).toEqual({ version: 1, attempt: 3 });
    const job = await queues.get(id);
    expect(job).toMatchObject({ status: 'completed', attemptsMade: 3, result: { version: 1, attempt: 3 } });
  });

  it('fails a NonRetryableError at once with its reason, and runs it again on retry', async () => {
    behaviour = (_, attempt) => {
      if (attempt === 1)
        throw new NonRetryableError('No price model saved yet', { details: 'Train one first.' });
    };
    await startWorkers();
    const failure = nextOutcome(idOf(2));
    const { id } = await queues.enqueue('price-predict', { modelVersion: 2 }, { backoffMs: 10 });
    await expect(failure).rejects.toThrow(/No price model saved yet/);
    const failed = await queues.get(id);
    expect(failed).toMatchObject({ status: 'failed', attemptsMade: 1 });
    expect(failed?.failedReason).toMatch(/No price model saved yet[\s\S]*Train one first/);
    expect(runs.get(2)).toBe(1);

    const success = nextOutcome(id);
    await queues.retry(id);
    expect(await success).toEqual({ version: 2, attempt: 2 });
    expect(await queues.clean('completed', 0)).toBe(1);
    expect(await queues.get(id)).toBeUndefined();
  });

  it('names the job that cannot be retried or does not exist', async () => {
    const { id } = await queues.enqueue('price-predict', {});
    await expect(queues.retry(id)).rejects.toMatchObject({ code: 'JOB_NOT_FAILED' });
    await expect(queues.retry('price-predict-nope')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
  });
});
