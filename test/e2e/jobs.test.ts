import { QueueEvents } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { createRpcClient } from '../../src/chain/rpc/createRpcClient.js';
import { applyJobSchedules } from '../../src/jobs/applyJobSchedules.js';
import { createJobContext } from '../../src/jobs/createJobContext.js';
import { createJobQueues } from '../../src/jobs/createJobQueues.js';
import { createJobWorkers } from '../../src/jobs/createJobWorkers.js';
import { parseJobPayload } from '../../src/jobs/jobPayloads.js';
import { toPipelineSteps } from '../../src/jobs/pipelineFlow.js';
import { toJobId } from '../../src/jobs/toJobId.js';
import { runIndexer } from '../../src/tasks/indexer/runIndexer.js';
import { toSimulationLabelRows } from '../../src/tasks/labels/toSimulationLabelRows.js';
import { createWarehouse } from '../../src/warehouse/createWarehouse.js';
import { blockScopedTables } from '../../src/warehouse/deleteBlocksAbove.js';
import { getTableChecksums } from '../../src/warehouse/getTableChecksums.js';
import { insertRows } from '../../src/warehouse/insertRows.js';
import { applyMigrations } from '../../src/warehouse/migrations.js';
import { nextJobEvent } from '../setup/nextJobEvent.js';
import { startCli } from '../setup/spawnProcess.js';
import { useTestRedis } from '../setup/testRedis.js';
import { createTestCommon, queryRows, useTempDir } from '../setup/testWarehouse.js';
import { useSimulatedWorld } from '../setup/useSimulatedWorld.js';

describe('chaingnn worker on a real Redis', () => {
  /** A migrated database of its own in the test's data directory, and a job context on it (workers in-process). */
  const openInProcess = async (database: string) => {
    const common = await createTestCommon(dataDir());
    const warehouse = await createWarehouse(common, { database });
    await applyMigrations(warehouse);
    return { common, warehouse, context: createJobContext(common, { warehouse }) };
  };
  const redis = useTestRedis();
  const dataDir = useTempDir();
  const simulated = useSimulatedWorld({
    seed: 5,
    scale: 'small',
    params: { blocks: 700, farms: 1, phishingCampaigns: 3, poisoners: 2 },
  });

  it('hands the job of a worker killed mid-job to another worker, which writes its rows exactly once', async () => {
    const { devnet, world } = simulated();
    const { url, prefix } = redis();
    const env = {
      CHAINGNN_DATA_DIR: dataDir(),
      REDIS_URL: url,
      LOG_LEVEL: 'warn',
      CHAINGNN_TF_BACKEND: 'wasm',
    };
    const args = ['worker', '--queues', 'ingest-range', '--queue-prefix', prefix, '--lock-duration', '2'];
    const queues = createJobQueues({ redisUrl: url, prefix });
    const events = new QueueEvents('ingest-range', { connection: { url }, prefix });
    await events.waitUntilReady();
    try {
      const first = startCli(args, env);
      await first.waitForLine('worker ready: ingest-range');
      // Every batch written on its own, so that the kill lands between writes.
      const { id } = await queues.enqueue('ingest-range', {
        rpcUrl: devnet.url,
        to: world.lastBlock,
        minRowsPerWrite: 1,
      });
      // Killed once it has written a batch but not the rest (the indexer reports after every write).
      await nextJobEvent<{ data: { share: number } }>(events, 'progress', id, (e) => e.data.share < 1);
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');

      const completed = nextJobEvent<{ returnvalue: { block: number } }>(events, 'completed', id);
      const second = startCli(args, env);
      await second.waitForLine('worker ready: ingest-range');
      expect((await completed).returnvalue.block).toBe(world.lastBlock);
      const job = await queues.get(id);
      expect(job).toMatchObject({ status: 'completed', failedReason: null });

      // SIGTERM: the idle worker stops taking jobs, closes Redis and the warehouse, and exits.
      second.child.kill('SIGTERM');
      const stopped = await second.exited;
      expect(stopped.code).toBe(143);
      expect(stopped.stderr).not.toMatch(/error/i);
    } finally {
      await events.close();
      await queues.close();
    }

    // The rows are those of one uninterrupted ingestion into a second database of the same directory.
    const common = await createTestCommon(dataDir());
    try {
      const written = await createWarehouse(common);
      const reference = await createWarehouse(common, { database: 'reference' });
      await applyMigrations(reference);
      await runIndexer({
        rpc: createRpcClient({ url: devnet.url }),
        warehouse: reference,
        logger: common.logger,
        to: world.lastBlock,
      });
      const tables = Object.keys(blockScopedTables);
      const ours = await getTableChecksums(written, tables);
      expect(ours).toEqual(await getTableChecksums(reference, tables));
      expect(ours.transactions?.rows).toBeGreaterThan(1000);
    } finally {
      await common.shutdown.close();
    }
  });

  it('runs the ingest → build-graph → train → score flow in order, each job after the one before it', async () => {
    const { devnet, world } = simulated();
    const { url, prefix } = redis();
    const { common, warehouse, context } = await openInProcess('flow');
    await insertRows(warehouse, 'address_labels', toSimulationLabelRows(world.chainId, world.labels, 1));
    const workers = createJobWorkers({
      redisUrl: url,
      prefix,
      context,
    });
    const queues = createJobQueues({ redisUrl: url, prefix });
    const events = new QueueEvents('score', { connection: { url }, prefix });
    try {
      await Promise.all([workers.ready(), events.waitUntilReady()]);
      const steps = toPipelineSteps({ rpcUrl: devnet.url, to: world.lastBlock, epochs: 10 });
      const scoreId = toJobId('score', parseJobPayload('score', {}));
      const scored = nextJobEvent<{ returnvalue: { addresses: number; snapshotId: string } }>(
        events,
        'completed',
        scoreId,
      );
      const ids = await queues.enqueueFlow(steps);
      expect(ids.at(-1)).toBe(scoreId);
      const { returnvalue } = await scored;

      const jobs = await Promise.all(ids.map((id) => queues.get(id)));
      expect(jobs.map((job) => job?.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
      const finished = jobs.map((job) => Date.parse(job!.finishedAt!));
      expect(finished).toEqual([...finished].sort((a, b) => a - b));
      expect(jobs[1]?.result).toMatchObject({ snapshotId: `c${world.chainId}_b${world.lastBlock}_f0` });
      expect(returnvalue.snapshotId).toBe(`c${world.chainId}_b${world.lastBlock}_f0`);
      const [row] = await queryRows<{ n: string }>(
        warehouse,
        'SELECT count() AS n FROM risk_scores FINAL WHERE snapshot_id = {id:String}',
        { id: returnvalue.snapshotId },
      );
      expect(Number(row!.n)).toBe(returnvalue.addresses);
      expect(returnvalue.addresses).toBeGreaterThan(100);
    } finally {
      await workers.close();
      await events.close();
      await queues.close();
      await common.shutdown.close();
    }
  });

  it('follows the head on the configured schedule, and drops the schedule when the configuration does', async () => {
    const { devnet, world } = simulated();
    const { url, prefix } = redis();
    const { common, warehouse, context } = await openInProcess('follow');
    const workers = createJobWorkers({
      redisUrl: url,
      prefix,
      queues: ['follow-head'],
      context,
    });
    const queues = createJobQueues({ redisUrl: url, prefix });
    const events = new QueueEvents('follow-head', { connection: { url }, prefix });
    /** The next follow-head run that saw the head at `block`. */
    const ranAt = (block: number) =>
      nextJobEvent<{ returnvalue: unknown }>(events, 'completed', null, ({ returnvalue }) => {
        const ran = typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue;
        return (ran as { head: number }).head === block;
      });
    const indexedHead = async () =>
      Number((await queryRows<{ n: string }>(warehouse, 'SELECT max(number) AS n FROM blocks FINAL'))[0]!.n);
    try {
      await Promise.all([workers.ready(), events.waitUntilReady()]);
      const first = ranAt(world.lastBlock);
      const config = { rpcUrl: devnet.url, followHeadSeconds: 1 };
      expect(await applyJobSchedules(queues, config)).toEqual(['follow-head']);
      await first;
      expect(await indexedHead()).toBe(world.lastBlock);

      // A new block on the chain is indexed by a later run of the same schedule.
      const next = ranAt(world.lastBlock + 1);
      await devnet.provider.request({ method: 'evm_mine', params: [] });
      await next;
      expect(await indexedHead()).toBe(world.lastBlock + 1);

      expect(await applyJobSchedules(queues, {})).toEqual([]);
      expect(await queues.scheduled()).toEqual([]);
      await expect(applyJobSchedules(queues, { followHeadSeconds: 5 })).rejects.toMatchObject({
        code: 'JOBS_SCHEDULE_INVALID',
      });
    } finally {
      await workers.close();
      await events.close();
      await queues.close();
      await common.shutdown.close();
    }
  });
});
