// Indexer throughput on the simulated world (BENCH_SCALE, default medium; or BENCH_RPC), in both modes: blocks/s,
// transactions/s and decoded logs/s written to the embedded warehouse, each against the floor measured in
// the same run: the same RPC calls through the same client (full: blocks with transactions and receipts;
// logs: headers and adaptive eth_getLogs), results discarded; each side the best of two runs, interleaved. The
// node runs in its own process, as a real node does (in-process, its serving would share the indexer's one
// JavaScript thread). Each figure also carries the CPU seconds each side used, of this process and (when the bench
// started the node) of the node's: on a machine with few cores the two processes share them, so the ratio tells
// how much CPU the indexer adds to the floor's client as much as how fast it is. Beside them, per mode: the ceiling
// (the same indexing with the rows discarded instead of written) and the engine's own cost of writing those rows,
// so that a run shows how much of the floor storage could cost on this machine before the goal is out of reach.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRpcClient } from '../../src/chain/rpc/createRpcClient.js';
import type { Scale } from '../../src/chain/simulator/scenarioParams.js';
import { simulate } from '../../src/chain/simulator/simulate.js';
import { createCommon } from '../../src/internal/createCommon.js';
import { createBatchSource, type IndexMode } from '../../src/tasks/indexer/createBatchSource.js';
import { runIndexer } from '../../src/tasks/indexer/runIndexer.js';
import { createWarehouse, type Warehouse } from '../../src/warehouse/createWarehouse.js';
import { blockScopedTables } from '../../src/warehouse/deleteBlocksAbove.js';
import { applyMigrations } from '../../src/warehouse/migrations.js';
import { queryRows } from '../../src/warehouse/queryRows.js';
import { startTsProcess } from '../setup/spawnProcess.js';
import { report, timeIt } from './report.js';

const scale = (process.env.BENCH_SCALE ?? 'medium') as Scale;
const batchBlocks: Record<IndexMode, number> = { full: 200, logs: 1_000 };
const concurrency = 2;

// BENCH_RPC: index a node that already holds the simulated world (e.g. `chaingnn devnet simulate --scale large`
// run once beforehand, ~25 min; set BENCH_SCALE to match, it labels the figures), instead of simulating here.
const node = process.env.BENCH_RPC ? undefined : await startNode();
const devnet = { url: process.env.BENCH_RPC ?? node!.url };
const world = node
  ? await simulate({ rpc: devnet.url, seed: 1, scale })
  : { lastBlock: Number(await createRpcClient({ url: devnet.url }).request<string>('eth_blockNumber')) };
process.stderr.write(
  'seconds' in world
    ? `world: ${world.lastBlock + 1} blocks, ${world.transactions} txs in ${world.seconds.toFixed(0)} s\n`
    : `world: ${world.lastBlock + 1} blocks already on ${devnet.url}\n`,
);

/** Clock ticks per second of /proc's CPU times. */
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** CPU seconds used so far by this process and by the node's (undefined when the bench did not start it). */
function cpuSeconds(): { ours: number; node: number | undefined } {
  const usage = process.cpuUsage();
  const pid = node?.child.child.pid;
  let nodeSeconds: number | undefined;
  if (pid !== undefined) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    nodeSeconds = (Number(fields[11]) + Number(fields[12])) / clockTicks;
  }
  return { ours: (usage.user + usage.system) / 1e6, node: nodeSeconds };
}

/** A run's result with the CPU seconds this process (`ours`) and the node's used while it ran. */
interface Timed<T> {
  result: T;
  ours: number;
  node: number | undefined;
}

/** `fn`'s result with the CPU seconds this process and the node's used while it ran. */
async function withCpu<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const before = cpuSeconds();
  const result = await fn();
  const after = cpuSeconds();
  const node = before.node === undefined || after.node === undefined ? undefined : after.node - before.node;
  return { result, ours: after.ours - before.ours, node };
}

/** Seconds to make the mode's RPC calls for the whole world, batch by batch with the indexer's look-ahead. */
async function floorSeconds(mode: IndexMode): Promise<number> {
  const source = createBatchSource(createRpcClient({ url: devnet.url }), mode);
  const ahead: Promise<unknown>[] = [];
  return timeIt(async () => {
    for (let from = 0; from <= world.lastBlock; from += batchBlocks[mode]) {
      const count = Math.min(batchBlocks[mode], world.lastBlock - from + 1);
      ahead.push(source.fetch(Array.from({ length: count }, (_, i) => from + i)));
      if (ahead.length >= concurrency) await ahead.shift();
    }
    await Promise.all(ahead);
  });
}

/** Indexes the world in `mode` into an emptied warehouse and reports its rates against the floor. */
async function measure(
  warehouse: Warehouse,
  mode: IndexMode,
  logger: Parameters<typeof runIndexer>[0]['logger'],
) {
  // Each side the best of two, interleaved (floor, ceiling, ours; twice): a machine shared with other work slows
  // one run or the other, not one side only. The ceiling is the same indexing with every row discarded instead of
  // written (checkpoints still are): the most that any storage could leave of the floor on this machine.
  const floors: Timed<number>[] = [];
  let indexed: Timed<Awaited<ReturnType<typeof runIndexer>>> | undefined;
  let ceiling: Timed<Awaited<ReturnType<typeof runIndexer>>> | undefined;
  const discarding: Warehouse = { ...warehouse, insert: async () => {} };
  const index = async (into: Warehouse) => {
    await emptyTables(warehouse);
    return withCpu(() =>
      runIndexer({
        rpc: createRpcClient({ url: devnet.url }),
        warehouse: into,
        logger,
        to: world.lastBlock,
        mode,
        batchBlocks: batchBlocks[mode],
        concurrency,
      }),
    );
  };
  for (let round = 0; round < 2; round += 1) {
    floors.push(await withCpu(() => floorSeconds(mode)));
    const unwritten = await index(discarding);
    if (!ceiling || unwritten.result.seconds < ceiling.result.seconds) ceiling = unwritten;
    const run = await index(warehouse);
    if (!indexed || run.result.seconds < indexed.result.seconds) indexed = run;
  }
  const copy = await engineCopySeconds(warehouse);
  const fastestFloor = floors.reduce((a, b) => (b.result < a.result ? b : a));
  const floor = fastestFloor.result;
  const best = indexed!.result;
  const cpu = (side: Timed<unknown>, client: string) =>
    `${client} ${side.ours.toFixed(2)}${side.node === undefined ? '' : `, node ${side.node.toFixed(2)}`} CPU-s`;
  /** The CPU fields of an indexing run: this process's and (when measured) the node's beside the floor's. */
  const cpuFields = (run: Timed<unknown>) => ({
    indexerCpuSeconds: Number(run.ours.toFixed(2)),
    ...(run.node === undefined || fastestFloor.node === undefined
      ? {}
      : {
          nodeCpuSecondsIndexing: Number(run.node.toFixed(2)),
          nodeCpuSecondsFloor: Number(fastestFloor.node.toFixed(2)),
        }),
  });
  // What the goal (0.8 of the floor) leaves for storage: the wall time between the ceiling and floor / 0.8.
  const storageBudget = floor / 0.8 - ceiling!.result.seconds;
  process.stderr.write(
    `${mode}: floor ${floors.map((f) => f.result.toFixed(2)).join(' and ')} s (fastest: ${cpu(fastestFloor, 'client')}), ` +
      `indexing ${best.seconds.toFixed(2)} s at best (${cpu(indexed!, 'indexer')}), ` +
      `rows discarded ${ceiling!.result.seconds.toFixed(2)} s (${cpu(ceiling!, 'indexer')}), on ${availableParallelism()} cores; ` +
      `0.8 of the floor leaves ${storageBudget.toFixed(2)} s for storage, and the engine alone copies the same ` +
      `${copy.rows} rows table to table in ${copy.seconds.toFixed(2)} s (${copy.cpuSeconds.toFixed(2)} CPU-s)\n`,
  );
  const blocks = world.lastBlock + 1;
  const shared = {
    scale,
    mode,
    blocks,
    transactions: best.transactions,
    logs: best.logs,
    seconds: Number(best.seconds.toFixed(1)),
    floorSeconds: Number(floor.toFixed(1)),
    cores: availableParallelism(),
    floorClientCpuSeconds: Number(fastestFloor.ours.toFixed(2)),
    ...cpuFields(indexed!),
  };
  const figures: [string, number, string][] = [
    ['blocks', blocks, 'blocks/s'],
    ...(mode === 'full' ? [['transactions', best.transactions, 'tx/s'] as [string, number, string]] : []),
    ['logs', best.logs, 'logs/s'],
  ];
  for (const [name, count, unit] of figures) {
    report({
      bench: `indexer.${mode}.${name}`,
      value: Math.round(count / best.seconds),
      unit,
      baseline: Math.round(count / floor),
      ratio: floor / best.seconds,
      ...shared,
      note: 'baseline = the same RPC calls with results discarded',
    });
  }
  report({
    bench: `indexer.${mode}.ceiling`,
    value: Math.round(best.logs / ceiling!.result.seconds),
    unit: 'logs/s',
    baseline: Math.round(best.logs / floor),
    ratio: floor / ceiling!.result.seconds,
    ...shared,
    seconds: Number(ceiling!.result.seconds.toFixed(2)),
    ...cpuFields(ceiling!),
    storageBudgetSeconds: Number(storageBudget.toFixed(2)),
    engineCopyRows: copy.rows,
    engineCopySeconds: Number(copy.seconds.toFixed(2)),
    engineCopyCpuSeconds: Number(copy.cpuSeconds.toFixed(2)),
    note:
      'the same indexing with every row discarded instead of written, against the floor: the ratio no storage can ' +
      'exceed here; storageBudgetSeconds = floor / 0.8 - this run; engineCopy = the engine inserting the same rows ' +
      'from its own tables (no parsing, merges stopped), the least that writing them costs',
  });
}

/** Empties the tables the indexer writes, and its checkpoints. */
async function emptyTables(warehouse: Warehouse) {
  for (const table of [...Object.keys(blockScopedTables), 'indexer_checkpoints'])
    await warehouse.client.command({ query: `TRUNCATE TABLE ${table}` });
}

/**
 * The engine's own cost of writing the indexed rows: each table copied into an empty twin in a scratch database
 * (merges stopped), less the cost of reading it. Seconds and CPU seconds of this process, and the rows copied.
 */
async function engineCopySeconds(warehouse: Warehouse) {
  const scratch = `${warehouse.database}_copy`;
  const run = (query: string) => warehouse.client.command({ query, clickhouse_settings: { final: 0 } });
  await run(`CREATE DATABASE IF NOT EXISTS ${scratch}`);
  let seconds = 0;
  let cpuSeconds = 0;
  let rows = 0;
  for (const table of Object.keys(blockScopedTables)) {
    const source = `${warehouse.database}.${table}`;
    await run(`CREATE TABLE ${scratch}.${table} AS ${source}`);
    await run(`SYSTEM STOP MERGES ${scratch}.${table}`);
    const read = await withCpu(() => timeIt(() => run(`SELECT * FROM ${source} FORMAT Null`)));
    const copied = await withCpu(() =>
      timeIt(() => run(`INSERT INTO ${scratch}.${table} SELECT * FROM ${source}`)),
    );
    seconds += copied.result - read.result;
    cpuSeconds += copied.ours - read.ours;
    const [copiedRows] = await queryRows<{ n: string }>(
      warehouse,
      `SELECT count() AS n FROM ${scratch}.${table}`,
    );
    rows += Number(copiedRows!.n);
  }
  await run(`DROP DATABASE ${scratch} SYNC`);
  return { seconds, cpuSeconds, rows };
}

const dataDir = mkdtempSync(join(tmpdir(), 'chaingnn-bench-'));
try {
  const common = await createCommon({ env: {}, overrides: { dataDir, logLevel: 'warn' } });
  const warehouse = await createWarehouse(common);
  await applyMigrations(warehouse);
  for (const mode of ['full', 'logs'] as const) await measure(warehouse, mode, common.logger);
  await common.shutdown.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  if (node) {
    node.child.child.kill('SIGINT');
    await node.child.exited;
  }
}

/** Starts a devnet in its own process on a free port. */
async function startNode() {
  const port = await freePort();
  const child = startTsProcess('src/cli/bin.mjs', ['devnet', 'start', '--port', String(port)], {
    LOG_LEVEL: 'warn',
  });
  const url = `http://127.0.0.1:${port}`;
  await child.waitForLine(`devnet listening on ${url} (chain 31337); Ctrl-C to stop`);
  return { child, url };
}

/** A TCP port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: free } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return free;
}
