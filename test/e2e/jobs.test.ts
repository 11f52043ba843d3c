import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Devnet, startDevnet } from '../../src/chain/devnet/startDevnet.js';
import { createRpcClient } from '../../src/chain/rpc/createRpcClient.js';
import { type SimulationResult, simulate } from '../../src/chain/simulator/simulate.js';
import { createJobQueues } from '../../src/jobs/createJobQueues.js';
import { runIndexer } from '../../src/tasks/indexer/runIndexer.js';
import { createWarehouse } from '../../src/warehouse/createWarehouse.js';
import { blockScopedTables } from '../../src/warehouse/deleteBlocksAbove.js';
import { getTableChecksums } from '../../src/warehouse/getTableChecksums.js';
import { applyMigrations } from '../../src/warehouse/migrations.js';
import { startCli } from '../setup/spawnProcess.js';
import { useTestRedis } from '../setup/testRedis.js';
import { createTestCommon, useTempDir } from '../setup/testWarehouse.js';

/** Resolves with the next event of `kind` for job `id` on `events`. */
function nextEvent<T>(
  events: QueueEvents,
  kind: 'completed' | 'failed' | 'progress',
  id: string,
  accept = (_: T) => true,
) {
  return new Promise<T>((resolve) => {
    const listener = (event: { jobId: string } & T) => {
      if (event.jobId !== id || !accept(event)) return;
      events.off(kind, listener as never);
      resolve(event);
    };
    events.on(kind, listener as never);
  });
}

describe('chaingnn worker on a real Redis', () => {
  const redis = useTestRedis();
  const dataDir = useTempDir();
  let devnet: Devnet;
  let world: SimulationResult;

  beforeAll(async () => {
    devnet = await startDevnet();
    world = await simulate({
      rpc: devnet.provider,
      seed: 5,
      scale: 'small',
      params: { blocks: 700, farms: 1, phishingCampaigns: 0, poisoners: 0 },
    });
  });
  afterAll(() => devnet?.stop());

  it('hands the job of a worker killed mid-job to another worker, which writes its rows exactly once', async () => {
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
      const { id } = await queues.enqueue('ingest-range', { rpcUrl: devnet.url, to: world.lastBlock });
      // Killed once it has written a batch but not the rest (the indexer reports after every batch).
      await nextEvent<{ data: { share: number } }>(events, 'progress', id, (e) => e.data.share < 1);
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');

      const completed = nextEvent<{ returnvalue: { block: number } }>(events, 'completed', id);
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
});
