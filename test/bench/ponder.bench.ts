// Backfill throughput against Ponder on the simulated world (BENCH_SCALE, default medium): every ERC-20
// Transfer of the simulated tokens and every Uniswap V2 Swap of the simulated pairs, blocks 0 to the world's
// last block, indexed from the same in-process devnet by two child processes run one after the other:
// - Ponder 0.16.10 (`ponder start`, embedded PGlite in a fresh temp dir, the project in test/bench/ponder),
//   timed from spawn until it logs that /ready answers 200 (historical backfill complete);
// - `chaingnn index --logs-only` (a fresh embedded warehouse), timed from spawn until it exits.
// `seconds` (the headline) includes process start-up, Ponder's build and PGlite's start; `backfillSeconds`
// counts from Ponder's "Started backfill indexing" log line, and is our CLI's own reported indexing time.
// Each side's stored rows are counted and must equal the logs eth_getLogs returns for the same filters, or
// the bench fails. Figures: events/s for each (Ponder's against the floor of two plain eth_getLogs calls
// over the whole range; ours against Ponder's, the ratio being ours/theirs).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Address, type Hex, toEventSelector, toHex } from 'viem';
import { type Devnet, startDevnet } from '../../src/chain/devnet/startDevnet.js';
import type { Scale } from '../../src/chain/simulator/scenarioParams.js';
import { simulate } from '../../src/chain/simulator/simulate.js';
import { report, timeIt } from './report.js';

/** Index with `--logs-only` (eth_getLogs + headers): the mode comparable to Ponder's log backfill. */
const logsOnly = true;
const scale = (process.env.BENCH_SCALE ?? 'medium') as Scale;
/**
 * Ponder backfills only up to head − 30 blocks on chains it does not know (ponder/src/utils/finality.ts) and
 * indexes the rest live, block by block; the bench mines this many empty blocks on top so the whole range
 * is backfilled.
 */
const ponderFinalityBlocks = 30;
/**
 * Ponder 0.16 ignores `maxRequestsPerSecond` and throttles each RPC endpoint on its own, from 20 requests/s
 * growing by 5% at a time (ponder/src/rpc/index.ts); listing the devnet this many times lifts the throttle
 * (2,000 requests/s from the start), as our indexer runs unthrottled by default. One endpoint took ~2x longer.
 */
const ponderRpcEndpoints = 100;
/** Fails the bench instead of hanging when a child never reports completion. */
const childDeadlineMs = 30 * 60_000;

const repoDir = fileURLToPath(new URL('../../', import.meta.url));
const ponderDir = fileURLToPath(new URL('./ponder/', import.meta.url));
const transferTopic = toEventSelector('Transfer(address,address,uint256)');
const swapTopic = toEventSelector('Swap(address,uint256,uint256,uint256,uint256,address)');

/** What one indexer did: rows stored and seconds from spawn, and from the start of its backfill. */
interface Run {
  transfers: number;
  swaps: number;
  seconds: number;
  backfillSeconds?: number;
}

/** The simulated world as both indexers see it. */
interface Target {
  rpcUrl: string;
  chainId: number;
  tokens: Address[];
  pools: Address[];
  lastBlock: number;
}

/** Installs test/bench/ponder's dependencies from its lock file unless the pinned Ponder is there. */
function installPonder(): void {
  const wanted = (JSON.parse(readFileSync(join(ponderDir, 'package.json'), 'utf8')) as PackageJson)
    .dependencies.ponder;
  const installed = join(ponderDir, 'node_modules/ponder/package.json');
  if (
    existsSync(installed) &&
    (JSON.parse(readFileSync(installed, 'utf8')) as PackageJson).version === wanted
  )
    return;
  const result = spawnSync('npm', ['ci', '--prefix', ponderDir, '--no-audit', '--no-fund'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) throw new Error(`npm ci --prefix ${ponderDir} failed (exit ${result.status})`);
}

interface PackageJson {
  version: string;
  dependencies: Record<string, string>;
}

/** Sends one JSON-RPC request over HTTP and returns its result. */
async function rpcCall<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error || body.result === undefined) throw new Error(`${method}: ${body.error?.message}`);
  return body.result;
}

/** How many logs with `topic` the `addresses` emitted over the whole range, by one plain eth_getLogs call. */
async function countLogs(target: Target, addresses: Address[], topic: Hex): Promise<number> {
  const logs = await rpcCall<{ topics: Hex[] }[]>(target.rpcUrl, 'eth_getLogs', [
    { address: addresses, topics: [topic], fromBlock: '0x0', toBlock: toHex(target.lastBlock) },
  ]);
  // ERC-20 Transfer and V2 Swap both have exactly three topics (ERC-721's Transfer has four).
  return logs.filter((log) => log.topics.length === 3).length;
}

/** A TCP port that was free a moment ago, for Ponder's HTTP server. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Resolves with the exit code once `child` has exited; rejects if that takes longer than the deadline. */
function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(
      () => reject(new Error('child process did not finish in time')),
      childDeadlineMs,
    );
    child.once('exit', (code) => {
      clearTimeout(deadline);
      resolve(code);
    });
  });
}

/** Ponder's JSON log line, as much of it as the bench reads. */
interface PonderLog {
  msg: string;
  endpoint?: string;
}

/** Watches Ponder's log until /ready answers 200; resolves with when that and the backfill's start were seen. */
function waitForPonderReady(
  child: ChildProcess,
  started: number,
): Promise<{ ready: number; backfill: number }> {
  const tail: string[] = [];
  let backfill = started;
  return new Promise((resolve, reject) => {
    const fail = (why: string) => reject(new Error(`Ponder ${why}:\n${tail.join('\n')}`));
    const deadline = setTimeout(() => fail('did not complete its backfill in time'), childDeadlineMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (!line.startsWith('{')) return;
      const log = JSON.parse(line) as PonderLog;
      if (log.msg === 'Started backfill indexing') backfill = performance.now();
      if (log.msg === 'Started returning 200 responses' && log.endpoint === '/ready') {
        clearTimeout(deadline);
        resolve({ ready: performance.now(), backfill });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(deadline);
      fail(`exited (code ${code}) before its backfill completed`);
    });
  });
}

/** Runs Ponder's backfill over the target with PGlite in a temp dir, and counts the rows it stored. */
async function runPonder(target: Target): Promise<Run> {
  const databaseDir = mkdtempSync(join(tmpdir(), 'chaingnn-bench-pglite-'));
  const port = await freePort();
  const world = { ...target, rpcEndpoints: ponderRpcEndpoints, endBlock: target.lastBlock, databaseDir };
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      'node_modules/ponder/dist/esm/bin/ponder.js',
      '--log-format',
      'json',
      'start',
      '--schema',
      'bench',
      '--port',
      String(port),
    ],
    {
      cwd: ponderDir,
      env: { ...process.env, PONDER_BENCH_WORLD: JSON.stringify(world), PONDER_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const { ready, backfill } = await waitForPonderReady(child, started);
    const base = `http://127.0.0.1:${port}`;
    const status = (await fetch(`${base}/ready`)).status;
    if (status !== 200) throw new Error(`Ponder logged /ready but it answers ${status}`);
    const counts = (await (await fetch(`${base}/counts`)).json()) as { transfers: number; swaps: number };
    return {
      ...counts,
      seconds: (ready - started) / 1000,
      backfillSeconds: (ready - backfill) / 1000,
    };
  } finally {
    child.kill('SIGTERM');
    await exited(child);
    rmSync(databaseDir, { recursive: true, force: true });
  }
}

/** Runs `chaingnn` with `args` against the data dir, failing on a non-zero exit; returns its stdout. */
async function chaingnn(dataDir: string, args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, CHAINGNN_DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  delete env.CLICKHOUSE_URL;
  const child = spawn(process.execPath, ['src/cli/bin.mjs', ...args], {
    cwd: repoDir,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const code = await exited(child);
  if (code !== 0) throw new Error(`chaingnn ${args[0]} exited with code ${code}:\n${stdout}`);
  return stdout;
}

/** The SQL that counts our rows of the target's Transfers and Swaps. */
function countSql(target: Target): string {
  const list = (addresses: Address[]) => addresses.map((a) => `'${a.toLowerCase()}'`).join(', ');
  return `SELECT
    (SELECT count() FROM token_transfers FINAL
      WHERE token_standard = 'erc20' AND token_address IN (${list(target.tokens)})) AS transfers,
    (SELECT count() FROM dex_swaps FINAL WHERE pool_address IN (${list(target.pools)})) AS swaps`;
}

/** Runs our indexer's backfill over the target into a fresh data dir, and counts the rows it stored. */
async function runChaingnn(target: Target): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chaingnn-bench-'));
  try {
    const args = ['index', '--rpc', target.rpcUrl, '--to', String(target.lastBlock)];
    let stdout = '';
    const seconds = await timeIt(async () => {
      stdout = await chaingnn(dataDir, logsOnly ? [...args, '--logs-only'] : args);
    });
    // The CLI's summary line ends with the indexing time, start-up and migrations excluded.
    const indexed = / in ([\d.]+) s/.exec(stdout)?.[1];
    const [row] = (await chaingnn(dataDir, ['sql', '-f', 'json', countSql(target)]))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { transfers: string; swaps: string });
    return {
      transfers: Number(row?.transfers),
      swaps: Number(row?.swaps),
      seconds,
      ...(indexed === undefined ? {} : { backfillSeconds: Number(indexed) }),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Throws, naming the indexer, when its rows differ from the logs on chain. */
function assertComplete(name: string, run: Run, expected: { transfers: number; swaps: number }): void {
  if (run.transfers !== expected.transfers || run.swaps !== expected.swaps) {
    throw new Error(
      `${name} stored ${run.transfers} transfers and ${run.swaps} swaps; the chain has ${expected.transfers} and ${expected.swaps}`,
    );
  }
}

/** Simulates the world, then mines the empty blocks that let Ponder backfill all of it. */
async function buildTarget(devnet: Devnet): Promise<Target> {
  const world = await simulate({ rpc: devnet.provider, seed: 1, scale });
  await devnet.provider.request({ method: 'hardhat_mine', params: [toHex(ponderFinalityBlocks)] });
  return {
    rpcUrl: devnet.url,
    chainId: devnet.chainId,
    tokens: world.tokens.map((token) => token.address),
    pools: world.pools.map((pool) => pool.address),
    lastBlock: world.lastBlock,
  };
}

/** A run's times for the report, in seconds to one decimal. */
function toTimes(run: Run): { seconds: number; backfillSeconds?: number } {
  const round = (seconds: number) => Number(seconds.toFixed(1));
  return {
    seconds: round(run.seconds),
    ...(run.backfillSeconds === undefined ? {} : { backfillSeconds: round(run.backfillSeconds) }),
  };
}

installPonder();
const devnet = await startDevnet();
try {
  const target = await buildTarget(devnet);
  const expected = { transfers: 0, swaps: 0 };
  const floorSeconds = await timeIt(async () => {
    expected.transfers = await countLogs(target, target.tokens, transferTopic);
    expected.swaps = await countLogs(target, target.pools, swapTopic);
  });
  const events = expected.transfers + expected.swaps;
  const ponder = await runPonder(target);
  assertComplete('Ponder', ponder, expected);
  const ours = await runChaingnn(target);
  assertComplete('chaingnn', ours, expected);

  const shared = { scale, blocks: target.lastBlock + 1, ...expected };
  const ponderRate = events / ponder.seconds;
  const ourRate = events / ours.seconds;
  report({
    bench: 'ponder.events',
    value: Math.round(ponderRate),
    unit: 'events/s',
    baseline: Math.round(events / floorSeconds),
    ratio: floorSeconds / ponder.seconds,
    ...shared,
    ...toTimes(ponder),
    note: `ponder 0.16.10 start, PGlite, one row per event, RPC listed ${ponderRpcEndpoints}x (throttle lifted); baseline = two plain eth_getLogs calls over the range`,
  });
  report({
    bench: 'chaingnn.events',
    value: Math.round(ourRate),
    unit: 'events/s',
    baseline: Math.round(ponderRate),
    ratio: ourRate / ponderRate,
    ...shared,
    ...toTimes(ours),
    note: `chaingnn index${logsOnly ? ' --logs-only' : ' (full: transactions and receipts too)'}, embedded chDB; baseline = ponder.events`,
  });
} finally {
  await devnet.stop();
}
