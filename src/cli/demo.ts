import { existsSync, readdirSync, rmSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { Scale } from '../chain/simulator/scenarioParams.js';
import { NonRetryableError } from '../internal/errors.js';
import { buildDemoQueries, toCurl } from './demoQueries.js';
import { parsePositiveInteger, parseWholeNumber } from './parseOptions.js';
import { runCommand } from './runCommand.js';
import { demoCampaignId, demoStatePath } from './runDemoStages.js';

/** The options of `chaingnn demo`, as commander parses them. */
interface DemoOptions {
  scale: Scale;
  seed: number;
  epochs: number;
  fresh?: boolean;
  serve: boolean;
  port?: number;
}

/** `chaingnn demo`: the whole product on a simulated world, on the embedded defaults, then the GraphQL API. */
export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'simulate a world on a local devnet, index it, build the graph, train risk, sybil and price models, score, run an airdrop, then serve GraphQL',
    )
    .addOption(
      new Option('--scale <scale>', 'world size').choices(['small', 'medium', 'large']).default('medium'),
    )
    .option('--seed <n>', 'seeds the world and the training', parseWholeNumber, 1)
    .option('--epochs <n>', 'most training epochs per model', parsePositiveInteger, 60)
    .option('--fresh', 'delete the demo data of an earlier run and start again')
    .option('--no-serve', 'stop after building (do not serve the API)')
    .option('--port <n>', 'port for the API (default API_PORT or 4000)', parseWholeNumber)
    .action((options: DemoOptions) =>
      runCommand(async (common) => {
        const { dataDir } = common.config;
        if (options.fresh) removeDemoData(dataDir);
        const started = performance.now();
        const print = (line: string) => process.stdout.write(`${line}\n`);
        print(`chaingnn demo: the ${options.scale} world, seed ${options.seed}, data in ${dataDir}`);
        const { openMigratedWarehouse } = await import('../warehouse/openMigratedWarehouse.js');
        const { runDemoStages } = await import('./runDemoStages.js');
        const warehouse = await openMigratedWarehouse(common);
        const state = await runDemoStages(
          common,
          warehouse,
          { scale: options.scale, seed: options.seed, epochs: options.epochs },
          print,
        );
        print(`Built in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
        if (!options.serve) return;
        const { createApiServer } = await import('../api/createApiServer.js');
        const { createApiKey } = await import('../api/auth/createApiKey.js');
        const { insertApiKey } = await import('../warehouse/insertApiKey.js');
        const created = createApiKey('reader', 'demo');
        await insertApiKey(warehouse, created.row);
        const server = await createApiServer(common, {
          warehouse,
          ...(options.port === undefined ? {} : { port: options.port }),
        });
        const base = server.url.replace(/\/graphql$/, '');
        print(`\nGraphQL API at ${server.url}`);
        print(`GraphiQL: ${base}/graphiql (paste the key into its Headers tab)`);
        print(`A reader API key made for this run: ${created.key}\n`);
        for (const query of buildDemoQueries(state.phisher ?? `0x${'0'.repeat(40)}`, demoCampaignId)) {
          print(`# ${query.title}`);
          print(`${toCurl(server.url, created.key, query)}\n`);
        }
        print('Ctrl-C to stop.');
        await new Promise<void>((resolve) => common.shutdown.register('demo', resolve));
      }),
    );
}

/** Deletes the data directory of an earlier demo; refuses one that holds anything but demo data. */
function removeDemoData(dataDir: string): void {
  if (!existsSync(dataDir) || readdirSync(dataDir).length === 0) return;
  if (!existsSync(demoStatePath(dataDir))) {
    throw new NonRetryableError(`Not deleting ${dataDir}: it holds data the demo did not make`, {
      code: 'DEMO_FRESH_REFUSED',
      details:
        'Expected a data directory made by `chaingnn demo` (with demo/state.json). Set CHAINGNN_DATA_DIR to another directory for the demo.',
    });
  }
  rmSync(dataDir, { recursive: true, force: true });
}
