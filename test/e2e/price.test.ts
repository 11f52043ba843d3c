import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/internal/createLogger.js';
import { predictPrices } from '../../src/tasks/price/predictPrices.js';
import { runPriceBacktest } from '../../src/tasks/price/runPriceBacktest.js';
import { trainPriceModel } from '../../src/tasks/price/trainPriceModel.js';
import { getPricePredictions } from '../../src/warehouse/getPricePredictions.js';
import { indexAndSnapshot } from '../setup/indexAndSnapshot.js';
import { runCli } from '../setup/spawnProcess.js';
import { useTempDir, useTestWarehouse } from '../setup/testWarehouse.js';
import { useSimulatedWorld } from '../setup/useSimulatedWorld.js';

const logger = createLogger({ level: 'silent' });
const windowSeconds = 3600;

describe('chaingnn price on the simulated world', () => {
  const warehouse = useTestWarehouse();
  const dataDir = useTempDir();
  const cliDir = useTempDir();
  // A small world run for longer, with more informed traders: a market of 3 tokens (and a rug pull) over about 5 days.
  const simulated = useSimulatedWorld({
    seed: 21,
    scale: 'small',
    params: { blocks: 700, informedTraders: 12, farms: 1, phishingCampaigns: 0, poisoners: 0 },
  });

  it('backtests walk-forward beside the baselines, then trains, saves and predicts with a model', async () => {
    const { devnet, world } = simulated();
    await indexAndSnapshot({ rpcUrl: devnet.url, world, warehouse: warehouse(), dataDir: dataDir(), logger });
    const run = await runPriceBacktest({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      backend: 'wasm',
      windowSeconds,
      graph: true,
      refitEvery: 12,
      sequence: { epochs: 20, seed: 1 },
    });
    const { results, settings, predictions } = run.report;
    process.stderr.write(
      `${results.map((r) => `${r.predictor}: n ${r.count} MAE ${r.mae.toFixed(5)} dir ${r.directionalAccuracy.toFixed(3)} P&L ${r.pnl.toFixed(3)}`).join('\n')}\n`,
    );
    const by = Object.fromEntries(results.map((r) => [r.predictor, r]));
    expect(Object.keys(by)).toEqual(['zero-return', 'momentum', 'linear', 'tcn']);
    expect(by.tcn!.count).toBeGreaterThan(100);
    // Zero-return is right only on windows without a trade: any model with a view beats it on direction.
    expect(by.tcn!.directionalAccuracy).toBeGreaterThan(by['zero-return']!.directionalAccuracy);
    // The graph columns come from a snapshot as of the first predicted window, not the one of the last block.
    expect(run.featureNames).toContain('embedding_flow_0_to_reserve');
    expect(run.snapshotId).not.toBe(`c${world.chainId}_b${world.lastBlock}_f0`);
    // Every forecast is in price_predictions with its actual return, under the run's versions.
    const stored = await getPricePredictions(warehouse(), {
      chainId: world.chainId,
      modelVersion: `backtest:${run.runId}:tcn`,
    });
    expect(stored).toHaveLength(predictions.length / 4);
    for (const row of stored) {
      expect(row.lower).toBeLessThanOrEqual(row.predicted_return);
      expect(row.upper).toBeGreaterThanOrEqual(row.predicted_return);
      expect(row.window_start).toBeGreaterThanOrEqual(settings.firstWindow);
    }
    expect(stored.filter((row) => row.actual_return === null).length).toBeLessThanOrEqual(4);

    // Train: the card records the pipeline and held-out metrics beside the linear baseline; predict rebuilds it.
    const trained = await trainPriceModel({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      backend: 'wasm',
      windowSeconds,
      sequence: { epochs: 20, seed: 1 },
    });
    expect(trained.version).toBe(1);
    expect(trained.card.baseline?.architecture).toBe('linear');
    expect(trained.card.metrics.count).toBeGreaterThan(20);
    const predicted = await predictPrices({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      backend: 'wasm',
    });
    expect(predicted.modelVersion).toBe('price/1');
    const split = trained.card.split as { testFrom: number };
    expect(Math.min(...predicted.forecasts.map((f) => f.windowStart))).toBe(split.testFrom);
    // Each token's latest forecast is for a window not yet seen (no actual return); the rest have theirs.
    expect(predicted.latest.length).toBeGreaterThanOrEqual(3);
    for (const f of predicted.latest) expect(Number.isNaN(f.actualReturn)).toBe(true);
    const written = await getPricePredictions(warehouse(), {
      chainId: world.chainId,
      modelVersion: 'price/1',
    });
    expect(written).toHaveLength(predicted.forecasts.length);
    expect(written.filter((row) => row.actual_return === null)).toHaveLength(predicted.latest.length);
    // The same model and data give the same forecasts (written again, not duplicated).
    const again = await predictPrices({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      backend: 'wasm',
    });
    expect(again.forecasts).toEqual(predicted.forecasts);
    expect(
      await getPricePredictions(warehouse(), { chainId: world.chainId, modelVersion: 'price/1' }),
    ).toHaveLength(written.length);
  });

  it('the CLI refuses a bad window and a missing model with what was expected', async () => {
    const env = { CHAINGNN_DATA_DIR: cliDir(), LOG_LEVEL: 'warn', CHAINGNN_TF_BACKEND: 'wasm' };
    const badWindow = await runCli(['price', 'backtest', '--window', '1w'], env);
    expect(badWindow.code).not.toBe(0);
    expect(badWindow.stderr).toContain('expected a duration such as 3600, 15m, 1h or 1d');
    const noModel = await runCli(['price', 'predict'], env);
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toMatch(/No price model saved yet/);
  });
});
