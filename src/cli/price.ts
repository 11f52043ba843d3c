import { Command } from 'commander';
import type { Common } from '../internal/createCommon.js';
import type { PricePredictionRun } from '../tasks/price/predictPrices.js';
import type { WalkForwardResult } from '../tasks/price/runWalkForward.js';
import { formatTable } from '../utils/formatTable.js';
import { stringifyJson } from '../utils/stringifyJson.js';
import type { Warehouse } from '../warehouse/createWarehouse.js';
import { openMigratedWarehouse } from '../warehouse/openMigratedWarehouse.js';
import { createProgressReporter } from './createProgressReporter.js';
import {
  parseDurationSeconds,
  parseFraction,
  parsePositiveInteger,
  parsePositiveNumber,
  parseShare,
  parseWholeNumber,
} from './parseOptions.js';
import { runCommand } from './runCommand.js';

/** The options `price train` and `price backtest` share, as commander parses them. */
interface ExperimentOptions {
  token?: string[];
  window: number;
  quote?: string;
  chainId?: number;
  minReserve: number;
  graph?: boolean;
  fee: number;
  epochs: number;
  seed: number;
  json?: boolean;
}

/** `chaingnn price train|predict|backtest`: next-window token returns from on-chain behaviour. */
export function priceCommand(): Command {
  const price = new Command('price').description(
    'price prediction: next-window token log returns from on-chain flows, trained and backtested walk-forward',
  );
  withExperimentOptions(
    price
      .command('backtest')
      .description('walk-forward backtest of the tcn model beside zero-return, momentum and linear baselines')
      .option(
        '--train-share <share>',
        'share of the windows only trained on before the first prediction',
        parseShare,
        0.4,
      )
      .option('--refit-every <windows>', 'refit every this many predicted windows', parsePositiveInteger, 24)
      .option('--no-write', 'do not write the forecasts to price_predictions'),
  ).action((options: ExperimentOptions & { trainShare: number; refitEvery: number; write: boolean }) =>
    runCommand(async (common) => {
      const warehouse = await openMigratedWarehouse(common);
      const reporter = createProgressReporter(common.logger);
      const { runPriceBacktest } = await import('../tasks/price/runPriceBacktest.js');
      const run = await runPriceBacktest({
        ...toExperiment(options, common, warehouse),
        trainShare: options.trainShare,
        refitEvery: options.refitEvery,
        write: options.write,
        onStep: (step, steps) =>
          reporter.report(step === steps, () => ({
            share: step / steps,
            message: 'backtest',
            fields: { step, steps },
            text: `backtest window ${step}/${steps}`,
          })),
      });
      reporter.done();
      if (options.json) {
        const { predictions: _, ...report } = run.report;
        process.stdout.write(`${stringifyJson({ ...run, report }, 2)}\n`);
        return;
      }
      const { settings } = run.report;
      process.stdout.write(
        `Backtest ${run.runId}: chain ${run.chainId}, quote ${run.quoteToken}, ${settings.windowSeconds} s windows\n` +
          `  predicted ${settings.steps} windows from ${iso(settings.firstWindow)} to ${iso(settings.lastWindow)} ` +
          `(${settings.minTrainWindows} windows before only trained on), refit every ${settings.refitEvery} ` +
          `(${settings.fits} fits), ${run.featureNames.length} features, graph snapshot ${run.snapshotId ?? 'none'}\n` +
          `  long/flat: long when the forecast is above ${settings.longThreshold}, fee ${settings.feePerTrade} per entry and exit\n\n` +
          `${formatResults(run.report.results)}\n` +
          (options.write
            ? `\nForecasts written to price_predictions as backtest:${run.runId}:<predictor>.\n`
            : ''),
      );
    }),
  );
  withExperimentOptions(
    price
      .command('train')
      .description('train the tcn model, measure it on the latest windows beside the baselines, save it')
      .option(
        '--test-share <share>',
        'share of the latest windows held out to measure the model',
        parseShare,
        0.2,
      ),
  ).action((options: ExperimentOptions & { testShare: number }) =>
    runCommand(async (common) => {
      const warehouse = await openMigratedWarehouse(common);
      const { trainPriceModel } = await import('../tasks/price/trainPriceModel.js');
      const trained = await trainPriceModel({
        ...toExperiment(options, common, warehouse),
        testShare: options.testShare,
      });
      if (options.json) {
        process.stdout.write(`${stringifyJson(trained.card, 2)}\n`);
        return;
      }
      const split = trained.card.split as { testWindows: number; testFrom: number; testTo: number };
      process.stdout.write(
        `Saved price model v${trained.version} (tcn, ${trained.card.featureNames.length} features, snapshot ` +
          `${trained.card.snapshotId || 'none'})\n  held out: ${split.testWindows} windows from ${iso(split.testFrom)} ` +
          `to ${iso(split.testTo)}\n\n${formatResults(trained.results)}\n`,
      );
    }),
  );
  price
    .command('predict')
    .description("forecast each token's next-window return with a saved model into price_predictions")
    .option('--token <address...>', 'only these tokens')
    .option('--model-version <n>', 'the price model version (default: the latest)', parsePositiveInteger)
    .option('--no-write', 'print the forecasts without writing them')
    .option('--json', 'print every forecast as JSON')
    .action((options: { token?: string[]; modelVersion?: number; write: boolean; json?: boolean }) =>
      runCommand(async (common) => {
        const warehouse = await openMigratedWarehouse(common);
        const { predictPrices } = await import('../tasks/price/predictPrices.js');
        const run = await predictPrices({
          warehouse,
          logger: common.logger,
          dataDir: common.config.dataDir,
          backend: common.config.tfBackend,
          threads: common.config.tfThreads,
          tokens: options.token,
          modelVersion: options.modelVersion,
          write: options.write,
        });
        process.stdout.write(options.json ? `${stringifyJson(run, 2)}\n` : `${formatForecasts(run)}\n`);
      }),
    );
  return price;
}

function withExperimentOptions(command: Command): Command {
  return command
    .option('--token <address...>', 'only these tokens (default: every token with a liquid pool)')
    .option('--window <duration>', 'window length: seconds, or 15m, 1h, 1d', parseDurationSeconds, 3600)
    .option(
      '--quote <address>',
      'the quote token (default: the token in the most Uniswap V2 pools, e.g. WETH)',
    )
    .option('--chain-id <n>', 'the chain (default: the only one indexed)', parsePositiveInteger)
    .option(
      '--min-reserve <quote>',
      'leave out markets whose pool holds less quote than this',
      parsePositiveNumber,
      10,
    )
    .option('--graph', 'add the graph columns: PageRank- and embedding-weighted trader flow from a snapshot')
    .option('--fee <fraction>', 'fee per entry and per exit of the long/flat rule', parseFraction, 0.003)
    .option(
      '--epochs <n>',
      'most epochs per tcn fit (early stopping may end sooner)',
      parsePositiveInteger,
      60,
    )
    .option('--seed <n>', 'seeds the tcn weights and batch order', parseWholeNumber, 0)
    .option('--json', 'print the report as JSON');
}

/** The pipeline input the experiment options, the configuration and the warehouse give. */
function toExperiment(options: ExperimentOptions, common: Common, warehouse: Warehouse) {
  return {
    warehouse,
    logger: common.logger,
    dataDir: common.config.dataDir,
    backend: common.config.tfBackend,
    threads: common.config.tfThreads,
    tokens: options.token,
    windowSeconds: options.window,
    quoteToken: options.quote,
    chainId: options.chainId,
    minQuoteReserve: options.minReserve,
    graph: options.graph ?? false,
    feePerTrade: options.fee,
    sequence: { epochs: options.epochs, seed: options.seed },
  };
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
const fixed = (digits: number) => (value: number) => value.toFixed(digits);

/** Every predictor's metrics, one row each. */
function formatResults(results: readonly WalkForwardResult[]): string {
  const columns = ['predictor', 'n', 'MAE', 'RMSE', 'direction', 'P&L', 'Sharpe', 'trades', 'exposure'];
  return formatTable(
    columns.map((name, i) => ({ name, alignRight: i > 0 })),
    results.map((r) => [
      r.predictor,
      r.count,
      fixed(5)(r.mae),
      fixed(5)(r.rmse),
      fixed(3)(r.directionalAccuracy),
      fixed(3)(r.pnl),
      fixed(2)(r.sharpe),
      r.trades,
      fixed(2)(r.exposure),
    ]),
  );
}

/** Each token's forecast for its next window. */
function formatForecasts(run: PricePredictionRun): string {
  const head =
    `Model ${run.modelVersion}: chain ${run.chainId}, quote ${run.quoteToken}, ${run.windowSeconds} s windows, ` +
    `snapshot ${run.snapshotId ?? 'none'}; ${run.forecasts.length} forecasts written` +
    (run.resolved ? `, ${run.resolved} earlier ones resolved` : '') +
    '\n\n';
  return (
    head +
    formatTable(
      ['token', 'window', 'predicted', 'lower', 'upper', 'P(up)'].map((name, i) => ({
        name,
        alignRight: i > 1,
      })),
      run.latest.map((f) => [
        f.token,
        iso(f.windowStart + run.windowSeconds),
        fixed(5)(f.predictedReturn),
        fixed(5)(f.lower ?? f.predictedReturn),
        fixed(5)(f.upper ?? f.predictedReturn),
        fixed(3)(f.directionProb ?? Number.NaN),
      ]),
    )
  );
}
