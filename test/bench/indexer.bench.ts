// Indexer throughput on the simulated world (BENCH_SCALE, default medium): blocks/s, transactions/s and
// logs/s written to the embedded warehouse, against the floor measured in the same run: the same RPC
// calls (blocks with transactions, block receipts) through the same client, results discarded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevnet } from '../../src/chain/devnet/startDevnet.js';
import { createBlockFetcher } from '../../src/chain/rpc/createBlockFetcher.js';
import { createRpcClient } from '../../src/chain/rpc/createRpcClient.js';
import type { Scale } from '../../src/chain/simulator/scenarioParams.js';
import { simulate } from '../../src/chain/simulator/simulate.js';
import { createCommon } from '../../src/internal/createCommon.js';
import { runIndexer } from '../../src/tasks/indexer/runIndexer.js';
import { createWarehouse } from '../../src/warehouse/createWarehouse.js';
import { applyMigrations } from '../../src/warehouse/migrations.js';
import { report, timeIt } from './report.js';

const scale = (process.env.BENCH_SCALE ?? 'medium') as Scale;
const batchBlocks = 200;
const concurrency = 2;

const devnet = await startDevnet();
const world = await simulate({ rpc: devnet.provider, seed: 1, scale });

const floorRpc = createRpcClient({ url: devnet.url });
const fetcher = createBlockFetcher(floorRpc);
const ahead: Promise<unknown>[] = [];
const floorSeconds = await timeIt(async () => {
  for (let from = 0; from <= world.lastBlock; from += batchBlocks) {
    const numbers = Array.from(
      { length: Math.min(batchBlocks, world.lastBlock - from + 1) },
      (_, i) => from + i,
    );
    ahead.push(fetcher.fetch(numbers));
    if (ahead.length >= concurrency) await ahead.shift();
  }
  await Promise.all(ahead);
});

const dataDir = mkdtempSync(join(tmpdir(), 'chaingnn-bench-'));
try {
  const common = await createCommon({ env: {}, overrides: { dataDir, logLevel: 'warn' } });
  const warehouse = await createWarehouse(common);
  await applyMigrations(warehouse);
  const rpc = createRpcClient({ url: devnet.url });
  const result = await runIndexer({
    rpc,
    warehouse,
    logger: common.logger,
    to: world.lastBlock,
    batchBlocks,
    concurrency,
  });
  await common.shutdown.close();
  const blocks = world.lastBlock + 1;
  const shared = {
    scale,
    blocks,
    transactions: result.transactions,
    logs: result.logs,
    seconds: Number(result.seconds.toFixed(1)),
  };
  const floorBlocksPerSecond = blocks / floorSeconds;
  report({
    bench: 'indexer.blocks',
    value: Math.round(blocks / result.seconds),
    unit: 'blocks/s',
    baseline: Math.round(floorBlocksPerSecond),
    ratio: blocks / result.seconds / floorBlocksPerSecond,
    ...shared,
    note: 'baseline = the same RPC calls with results discarded',
  });
  report({
    bench: 'indexer.transactions',
    value: Math.round(result.transactions / result.seconds),
    unit: 'tx/s',
    baseline: Math.round(result.transactions / floorSeconds),
    ratio: floorSeconds / result.seconds,
    ...shared,
  });
  report({
    bench: 'indexer.logs',
    value: Math.round(result.logs / result.seconds),
    unit: 'logs/s',
    baseline: Math.round(result.logs / floorSeconds),
    ratio: floorSeconds / result.seconds,
    ...shared,
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  await devnet.stop();
}
