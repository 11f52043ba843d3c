// Indexer peak memory against backfill length: the peak RSS of `chaingnn index` (a child process, its own
// fresh data directory, the embedded engine inside it) backfilling blocks 0..N/10-1 and 0..N-1 of a devnet
// chain of N blocks (BENCH_BLOCKS, default 100,000): the small world simulated, then a Uniswap round trip and a
// buy every 4th block (4 logs per block on average). Flat memory means the long run peaks within 2x of the
// short one. The floor is the same CLI indexing block 0 only (runtime, engine and migrations); blocks/s are
// the indexer's own figure. Peak V8 heap and off-heap JavaScript memory ride along, to tell the engine's
// growth from JavaScript's.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevnet } from '../../src/chain/devnet/startDevnet.js';
import { simulate } from '../../src/chain/simulator/simulate.js';
import { buildBusyChain } from './buildBusyChain.js';
import type { PeakMemory } from './recordPeakMemory.js';
import { report, timeIt } from './report.js';

const blocks = Number(process.env.BENCH_BLOCKS ?? 100_000);
const busyEvery = 4;
const goal = 2;
const minLogsPerBlock = 3;
const repo = fileURLToPath(new URL('../..', import.meta.url));
const wrapper = fileURLToPath(new URL('recordPeakMemory.ts', import.meta.url));
const mb = (bytes: number) => Number((bytes / 2 ** 20).toFixed(1));

/** One child run of `chaingnn index --to <to>`: what it indexed, how fast, and its peak memory. */
interface IndexRun {
  blocks: number;
  transactions: number;
  logs: number;
  seconds: number;
  peak: PeakMemory;
}

const devnet = await startDevnet();
try {
  let transactions = 0;
  const buildSeconds = await timeIt(async () => {
    const world = await simulate({ rpc: devnet.provider, seed: 1, scale: 'small' });
    transactions = world.transactions;
    transactions += await buildBusyChain({ devnet, world, lastBlock: blocks - 1, every: busyEvery });
  });
  process.stderr.write(
    `chain of ${blocks} blocks, ${transactions} transactions built in ${buildSeconds.toFixed(1)} s\n`,
  );
  const floor = await indexInChild(0);
  const short = await indexInChild(blocks / 10 - 1);
  const long = await indexInChild(blocks - 1);
  reportRuns(floor, short, long);
} finally {
  await devnet.stop();
}

/** Prints the two peak-RSS figures and the backfill rates. */
function reportRuns(floor: IndexRun, short: IndexRun, long: IndexRun): void {
  const ratio = long.peak.rss / short.peak.rss;
  report({
    bench: 'indexer.peakRss.10k',
    value: mb(short.peak.rss),
    unit: 'MB',
    baseline: mb(floor.peak.rss),
    ratio: short.peak.rss / floor.peak.rss,
    ...describe(short),
    note: 'baseline = the same CLI indexing block 0 only',
  });
  report({
    bench: 'indexer.peakRss.100k',
    value: mb(long.peak.rss),
    unit: 'MB',
    baseline: mb(short.peak.rss),
    ratio,
    goal,
    ...describe(long),
    note: 'baseline = the 10k-block backfill; flat means ratio <= goal',
  });
  report({
    bench: 'indexer.backfillRate',
    value: Math.round(long.blocks / long.seconds),
    unit: 'blocks/s',
    baseline: Math.round(short.blocks / short.seconds),
    ratio: long.blocks / long.seconds / (short.blocks / short.seconds),
    note: 'value = the 100k-block backfill, baseline = the 10k-block one',
  });
  if (ratio > goal) {
    process.stderr.write(`peak RSS grew ${ratio.toFixed(2)}x from 10k to 100k blocks (goal <= ${goal}x)\n`);
  }
}

/** The extra fields of a run's figure. */
function describe(run: IndexRun): Record<string, number> {
  return {
    blocks: run.blocks,
    transactions: run.transactions,
    logs: run.logs,
    seconds: Number(run.seconds.toFixed(1)),
    peakHeapUsedMB: mb(run.peak.heapUsed),
    peakExternalMB: mb(run.peak.external),
    peakArrayBuffersMB: mb(run.peak.arrayBuffers),
  };
}

/** Indexes blocks 0..`to` into a fresh data directory in a child process, then checks what it wrote. */
async function indexInChild(to: number): Promise<IndexRun> {
  const work = mkdtempSync(join(tmpdir(), 'chaingnn-bench-memory-'));
  const env = {
    PATH: process.env.PATH ?? '',
    CHAINGNN_DATA_DIR: join(work, 'data'),
    LOG_LEVEL: 'warn',
    BENCH_MEMORY_FILE: join(work, 'memory.json'),
  };
  try {
    const stdout = await runNode(
      ['--import', 'tsx', wrapper, 'index', '--rpc', devnet.url, '--to', String(to)],
      env,
    );
    const run = { ...parseIndexed(stdout), peak: JSON.parse(readFileSync(env.BENCH_MEMORY_FILE, 'utf8')) };
    await assertStored(env, to + 1, run);
    return run;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The counts of the CLI's closing line: `Indexed N blocks (T transactions, L logs) up to block B in S s`. */
function parseIndexed(stdout: string): Omit<IndexRun, 'peak'> {
  const match = /Indexed (\d+) blocks \((\d+) transactions, (\d+) logs\) up to block \d+ in ([\d.]+) s/.exec(
    stdout,
  );
  if (!match) throw new Error(`chaingnn index printed no summary line:\n${stdout}`);
  const [blocksIndexed, transactions, logs, seconds] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
  ];
  return { blocks: blocksIndexed, transactions, logs, seconds };
}

/** Fails unless the warehouse holds `expected` blocks and the logs the run reported, and the chain is busy. */
async function assertStored(env: Record<string, string>, expected: number, run: Omit<IndexRun, 'peak'>) {
  const stdout = await runNode(
    [
      'src/cli/bin.mjs',
      'sql',
      '-f',
      'json',
      'SELECT (SELECT count() FROM blocks) AS blocks, (SELECT count() FROM logs) AS logs',
    ],
    env,
  );
  const stored = JSON.parse(stdout) as { blocks: string; logs: string };
  if (Number(stored.blocks) !== expected || run.blocks !== expected || Number(stored.logs) !== run.logs) {
    throw new Error(
      `expected ${expected} blocks indexed and stored; the run reported ${run.blocks} blocks and ${run.logs} logs, the warehouse holds ${stored.blocks} blocks and ${stored.logs} logs`,
    );
  }
  if (expected > 1 && run.logs / expected < minLogsPerBlock) {
    throw new Error(
      `the chain is too quiet: ${(run.logs / expected).toFixed(2)} logs per block, expected >= ${minLogsPerBlock}`,
    );
  }
}

/** Runs node with `args` in the repo (asynchronously: the devnet serving the child lives in this process). */
function runNode(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`node ${args.join(' ')} exited ${code}:\n${stderr}`)),
    );
  });
}
