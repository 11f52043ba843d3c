import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scale } from '../chain/simulator/scenarioParams.js';
import type { Common } from '../internal/createCommon.js';
import { NonRetryableError } from '../internal/errors.js';
import { createJobContext } from '../jobs/createJobContext.js';
import type { JobKind, JobPayloadInput } from '../jobs/jobPayloads.js';
import { runJob } from '../jobs/runJob.js';
import { toSimulationLabelRows } from '../tasks/labels/toSimulationLabelRows.js';
import { writeFileAtomic } from '../utils/writeFileAtomic.js';
import type { Warehouse } from '../warehouse/createWarehouse.js';
import { insertRows } from '../warehouse/insertRows.js';
import { createProgressReporter } from './createProgressReporter.js';

/** What the demo builds, and with which settings. */
export interface DemoSettings {
  scale: Scale;
  seed: number;
  /** Most training epochs per model. */
  epochs: number;
}

/** The demo's record of what it has built (`<dataDir>/demo/state.json`): a re-run skips the stages listed. */
export interface DemoState {
  settings: DemoSettings;
  chainId?: number;
  lastBlock?: number;
  /** A planted phishing address, for the example queries. */
  phisher?: string;
  stages: Record<string, { seconds: number; result: Record<string, unknown> }>;
}

/** The demo campaign's id. */
export const demoCampaignId = 'demo-season-1';

/** The demo's state file under `dataDir`. */
export function demoStatePath(dataDir: string): string {
  return join(dataDir, 'demo', 'state.json');
}

/** One step of the demo: a title, and what it runs on the job context (its result is kept in the state). */
interface DemoStage {
  name: string;
  title: string;
  run(
    job: <K extends JobKind>(kind: K, payload: JobPayloadInput<K>) => Promise<Record<string, unknown>>,
    state: DemoState,
  ): Promise<Record<string, unknown>>;
}

/** Reads the state of an earlier demo run with the same settings (a run with other settings is refused). */
function readState(dataDir: string, settings: DemoSettings): DemoState {
  const path = demoStatePath(dataDir);
  if (!existsSync(path)) return { settings, stages: {} };
  const state = JSON.parse(readFileSync(path, 'utf8')) as DemoState;
  if (JSON.stringify(state.settings) !== JSON.stringify(settings)) {
    throw new NonRetryableError(`The demo data in ${dataDir} was built with other settings`, {
      code: 'DEMO_SETTINGS_CHANGED',
      details: `It was built with ${JSON.stringify(state.settings)}, this run asks for ${JSON.stringify(settings)}. Run with --fresh to start again.`,
    });
  }
  return state;
}

/**
 * Runs the demo's stages in order on the embedded warehouse: the simulated world mined into a devnet and indexed,
 * the graph, risk training and scores, the sybil model, an airdrop, price training and forecasts. Each stage prints
 * its progress and time; stages an earlier run finished are reused.
 */
export async function runDemoStages(
  common: Common,
  warehouse: Warehouse,
  settings: DemoSettings,
  print: (line: string) => void,
): Promise<DemoState> {
  const { dataDir } = common.config;
  mkdirSync(join(dataDir, 'demo'), { recursive: true });
  const state = readState(dataDir, settings);
  const reporter = createProgressReporter(common.logger);
  const context = createJobContext(common, {
    warehouse,
    progress: (share, message) =>
      reporter.report(false, () => ({ share, message, fields: { share }, text: message })),
  });
  const job = <K extends JobKind>(kind: K, payload: JobPayloadInput<K>) => runJob(kind, payload, context);
  const { epochs, seed } = settings;
  for (const stage of demoStages(dataDir, warehouse, epochs, seed)) {
    const done = state.stages[stage.name];
    if (done) {
      print(`✓ ${stage.title} (reused from the last run)`);
      continue;
    }
    print(`▶ ${stage.title}`);
    const started = performance.now();
    const result = await stage.run(job, state);
    reporter.done();
    const seconds = (performance.now() - started) / 1000;
    state.stages[stage.name] = { seconds, result };
    writeFileAtomic(demoStatePath(dataDir), `${JSON.stringify(state, null, 2)}\n`);
    print(`✓ ${stage.title}: ${seconds.toFixed(1)} s ${summarise(result)}`);
  }
  return state;
}

/** A stage result in one line: its scalar fields. */
function summarise(result: Record<string, unknown>): string {
  const parts = Object.entries(result)
    .filter(([, value]) => typeof value === 'number' || typeof value === 'string')
    .map(
      ([key, value]) =>
        `${key} ${typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(3) : value}`,
    );
  return parts.length ? `(${parts.join(', ')})` : '';
}

/** The demo's campaign: every active address of the world, sybils found from weak labels, risky ones excluded. */
function demoCampaign(state: DemoState) {
  return {
    id: demoCampaignId,
    name: 'chaingnn demo, season 1',
    chainId: state.chainId,
    snapshotBlock: state.lastBlock,
    token: { symbol: 'DEMO', decimals: 18 },
    budget: '1000000',
    minActivity: { actions: 3, activeDays: 1, distinctContracts: 2 },
    exclusions: { maxRiskScore: 0.9 },
    allocation: { rule: 'proportional', maxAmount: '20000' },
    sybil: { labels: 'weak' },
  };
}

/** The demo's stages, in order. */
function demoStages(dataDir: string, warehouse: Warehouse, epochs: number, seed: number): DemoStage[] {
  return [
    {
      name: 'world',
      title: 'Simulate a world on a local devnet and index it',
      async run(job, state) {
        const { startDevnet } = await import('../chain/devnet/startDevnet.js');
        const { simulate } = await import('../chain/simulator/simulate.js');
        const devnet = await startDevnet();
        try {
          const world = await simulate({
            rpc: devnet.provider,
            seed: state.settings.seed,
            scale: state.settings.scale,
          });
          await insertRows(
            warehouse,
            'address_labels',
            toSimulationLabelRows(world.chainId, world.labels, Date.now()),
          );
          const indexed = await job('ingest-range', { rpcUrl: devnet.url, to: world.lastBlock });
          state.chainId = world.chainId;
          state.lastBlock = world.lastBlock;
          const phisher = world.labels.find((label) => label.label === 'phishing');
          if (phisher) state.phisher = phisher.address.toLowerCase();
          return {
            blocks: world.lastBlock,
            transactions: world.transactions,
            logs: Number(indexed.logs ?? 0),
          };
        } finally {
          await devnet.stop();
        }
      },
    },
    {
      name: 'graph',
      title: 'Build the interaction graph snapshot',
      run: (job, state) => job('build-graph', { asOfBlock: state.lastBlock }),
    },
    {
      name: 'risk-model',
      title: 'Train the risk models (graph models beside an mlp baseline)',
      run: (job) => job('train-model', { task: 'risk', epochs, seed }),
    },
    { name: 'risk-scores', title: 'Score every address', run: (job) => job('score', {}) },
    {
      name: 'sybil-model',
      title: 'Train the sybil model',
      run: (job) => job('train-model', { task: 'sybil', epochs, seed }),
    },
    {
      name: 'airdrop',
      title: 'Run an airdrop campaign (sybil clusters, exclusions, ranking, Merkle tree)',
      run(job, state) {
        const campaignPath = join(dataDir, 'demo', 'campaign.json');
        writeFileAtomic(campaignPath, `${JSON.stringify(demoCampaign(state), null, 2)}\n`);
        return job('airdrop-run', { campaignPath, outDir: join(dataDir, 'demo', 'airdrop') });
      },
    },
    {
      name: 'price-model',
      title: 'Train the price model',
      run: (job) => job('train-model', { task: 'price', epochs, seed }),
    },
    {
      name: 'price-forecasts',
      title: 'Forecast the next window of every token',
      run: (job) => job('price-predict', {}),
    },
  ];
}
