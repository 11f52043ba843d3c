import { describe, expect, it } from 'vitest';
import { createTestCommon, useTempDir } from '../../test/setup/testWarehouse.js';
import { createInProcessJobs } from './createInProcessJobs.js';
import type { JobContext } from './jobProcessors.js';

describe('createInProcessJobs', () => {
  const dataDir = useTempDir();

  /** In-process jobs whose warehouse cannot open: every job that needs it fails with that reason. */
  const create = async () => {
    const common = await createTestCommon(dataDir());
    const context: JobContext = {
      common,
      warehouse: () => Promise.reject(new Error('no warehouse in this test')),
      progress: () => {},
    };
    return createInProcessJobs(context);
  };

  it('runs jobs one at a time in order, once per payload, and records a failure with its reason', async () => {
    const jobs = await create();
    const done: string[] = [];
    jobs.onCompleted((kind) => done.push(kind));
    const first = jobs.enqueue('price-predict', { modelVersion: 1 });
    const again = jobs.enqueue('price-predict', { modelVersion: 1 });
    expect(first.created).toBe(true);
    expect(again).toEqual({ job: first.job, created: false });
    expect(first.job.status).toBe('waiting');
    jobs.enqueue('price-predict', { modelVersion: 2 });
    await jobs.idle();
    const listed = jobs.list();
    expect(listed.map((job) => (job.payload as { modelVersion: number }).modelVersion)).toEqual([2, 1]);
    expect(listed.map((job) => job.status)).toEqual(['failed', 'failed']);
    expect(listed[0]!.failedReason).toBe('no warehouse in this test');
    expect(listed[0]!.finishedAt).not.toBeNull();
    expect(done).toEqual([]);
    expect(jobs.list(['completed'])).toEqual([]);
  });

  it('runs a failed job again when it is enqueued again, and refuses a bad payload before queueing it', async () => {
    const jobs = await create();
    const first = jobs.enqueue('price-predict', {});
    await jobs.idle();
    expect(first.job.status).toBe('failed');
    const again = jobs.enqueue('price-predict', {});
    expect(again.created).toBe(true);
    expect(again.job).not.toBe(first.job);
    await jobs.idle();
    expect(jobs.list()).toHaveLength(1);
    expect(() => jobs.enqueue('price-predict', { modelVersion: -1 } as never)).toThrow(
      /price-predict job payload/,
    );
    expect(jobs.get(again.job.id)).toBe(again.job);
  });
});
