// GraphQL API throughput and latency on loopback (issue 11's performance section). Three servers, each in a
// process of its own (test/bench/apiBenchServer.ts), while autocannon (the load generator) runs in this one:
// - ours: createApiServer on an embedded warehouse holding BENCH_API_ADDRESSES scored addresses (default 100k)
//   for the single lookups, plus 300k more for the cold reads below (all in one snapshot of `risk_scores`, and in
//   `risk_score_lookup` as insertRiskScores writes them);
// - a minimal Apollo server (@apollo/server startStandaloneServer) resolving constants for the same query shape;
// - a bare node:http server answering a constant JSON body.
// Figures:
// 1. `{ address(address: "0x…") { risk { score } } }` at full load (BENCH_API_CONNECTIONS connections, default
//    10, BENCH_API_SECONDS s, default 10, after a 5 s warm-up), each request a different address (cycling through
//    the scored ones, all in the score cache after a warm-up) and so a new query text (after a pass over the
//    addresses a comment keeps texts new: none is answered from Apollo's cache of parsed documents): req/s and
//    p50/p99 latency, against the minimal Apollo server (goal: ours >= 0.8 of it) and the bare server. Then the
//    same lookup with the address as a variable (one query text, parsed and validated once), against the minimal
//    Apollo server.
// 2. The same lookup at a fixed 2,000 req/s: p99 latency (goal <= 10 ms), against the minimal Apollo server at
//    the same rate. With autocannon's `overallRate` (each connection sends its share of a second back to back
//    and then waits for the next second: bursts at full speed), with requests paced evenly (one every 0.5 ms on
//    average, sent from a 1 ms timer over a keep-alive pool: what a steady 2,000 req/s looks like), paced
//    with the address as a variable, and (last) the same right after services.invalidate(): every address read
//    from the warehouse, as after a rescoring or for addresses not asked lately.
// 3. `riskScores(addresses: [1,000 addresses]) { address risk { score } reason }`, one request at a time: p99
//    latency (goal <= 50 ms), warm (every address in the score cache; against the minimal Apollo server resolving
//    the same query with constants), cold (every request 1,000 addresses not asked before; against the floor:
//    the same warehouse read, getRiskScoreSummaries, called directly in the server process), and cold after
//    services.invalidate() before every request (the first request after a rescoring: also re-reads the latest
//    scoring; same floor).
// (Run in the order 1, 3, 2: the literal lookups paced at 2,000 req/s may be more than the server can take.)
// Every figure carries the cores the server and this process (the load generator) used, those that other
// processes on the machine used meanwhile (from /proc; they include what the hypervisor took from this virtual
// machine, its steal, also given alone: *StealCores), and the full collections either process started meanwhile
// (the server's with their pauses summed: *ServerFullGcs, *ServerFullGcPauseMs, *LoadGeneratorFullGcs). A
// measurement during which others used more than 0.2 cores is taken again, up to BENCH_API_ATTEMPTS times (default
// 3), each after waiting (up to a minute) for a second in which they use less; a warning names any figure still
// disturbed.
// Latencies are taken per response (autocannon's own histogram keeps whole milliseconds), from writing the
// request to reading the whole response. BENCH_API_CPU_PROF=DIR: afterwards, with the score cache warm again, one
// more full-load run of single lookups (address inline, then as a variable) and one of warm riskScores against ours
// and the minimal Apollo server with their CPU profiled (node:inspector in the server process), written to
// DIR/<server>-<run>.cpuprofile (figures are unaffected).
// The servers run with NODE_ENV=production, as the image runs `chaingnn serve` (graphql-js then skips its
// multiple-copies check in every type test); BENCH_API_NODE_ENV sets another value for all three, `none` none.
// Ours runs with V8's heap tuned as `chaingnn serve` tunes it (src/api/tuneHeapForServing.ts: no allocation-site
// pretenuring, the old generation may double between full collections); BENCH_API_V8_HEAP=default leaves V8's
// defaults, for comparison. The other two run with V8's defaults. The load generator (this process) tunes its own
// heap the same way, as its collections would show as the servers' latency.
// Scratch data goes under .tmp/bench-api (removed at the end).

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { tuneHeapForServing } from '../../src/api/tuneHeapForServing.js';
import { repoRoot } from '../setup/spawnProcess.js';
import { benchAddress, type FullCollection, observeFullCollections } from './apiBenchData.js';
import { report } from './report.js';

// ---- autocannon (CommonJS, no type declarations): the part of its API used here.

interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  setupRequest?: (request: CannonRequest) => CannonRequest;
}

interface CannonOptions {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  overallRate?: number;
  timeout?: number;
  requests: CannonRequest[];
  verifyBody?: (body: string) => boolean;
}

interface CannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  non2xx: number;
  '2xx': number;
}

interface CannonRun extends PromiseLike<CannonResult> {
  on(
    event: 'response',
    listener: (client: unknown, status: number, bytes: number, milliseconds: number) => void,
  ): void;
}

const autocannon = createRequire(import.meta.url)('autocannon') as (options: CannonOptions) => CannonRun;

// ---- settings

const hot = Number(process.env.BENCH_API_ADDRESSES ?? 100_000);
const connections = Number(process.env.BENCH_API_CONNECTIONS ?? 10);
const seconds = Number(process.env.BENCH_API_SECONDS ?? 10);
const warmupSeconds = 5;
const fixedRate = 2_000;
const batchSize = 1_000;
const warmBatchRequests = 300;
const coldSets = 200;
const floorSets = 100;
const invalidatedSets = 100;
const goals = { throughputRatio: 0.8, p99At2000Ms: 10, batchP99Ms: 50 };
const scratch = join(repoRoot, '.tmp/bench-api');
const nodeEnv =
  process.env.BENCH_API_NODE_ENV === 'none' ? undefined : (process.env.BENCH_API_NODE_ENV ?? 'production');
const v8Heap = process.env.BENCH_API_V8_HEAP === 'default' ? 'default' : 'tuned';
const profileDir = process.env.BENCH_API_CPU_PROF ? resolve(process.env.BENCH_API_CPU_PROF) : undefined;
const round = (value: number, digits = 3) => Number(value.toFixed(digits));
const step = (text: string) => process.stderr.write(`# api: ${text}\n`);

// ---- the servers under test

type ServerKind = 'ours' | 'apollo' | 'bare';

interface BenchServer {
  kind: ServerKind;
  url: string;
  headers: Record<string, string>;
  process: { child: ChildProcess; exited: Promise<{ code: number | null; stderr: string }> };
  /** The next JSON line the process prints that `accept` takes. */
  nextLine<T>(accept: (value: Record<string, unknown>) => boolean): Promise<T>;
  /** Sends one command line to the process. */
  send(line: string): void;
  /** The process's full collections so far (epoch ms of each start, and its pause). */
  fullCollections: FullCollection[];
}

/**
 * Starts apiBenchServer.ts as `kind` and resolves once it prints its URL. The TypeScript loads through tsx's
 * ESM hooks only, as the `chaingnn` executable loads it (`--import tsx` would also route every CommonJS
 * require() through tsx, and Apollo calls require('crypto') on each request: both Apollo servers would pay).
 */
async function startServer(kind: ServerKind, args: string[] = []): Promise<BenchServer> {
  const spawned = spawn(
    process.execPath,
    ['--import', 'tsx/esm', 'test/bench/apiBenchServer.ts', kind, ...args],
    {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...(nodeEnv === undefined ? {} : { NODE_ENV: nodeEnv }),
        ...(v8Heap === 'default' ? { BENCH_API_V8_HEAP: 'default' } : {}),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  spawned.stdout.setEncoding('utf8');
  spawned.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const child = {
    child: spawned,
    exited: new Promise<{ code: number | null; stderr: string }>((resolveExit) =>
      spawned.on('close', (code) => resolveExit({ code, stderr })),
    ),
  };
  const values: Record<string, unknown>[] = [];
  const fullCollections: FullCollection[] = [];
  const waiters: { accept: (value: Record<string, unknown>) => boolean; resolve: (value: never) => void }[] =
    [];
  let pending = '';
  child.child.stdout!.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      const value = JSON.parse(line) as Record<string, unknown>;
      if (value.gc === 'major') {
        fullCollections.push(value as unknown as FullCollection);
        continue;
      }
      const waiter = waiters.find((w) => w.accept(value));
      if (waiter) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(value as never);
      } else values.push(value);
    }
  });
  const nextLine = <T>(accept: (value: Record<string, unknown>) => boolean) =>
    new Promise<T>((resolveLine, reject) => {
      const index = values.findIndex(accept);
      if (index >= 0) return resolveLine(values.splice(index, 1)[0] as T);
      waiters.push({ accept, resolve: resolveLine as (value: never) => void });
      void child.exited.then((result) =>
        reject(new Error(`${kind} server exited (${result.code}):\n${result.stderr}`)),
      );
    });
  const started = await nextLine<{ url: string; key: string }>((value) => 'url' in value);
  return {
    kind,
    url: started.url,
    headers: {
      'content-type': 'application/json',
      ...(started.key === 'none' ? {} : { authorization: `Bearer ${started.key}` }),
    },
    process: child,
    nextLine,
    send: (line) => child.child.stdin!.write(`${line}\n`),
    fullCollections,
  };
}

/** Stops a server (SIGTERM: it closes what it opened and exits). */
async function stopServer(server: BenchServer): Promise<void> {
  if (server.process.child.exitCode !== null) return;
  server.process.child.kill('SIGTERM');
  const result = await server.process.exited;
  if (result.code !== 0)
    process.stderr.write(`${server.kind} server exited ${result.code}:\n${result.stderr}\n`);
}

// ---- CPU accounting (Linux /proc): what the server used, and what processes outside this bench used meanwhile

/** Clock ticks (USER_HZ) the machine spent busy, all cores, and those of them the hypervisor took (steal). */
function machineTicks(): { busy: number; steal: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number) as number[];
  return { busy: user! + nice! + system! + irq! + softirq! + steal!, steal: steal! };
}

/** Clock ticks process `pid` has run (user + system; 0 once it is gone). */
function processTicks(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

interface CpuUse {
  /** Cores the server process used on average. */
  serverCores: number;
  /** Cores this bench process (the load generator) used. */
  loadCores: number;
  /** Cores everything else on the machine used: other work disturbing the measurement. */
  otherCores: number;
  /** The part of `otherCores` the hypervisor took from this virtual machine (steal). */
  stealCores: number;
  /** Full collections of the server that started meanwhile, and their pauses summed (ms). */
  serverFullGcs: number;
  serverFullGcPauseMs: number;
  /** Full collections of this process meanwhile. */
  loadFullGcs: number;
}

/** This process's full collections (the load generator's), as the servers report theirs. */
const generatorFullCollections: FullCollection[] = [];
observeFullCollections((collection) => generatorFullCollections.push(collection));

/** Above this many cores used by other processes during a measurement, it is taken again. */
const maxOtherCores = 0.2;
const attempts = Number(process.env.BENCH_API_ATTEMPTS ?? 3);

/** Cores that processes outside this bench used over the next second. */
async function othersCores(): Promise<number> {
  const ours = () => [process.pid, ...servers.map((server) => server.process.child.pid)].map(processTicks);
  const sum = (ticks: number[]) => ticks.reduce((total, value) => total + value, 0);
  const [machine, own] = [machineTicks().busy, sum(ours())];
  await new Promise((resolveWait) => setTimeout(resolveWait, 1_000));
  return (machineTicks().busy - machine - (sum(ours()) - own)) / 100;
}

/** Waits (up to a minute) until processes outside this bench leave the machine alone for a second. */
async function waitForQuiet(what: string): Promise<void> {
  if (!existsSync('/proc/stat')) return;
  for (let waited = 0; waited < 60; waited += 1) {
    const others = await othersCores();
    if (others <= maxOtherCores) return;
    if (waited === 0) step(`${what}: waiting for other processes (${round(others, 2)} cores) to finish`);
  }
}

/**
 * Waits for a quiet machine and runs `measure`; again (up to `attempts` times in all) while processes outside
 * this bench used more than `maxOtherCores` meanwhile. Warns when the last run was still disturbed.
 */
async function quietly<T extends { cpu: CpuUse | undefined }>(
  what: string,
  measure: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    await waitForQuiet(what);
    collectGeneratorGarbage();
    const result = await measure();
    const other = result.cpu?.otherCores ?? 0;
    if (other <= maxOtherCores) return result;
    const used = `other processes used ${other} cores meanwhile (the hypervisor's steal ${result.cpu?.stealCores} of them)`;
    if (attempt >= attempts) {
      process.stderr.write(`${what}: ${used}: figures disturbed\n`);
      return result;
    }
    step(`${what}: ${used}: measuring again`);
  }
}

/** Starts watching CPU use; the returned function gives the averages since. */
function watchCpu(server: BenchServer): () => CpuUse | undefined {
  if (!existsSync('/proc/stat')) return () => undefined;
  const pids = [server.process.child.pid, process.pid];
  const ticksPerSecond = 100;
  const started = performance.now();
  const startedAt = performance.timeOrigin + started;
  const machine = machineTicks();
  const [serverTicks, loadTicks] = pids.map(processTicks) as [number, number];
  return () => {
    const seconds = (performance.now() - started) / 1000;
    const cores = (ticks: number) => round(ticks / ticksPerSecond / seconds, 2);
    const serverUsed = processTicks(pids[0]) - serverTicks;
    const loadUsed = processTicks(pids[1]) - loadTicks;
    const since = (collections: FullCollection[]) => collections.filter((gc) => gc.at >= startedAt);
    const serverGcs = since(server.fullCollections);
    const now = machineTicks();
    return {
      serverCores: cores(serverUsed),
      loadCores: cores(loadUsed),
      otherCores: Math.max(0, cores(now.busy - machine.busy - serverUsed - loadUsed)),
      stealCores: cores(now.steal - machine.steal),
      serverFullGcs: serverGcs.length,
      serverFullGcPauseMs: round(
        serverGcs.reduce((sum, gc) => sum + gc.ms, 0),
        1,
      ),
      loadFullGcs: since(generatorFullCollections).length,
    };
  };
}

// ---- queries

const hotAddresses = Array.from({ length: hot }, (_, i) => benchAddress(i));
const quoted = (addresses: readonly string[]) => addresses.map((a) => `"${a}"`).join(', ');
/** A query text, made unique by a comment after the first pass over its items. */
const withPass = (query: string, pass: number) => (pass === 0 ? query : `${query} # pass ${pass}`);
const lookupBody = (item: number, pass: number) =>
  JSON.stringify({
    query: withPass(`{ address(address: "${hotAddresses[item]}") { risk { score } } }`, pass),
  });
const variablesQuery = 'query Lookup($address: Address!) { address(address: $address) { risk { score } } }';
const variablesBody = (item: number) =>
  JSON.stringify({ query: variablesQuery, variables: { address: hotAddresses[item] } });
const batchQuery = (list: string) => `{ riskScores(addresses: [${list}]) { address risk { score } reason } }`;
const hotLists = Array.from({ length: Math.ceil(hot / batchSize) }, (_, i) =>
  quoted(hotAddresses.slice(i * batchSize, (i + 1) * batchSize)),
);
const hotBatchBody = (item: number, pass: number) =>
  JSON.stringify({ query: withPass(batchQuery(hotLists[item]!), pass) });
/** The `riskScores` body of the `set`-th 1,000 addresses from index `from`. */
const batchBody = (from: number, set: number) =>
  JSON.stringify({
    query: batchQuery(
      quoted(Array.from({ length: batchSize }, (_, i) => benchAddress(from + set * batchSize + i))),
    ),
  });
const isLookupAnswer = (body: string) => body.startsWith('{"data":{"address":{"risk":{"score":');
const isBatchAnswer = (body: string) =>
  body.startsWith('{"data":{"riskScores":[{"address":"0x') && !body.includes('"errors"');

/**
 * Request bodies for one server, made from `items` items in turn: the n-th body is `make(n % items, pass)`,
 * pass = ⌊n / items⌋. With `withPass`, no query text goes twice to one server, so none is answered from
 * Apollo's cache of parsed and validated documents (each lookup of a new address is a new text).
 */
function bodyStream(items: number, make: (item: number, pass: number) => string): () => string {
  let sent = 0;
  return () => {
    const body = make(sent % items, Math.floor(sent / items));
    sent += 1;
    return body;
  };
}

/** Posts one body and returns the answer and its milliseconds (throws on a non-200 status). */
async function post(server: BenchServer, body: string): Promise<{ text: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(server.url, { method: 'POST', headers: server.headers, body });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200)
    throw new Error(`${server.kind}: HTTP ${response.status}: ${text.slice(0, 300)}`);
  return { text, ms };
}

// ---- measurements

interface LoadRun {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  cpu: CpuUse | undefined;
}

/** Percentile `q` (0..1) of `values` (sorted in place). */
function percentile(values: number[], q: number): number {
  values.sort((a, b) => a - b);
  return values[Math.max(0, Math.ceil(q * values.length) - 1)] ?? Number.NaN;
}

/** Runs autocannon against `server`, each request the next of `bodies`, and checks every answer. */
async function cannon(
  server: BenchServer,
  bodies: () => string,
  verify: (body: string) => boolean,
  options: { connections: number; duration?: number; amount?: number; overallRate?: number },
): Promise<LoadRun> {
  const latencies: number[] = [];
  const cpu = watchCpu(server);
  const run = autocannon({
    url: server.url,
    ...options,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        headers: server.headers,
        setupRequest: (req) => ({ ...req, body: bodies() }),
      },
    ],
    verifyBody: verify,
  });
  run.on('response', (_client, status, _bytes, ms) => {
    if (status === 200) latencies.push(ms);
  });
  const result = await run;
  const used = cpu();
  const failed = result.errors + result.timeouts + result.mismatches + result.non2xx;
  if (failed > 0) {
    throw new Error(
      `${server.kind}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.mismatches} wrong answers, ${result.non2xx} non-2xx`,
    );
  }
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    requests: result['2xx'],
    cpu: used,
  };
}

/** Sends `rate` requests a second for `duration` s, evenly spaced (from a 1 ms timer), and times each one. */
async function paced(
  server: BenchServer,
  bodies: () => string,
  verify: (body: string) => boolean,
  rate: number,
  duration: number,
): Promise<LoadRun> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const { hostname, port, pathname } = new URL(server.url);
  const latencies: number[] = [];
  let sent = 0;
  let failures = 0;
  let inFlight = 0;
  const total = rate * duration;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolveAll) => {
    finish = resolveAll;
  });
  const send = (body: string) => {
    const started = performance.now();
    inFlight += 1;
    const req = request(
      {
        agent,
        hostname,
        port,
        path: pathname,
        method: 'POST',
        headers: { ...server.headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          latencies.push(performance.now() - started);
          if (res.statusCode !== 200 || !verify(Buffer.concat(chunks).toString('utf8'))) failures += 1;
          inFlight -= 1;
          if (sent === total && inFlight === 0) finish();
        });
      },
    );
    req.on('error', () => {
      failures += 1;
      inFlight -= 1;
      if (sent === total && inFlight === 0) finish();
    });
    req.end(body);
  };
  const cpu = watchCpu(server);
  const started = performance.now();
  await new Promise<void>((resolveSending) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      while (sent < due) {
        send(bodies());
        sent += 1;
      }
      if (sent < total) setTimeout(tick, 1);
      else resolveSending();
    };
    tick();
  });
  await finished;
  const elapsed = (performance.now() - started) / 1000;
  const used = cpu();
  agent.destroy();
  if (failures > 0) throw new Error(`${server.kind}: ${failures} failed requests at ${rate} req/s`);
  return {
    requestsPerSecond: latencies.length / elapsed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    requests: latencies.length,
    cpu: used,
  };
}

/** Posts `count` bodies one after another (after `before` each, when given); the milliseconds of each. */
async function sequential(
  server: BenchServer,
  count: number,
  body: (i: number) => string,
  before?: () => Promise<void>,
): Promise<{ ms: number[]; cpu: CpuUse | undefined }> {
  const cpu = watchCpu(server);
  const ms: number[] = [];
  for (let i = 0; i < count; i += 1) {
    await before?.();
    const answer = await post(server, body(i));
    if (!isBatchAnswer(answer.text)) throw new Error(`${server.kind}: ${answer.text.slice(0, 300)}`);
    ms.push(answer.ms);
  }
  return { ms, cpu: cpu() };
}

// ---- the run

/** The CPU figures of a run, as extra fields of a figure. */
const cpuFields = (prefix: string, cpu: CpuUse | undefined) =>
  cpu
    ? {
        [`${prefix}ServerCores`]: cpu.serverCores,
        [`${prefix}LoadGeneratorCores`]: cpu.loadCores,
        [`${prefix}OtherCores`]: cpu.otherCores,
        [`${prefix}StealCores`]: cpu.stealCores,
        [`${prefix}ServerFullGcs`]: cpu.serverFullGcs,
        [`${prefix}ServerFullGcPauseMs`]: cpu.serverFullGcPauseMs,
        [`${prefix}LoadGeneratorFullGcs`]: cpu.loadFullGcs,
      }
    : {};

// With V8's defaults this process's scavenges took 4-6 ms and a full collection 13 ms, in the middle of paced runs.
tuneHeapForServing();
setFlagsFromString('--expose-gc');
/**
 * A full collection of this process (the load generator), before each measurement: its own full collections fell
 * in the windows and showed as the servers' latency (in 7 of the 27 measurements of ours in runs 41-43).
 */
const collectGeneratorGarbage = runInNewContext('gc') as () => void;
rmSync(scratch, { recursive: true, force: true });
mkdirSync(scratch, { recursive: true });
if (profileDir) mkdirSync(profileDir, { recursive: true });
const scored = hot + (coldSets + floorSets) * batchSize;
const servers: BenchServer[] = [];
try {
  const starting = await Promise.allSettled([
    startServer('ours', [join(scratch, 'data'), String(scored)]),
    startServer('apollo'),
    startServer('bare'),
  ]);
  for (const started of starting) if (started.status === 'fulfilled') servers.push(started.value);
  for (const started of starting) if (started.status === 'rejected') throw started.reason;
  const [ours, apollo] = servers as [BenchServer, BenchServer];
  step(`servers up: ${servers.map((server) => `${server.kind} ${server.url}`).join(', ')}`);
  // Each server's own streams of bodies (literal lookups, lookups with a variable, riskScores of hot sets).
  const lookups = new Map(servers.map((server) => [server.kind, bodyStream(hot, lookupBody)]));
  const variableLookups = new Map(servers.map((server) => [server.kind, bodyStream(hot, variablesBody)]));
  const hotBatches = new Map(
    servers.map((server) => [server.kind, bodyStream(hotLists.length, hotBatchBody)]),
  );
  for (const server of servers) {
    for (const body of [lookups.get(server.kind)!(), variableLookups.get(server.kind)!()]) {
      const answer = await post(server, body);
      if (!isLookupAnswer(answer.text)) throw new Error(`${server.kind}: ${answer.text.slice(0, 300)}`);
    }
  }

  // Every hot address into the score cache (and a check that each has a score).
  const warmScoreCache = async () => {
    for (let item = 0; item < hotLists.length; item += 1) {
      const { text } = await post(ours, hotBatches.get('ours')!());
      if (!isBatchAnswer(text) || text.includes('"risk":null'))
        throw new Error(`ours: ${text.slice(0, 300)}`);
    }
  };
  await warmScoreCache();
  step(`${hot} addresses in the score cache`);

  // 1. Full load: literal lookups (each a new query text), then the same with the address as a variable.
  const full = new Map<ServerKind, LoadRun>();
  const fullVariables = new Map<ServerKind, LoadRun>();
  for (const server of servers) {
    step(`full load: ${server.kind}`);
    const bodies = lookups.get(server.kind)!;
    await cannon(server, bodies, isLookupAnswer, { connections, duration: warmupSeconds });
    full.set(
      server.kind,
      await quietly(`full load (${server.kind})`, () =>
        cannon(server, bodies, isLookupAnswer, { connections, duration: seconds }),
      ),
    );
  }
  for (const server of [ours, apollo]) {
    step(`full load with a variable: ${server.kind}`);
    const bodies = variableLookups.get(server.kind)!;
    await cannon(server, bodies, isLookupAnswer, { connections, duration: warmupSeconds });
    fullVariables.set(
      server.kind,
      await quietly(`full load with a variable (${server.kind})`, () =>
        cannon(server, bodies, isLookupAnswer, { connections, duration: seconds }),
      ),
    );
  }
  const [o, a, b] = [full.get('ours')!, full.get('apollo')!, full.get('bare')!];
  const shared = {
    connections,
    seconds,
    scoredAddresses: hot,
    oursV8Heap: v8Heap,
    ...(nodeEnv ? { nodeEnv } : {}),
  };
  report({
    bench: 'api.address.requestsPerSecond',
    value: Math.round(o.requestsPerSecond),
    unit: 'req/s',
    baseline: Math.round(a.requestsPerSecond),
    ratio: o.requestsPerSecond / a.requestsPerSecond,
    goal: goals.throughputRatio,
    ...shared,
    ...cpuFields('ours', o.cpu),
    ...cpuFields('apollo', a.cpu),
    note: 'single lookups at full load, each a new query text (address literal); baseline = minimal Apollo server (startStandaloneServer) resolving a constant for the same query; goal = ratio',
  });
  report({
    bench: 'api.address.requestsPerSecond.vsBare',
    value: Math.round(o.requestsPerSecond),
    unit: 'req/s',
    baseline: Math.round(b.requestsPerSecond),
    ratio: o.requestsPerSecond / b.requestsPerSecond,
    ...shared,
    apolloVsBare: round(a.requestsPerSecond / b.requestsPerSecond),
    ...cpuFields('bare', b.cpu),
    note: 'baseline = bare node:http server answering a constant JSON body (one load-generator thread: when bareLoadGeneratorCores is near 1, the generator is what limits it)',
  });
  for (const key of ['p50', 'p99'] as const) {
    report({
      bench: `api.address.latency.${key}`,
      value: round(o[key]),
      unit: 'ms',
      baseline: round(a[key]),
      ratio: o[key] / a[key],
      bare: round(b[key]),
      ...shared,
      note: 'at full load (the runs above); baseline = minimal Apollo server; bare = bare node:http server',
    });
  }
  const [ov, av] = [fullVariables.get('ours')!, fullVariables.get('apollo')!];
  report({
    bench: 'api.address.requestsPerSecond.variables',
    value: Math.round(ov.requestsPerSecond),
    unit: 'req/s',
    baseline: Math.round(av.requestsPerSecond),
    ratio: ov.requestsPerSecond / av.requestsPerSecond,
    p50: round(ov.p50),
    p99: round(ov.p99),
    apolloP50: round(av.p50),
    apolloP99: round(av.p99),
    ...shared,
    ...cpuFields('ours', ov.cpu),
    ...cpuFields('apollo', av.cpu),
    note: `the same lookups as \`${variablesQuery}\` with the address in variables (one query text: parsed and validated once, then from Apollo's document cache); baseline = minimal Apollo server`,
  });
  if (o.requestsPerSecond < goals.throughputRatio * a.requestsPerSecond) {
    process.stderr.write(
      `single lookups: ${Math.round(o.requestsPerSecond)} req/s, ${round(o.requestsPerSecond / a.requestsPerSecond)} of the minimal Apollo server (goal >= ${goals.throughputRatio})\n`,
    );
  }

  // 2. riskScores of 1,000 addresses, one request at a time (before the fixed rates: the literal lookups at a
  // fixed rate may overload the server, and what it leaves behind in its heap would weigh on these).
  step(`riskScores of ${batchSize}`);
  const warm: Partial<Record<ServerKind, LoadRun>> = {};
  for (const server of [ours, apollo]) {
    const bodies = hotBatches.get(server.kind)!;
    await cannon(server, bodies, isBatchAnswer, { connections: 1, amount: 20 });
    warm[server.kind] = await quietly(`warm riskScores (${server.kind})`, () =>
      cannon(server, bodies, isBatchAnswer, { connections: 1, amount: warmBatchRequests }),
    );
  }
  let invalidations = 0;
  const invalidate = async () => {
    invalidations += 1;
    ours.send(`invalidate i${invalidations}`);
    await ours.nextLine((value) => value.invalidated === `i${invalidations}`);
  };
  // Cold: the cache dropped and the latest scoring read again by one request, then the never-asked sets.
  const cold = await quietly('cold riskScores', async () => {
    await invalidate();
    await post(ours, hotBatches.get('ours')!());
    return sequential(ours, coldSets, (set) => batchBody(hot, set));
  });
  let floors = 0;
  const floor = await quietly('direct getRiskScoreSummaries', async () => {
    const cpu = watchCpu(ours);
    floors += 1;
    ours.send(`floor f${floors} ${hot + coldSets * batchSize} ${floorSets} ${batchSize}`);
    const { ms } = await ours.nextLine<{ ms: number[] }>((value) => value.floor === `f${floors}`);
    return { ms, cpu: cpu() };
  });
  const invalidated = await quietly('cold riskScores after invalidate()', () =>
    sequential(ours, invalidatedSets, hotBatches.get('ours')!, invalidate),
  );
  const floorP99 = percentile(floor.ms, 0.99);
  const floorP50 = percentile(floor.ms, 0.5);
  const batchFigures = [
    {
      name: 'warm',
      ms: undefined,
      run: warm.ours!,
      baseline: warm.apollo!.p99,
      extra: { apolloP50: round(warm.apollo!.p50), ...cpuFields('ours', warm.ours!.cpu) },
      note: 'every address in the score cache, one request at a time; baseline = minimal Apollo server resolving the same query with constants',
    },
    {
      name: 'cold',
      ms: cold.ms,
      baseline: floorP99,
      extra: { floorP50: round(floorP50), ...cpuFields('ours', cold.cpu) },
      note: 'every request 1,000 addresses not asked before (latest scoring already known), one at a time; baseline = p99 of getRiskScoreSummaries (scores without reasons, as the API reads them) for 1,000 such addresses called directly in the server process (the warehouse read alone)',
    },
    {
      name: 'coldInvalidated',
      ms: invalidated.ms,
      baseline: floorP99,
      extra: { floorP50: round(floorP50), ...cpuFields('ours', invalidated.cpu) },
      note: 'services.invalidate() before every request (as after a rescoring: latest scoring and scores read again); baseline = the same direct getRiskScoreSummaries floor',
    },
  ];
  for (const figure of batchFigures) {
    const p99 = figure.ms ? percentile(figure.ms, 0.99) : figure.run!.p99;
    const p50 = figure.ms ? percentile(figure.ms, 0.5) : figure.run!.p50;
    report({
      bench: `api.riskScores${batchSize}.${figure.name}.p99`,
      value: round(p99),
      unit: 'ms',
      baseline: round(figure.baseline),
      ratio: p99 / figure.baseline,
      goal: goals.batchP99Ms,
      p50: round(p50),
      requests: figure.ms ? figure.ms.length : figure.run!.requests,
      ...figure.extra,
      note: figure.note,
    });
    if (p99 > goals.batchP99Ms) {
      process.stderr.write(
        `riskScores of ${batchSize} (${figure.name}): p99 ${round(p99)} ms (goal <= ${goals.batchP99Ms} ms)\n`,
      );
    }
  }

  // 3. Fixed rate, the score cache filled again (the cold sets pushed hot addresses out); the literal lookups
  // paced last, as they may be more than the server can take.
  await warmScoreCache();
  for (const [mode, measure] of [
    [
      'overallRate',
      (server: BenchServer) =>
        cannon(server, lookups.get(server.kind)!, isLookupAnswer, {
          connections,
          duration: seconds,
          overallRate: fixedRate,
        }),
    ],
    [
      'pacedVariables',
      (server: BenchServer) =>
        paced(server, variableLookups.get(server.kind)!, isLookupAnswer, fixedRate, seconds),
    ],
    [
      'paced',
      (server: BenchServer) => paced(server, lookups.get(server.kind)!, isLookupAnswer, fixedRate, seconds),
    ],
    [
      'pacedVariablesCold',
      async (server: BenchServer) => {
        if (server === ours) {
          await invalidate();
          await post(ours, variableLookups.get('ours')!());
        }
        return paced(server, variableLookups.get(server.kind)!, isLookupAnswer, fixedRate, seconds);
      },
    ],
  ] as const) {
    step(`${fixedRate} req/s (${mode})`);
    const ourRun = await quietly(`${fixedRate} req/s ${mode} (ours)`, () => measure(ours));
    const apolloRun = await quietly(`${fixedRate} req/s ${mode} (apollo)`, () => measure(apollo));
    report({
      bench: `api.address.p99At${fixedRate}.${mode}`,
      value: round(ourRun.p99),
      unit: 'ms',
      baseline: round(apolloRun.p99),
      ratio: ourRun.p99 / apolloRun.p99,
      goal: goals.p99At2000Ms,
      p50: round(ourRun.p50),
      apolloP50: round(apolloRun.p50),
      achievedRate: Math.round(ourRun.requestsPerSecond),
      requests: ourRun.requests,
      ...(mode === 'overallRate' ? { connections } : {}),
      ...cpuFields('ours', ourRun.cpu),
      ...cpuFields('apollo', apolloRun.cpu),
      note: {
        overallRate: `autocannon overallRate ${fixedRate} over ${connections} connections (each sends its share of a second back to back, then waits); baseline = minimal Apollo server at the same rate`,
        paced: `one request every ${1000 / fixedRate} ms on average (sent from a 1 ms timer over a keep-alive pool); baseline = minimal Apollo server at the same rate`,
        pacedVariables: `one request every ${1000 / fixedRate} ms on average (as paced), the address as a variable (one query text, from Apollo's document cache); baseline = minimal Apollo server at the same rate`,
        pacedVariablesCold: `as pacedVariables, right after services.invalidate() (as after a rescoring): every address asked is not in the score cache and is read from the warehouse (the misses of concurrent requests in one read); baseline = minimal Apollo server at the same rate`,
      }[mode],
    });
    if (ourRun.p99 > goals.p99At2000Ms) {
      process.stderr.write(
        `p99 at ${fixedRate} req/s (${mode}): ${round(ourRun.p99)} ms (goal <= ${goals.p99At2000Ms} ms)\n`,
      );
    }
  }

  if (profileDir) {
    // The cold run above left the score cache emptied: profile the lookups as measured, warm.
    await warmScoreCache();
    for (const server of [ours, apollo]) {
      for (const [run, measure] of [
        [
          'address',
          () => cannon(server, lookups.get(server.kind)!, isLookupAnswer, { connections, duration: seconds }),
        ],
        [
          'variables',
          () =>
            cannon(server, variableLookups.get(server.kind)!, isLookupAnswer, {
              connections,
              duration: seconds,
            }),
        ],
        [
          'riskScores',
          () =>
            cannon(server, hotBatches.get(server.kind)!, isBatchAnswer, {
              connections: 1,
              amount: warmBatchRequests,
            }),
        ],
      ] as const) {
        server.send(`profile-start ${run}`);
        await server.nextLine((value) => value.profiling === run);
        const measured = await measure();
        const file = join(profileDir, `${server.kind}-${run}.cpuprofile`);
        server.send(`profile-stop ${run} ${file}`);
        await server.nextLine((value) => value.profiled === run);
        step(
          `CPU profile ${file} (while profiled: ${Math.round(measured.requestsPerSecond)} req/s, ${JSON.stringify(measured.cpu)})`,
        );
      }
    }
  }
} finally {
  await Promise.all(servers.map(stopServer));
  rmSync(scratch, { recursive: true, force: true });
}
