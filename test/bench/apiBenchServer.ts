// One server under test for api.bench.ts, in a process of its own (the load generator runs in the bench's):
//   apiBenchServer.ts bare                  a bare node:http server answering constant JSON
//   apiBenchServer.ts apollo                a minimal Apollo server (startStandaloneServer) resolving constants
//   apiBenchServer.ts ours <dataDir> <n>    createApiServer on a fresh embedded warehouse holding n scored addresses,
//                                           with V8's heap tuned as `chaingnn serve` tunes it
// Each listens on 127.0.0.1 (any free port) and prints one JSON line {"url","key"} once it takes requests, then
// takes commands on stdin, one a line, each answered with one JSON line:
//   profile-start <id>                CPU profiling on (node:inspector, 100 µs sampling)  → {"profiling":"<id>"}
//   profile-stop <id> <file>          profiling off, the profile written to <file>        → {"profiled":"<id>"}
// and for `ours`:
//   invalidate <id>                   services.invalidate() (every cache dropped)         → {"invalidated":"<id>"}
//   floor <id> <from> <sets> <size>   getRiskScoreSummaries of <sets> sets of <size> addresses from index <from>, one
//                                     after another, called directly (the warehouse read the API does for
//                                     addresses it has not cached)                        → {"floor":"<id>","ms":[…]}
// Every kind also prints {"gc":"major","at":<epoch ms>,"ms":<pause>} as each full (mark-compact) collection ends, so
// that the bench can say which measurements one fell in.
// SIGTERM, SIGINT or stdin closing stops the server and exits.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createApiKey } from '../../src/api/auth/createApiKey.js';
import { createApiServer } from '../../src/api/createApiServer.js';
import { tuneHeapForServing } from '../../src/api/tuneHeapForServing.js';
import { createCommon } from '../../src/internal/createCommon.js';
import { createWarehouse } from '../../src/warehouse/createWarehouse.js';
import { getRiskScoreSummaries } from '../../src/warehouse/getRiskScores.js';
import { insertApiKey } from '../../src/warehouse/insertApiKey.js';
import { riskScoreLookupKeySql } from '../../src/warehouse/insertRiskScores.js';
import { applyMigrations } from '../../src/warehouse/migrations.js';
import {
  benchAddress,
  benchAddressSql,
  benchChain,
  benchSnapshot,
  observeFullCollections,
} from './apiBenchData.js';

/** The answer of the constant servers to a single lookup (the same shape ours gives). */
const constantLookup = JSON.stringify({ data: { address: { risk: { score: 0.5 } } } });

/** The part of our schema the bench asks for (`Address` as a scalar without checks). */
const minimalTypeDefs = `#graphql
  scalar Address
  type Query {
    address(address: Address!): AddressProfile!
    riskScores(addresses: [Address!]!): [RiskLookup!]!
  }
  type AddressProfile { address: Address! risk: Risk }
  type Risk { score: Float! category: String! }
  type RiskLookup { address: Address! risk: Risk reason: String }
`;

const minimalResolvers = {
  Query: {
    address: (_parent: unknown, { address }: { address: string }) => ({
      address,
      risk: { score: 0.5, category: 'phishing' },
    }),
    riskScores: (_parent: unknown, { addresses }: { addresses: string[] }) =>
      addresses.map((address) => ({ address, risk: { score: 0.5, category: 'phishing' }, reason: null })),
  },
};

/** Prints one JSON line on stdout. */
function say(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** Handles the commands on stdin (`more` gets the ones not shared by every kind). */
function takeCommands(more: (command: string, id: string, args: string[]) => void = () => {}): void {
  let session: Session | undefined;
  createInterface({ input: process.stdin }).on('line', (line) => {
    const [command = '', id = '', ...args] = line.trim().split(/\s+/);
    if (command === 'profile-start') {
      void (async () => {
        session = new Session();
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 100 });
        await session.post('Profiler.start');
        say({ profiling: id });
      })();
    } else if (command === 'profile-stop' && session) {
      const running = session;
      void (async () => {
        const { profile } = await running.post('Profiler.stop');
        writeFileSync(args[0]!, JSON.stringify(profile));
        running.disconnect();
        say({ profiled: id });
      })();
    } else more(command, id, args);
  });
}

/** Runs `stop` and exits 0 on SIGTERM, SIGINT or the end of stdin. */
function exitOn(stop: () => Promise<void>): void {
  let stopping = false;
  const exit = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 10_000).unref();
    void stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', exit);
  process.on('SIGINT', exit);
  process.stdin.on('end', exit);
}

const [kind, dataDir, scored] = process.argv.slice(2);
observeFullCollections((collection) => say({ gc: 'major', ...collection }));

if (kind === 'bare') {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(constantLookup);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  say({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, key: 'none' });
  takeCommands();
  exitOn(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
} else if (kind === 'apollo') {
  // Apollo's own SIGTERM handler would race ours (and re-send the signal to a process already stopping).
  const apollo = new ApolloServer({
    typeDefs: minimalTypeDefs,
    resolvers: minimalResolvers,
    stopOnTerminationSignals: false,
  });
  const { url } = await startStandaloneServer(apollo, { listen: { port: 0, host: '127.0.0.1' } });
  say({ url: new URL('/graphql', url).href, key: 'none' });
  takeCommands();
  exitOn(() => apollo.stop());
} else if (kind === 'ours' && dataDir && scored) {
  const common = await createCommon({
    env: {},
    overrides: {
      dataDir,
      logLevel: 'silent',
      api: { mode: 'production', rateLimitPerMinute: 10_000_000 },
    },
  });
  const warehouse = await createWarehouse(common);
  await applyMigrations(warehouse);
  // One block (so the chain is indexed), one snapshot row, and the scores, generated in the engine.
  await warehouse.client.command({
    query: `INSERT INTO blocks (chain_id, number, hash, parent_hash, timestamp, miner, gas_limit, gas_used,
              base_fee_per_gas, transaction_count, version)
            VALUES (${benchChain}, 1, '0x01', '0x00', 1700000000, '0x00', 30000000, 0, NULL, 0, 1)`,
  });
  await warehouse.client.command({
    query: `INSERT INTO graph_snapshots (chain_id, snapshot_id, as_of_block, as_of_time, from_block, nodes, edges,
              communities, feature_names, files)
            VALUES (${benchChain}, '${benchSnapshot}', 1, 1700000000, 0, ${Number(scored)}, 0, 0, [], '')`,
  });
  await warehouse.client.command({
    query: `INSERT INTO risk_scores (chain_id, snapshot_id, address, score, category, model_version, architecture,
              scored_snapshot_id, scored_at, reasons)
            SELECT ${benchChain}, '${benchSnapshot}', ${benchAddressSql}, (cityHash64(number) % 10000) / 10000,
              ['phishing', 'drainer', 'laundering'][number % 3 + 1], 1, 'gat', '${benchSnapshot}',
              toDateTime64(1700000000, 3, 'UTC'),
              ['sent funds to 3 flagged addresses', 'young account with bursty activity']
            FROM numbers(${Number(scored)})`,
  });
  await warehouse.client.command({ query: 'OPTIMIZE TABLE risk_scores FINAL' });
  // As insertRiskScores would have written them: the same scores in the lookup the API reads them from, and the
  // scoring.
  await warehouse.client.command({
    query: `INSERT INTO risk_score_lookup
            SELECT ${riskScoreLookupKeySql}, chain_id, snapshot_id, address, score,
              category, model_version, architecture, scored_snapshot_id, scored_at
            FROM risk_scores`,
  });
  await warehouse.insert('risk_scorings', [
    {
      chain_id: benchChain,
      snapshot_id: benchSnapshot,
      model_version: 1,
      addresses: Number(scored),
      scored_at: 1_700_000_000_000,
    },
  ]);
  const { key, row } = createApiKey('reader', 'bench');
  await insertApiKey(warehouse, row);
  // As `chaingnn serve` runs (BENCH_API_V8_HEAP=default leaves V8's defaults, for comparison).
  if (process.env.BENCH_API_V8_HEAP !== 'default') tuneHeapForServing();
  const server = await createApiServer(common, { warehouse, port: 0, host: '127.0.0.1' });
  say({ url: server.url, key });
  takeCommands((command, id, args) => {
    if (command === 'invalidate') {
      server.services.invalidate();
      say({ invalidated: id });
    } else if (command === 'floor') {
      const [from, sets, size] = args.map(Number) as [number, number, number];
      void (async () => {
        const ms: number[] = [];
        for (let set = 0; set < sets; set += 1) {
          const addresses = Array.from({ length: size }, (_, i) => benchAddress(from + set * size + i));
          const started = performance.now();
          const rows = await getRiskScoreSummaries(warehouse, benchChain, benchSnapshot, addresses);
          ms.push(performance.now() - started);
          if (rows.length !== size) throw new Error(`floor read ${rows.length} of ${size} scores`);
        }
        say({ floor: id, ms });
      })();
    }
  });
  exitOn(() => common.shutdown.close());
} else {
  process.stderr.write('usage: apiBenchServer.ts bare | apollo | ours <dataDir> <scoredAddresses>\n');
  process.exit(2);
}
