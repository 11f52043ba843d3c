import type { Logger } from 'pino';
import { createTfBackend, type TfBackendName } from '../../gnn/createTfBackend.js';
import { modelFileInvalid, readModelCard } from '../../gnn/registry/loadModel.js';
import type { EmbeddingProjection } from '../../graph/computePropagatedEmbeddings.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { getPricePredictions } from '../../warehouse/getPricePredictions.js';
import { insertPricePredictions } from '../../warehouse/insertPricePredictions.js';
import { loadSnapshot } from '../graphs/loadSnapshot.js';
import { buildPriceSeries } from './buildPriceSeries.js';
import type { TraderGraph } from './buildTraderFlowFeatures.js';
import { buildTraderGraph } from './buildTraderGraph.js';
import { loadPriceMarket } from './loadPriceMarket.js';
import { loadPriceModel } from './loadPriceModel.js';
import { poolRows, slicePriceRows, type WalkForwardPrediction } from './runWalkForward.js';
import { priceTaskName } from './savePriceModel.js';
import { toPricePredictionRow } from './toPricePredictionRow.js';
import type { PricePipelineRecord } from './trainPriceModel.js';

/** What {@link predictPrices} forecasts. */
export interface PredictPricesOptions {
  warehouse: Warehouse;
  logger: Logger;
  dataDir: string;
  /** The TensorFlow.js backend (default auto). */
  backend?: 'auto' | TfBackendName | undefined;
  /** Threads of the wasm backend (default 1; see createTfBackend). */
  threads?: number | undefined;
  /** Default: the latest saved price model. */
  modelVersion?: number | undefined;
  /** Only these tokens (default all). */
  tokens?: readonly string[] | undefined;
  /** Writes the forecasts to price_predictions (default true). */
  write?: boolean;
}

/** A prediction run: the model, the data it read, every forecast written and each token's latest one. */
export interface PricePredictionRun {
  modelVersion: string;
  chainId: number;
  quoteToken: string;
  windowSeconds: number;
  snapshotId: string | null;
  /** Every forecast made (windows from the model's test start, or from the snapshot's, whichever is later). */
  forecasts: Omit<WalkForwardPrediction, 'predictor'>[];
  /** Per token, the forecast from its latest window: the return of the window that has not happened yet. */
  latest: Omit<WalkForwardPrediction, 'predictor'>[];
  /** Earlier forecasts of this model whose actual return is now known and was filled in. */
  resolved: number;
}

/**
 * Forecasts each token's next-window return with a saved price model, rebuilding the features its card records
 * (the graph columns from the latest snapshot, embedded with the model's own projection). Forecasts start at the
 * model's first held-out window, or at the snapshot's window when that is later (a forecast never uses a snapshot
 * newer than its window). Writes them as `price/<version>` with their actual returns where known, and fills in the
 * actual return of earlier forecasts that were written before it was known.
 */
export async function predictPrices(options: PredictPricesOptions): Promise<PricePredictionRun> {
  const { warehouse, logger, dataDir } = options;
  const { card, dir } = readModelCard(dataDir, priceTaskName, options.modelVersion);
  const pipeline = (card.training as { pipeline?: PricePipelineRecord }).pipeline;
  if (!pipeline?.quoteToken || !pipeline.windowSeconds) {
    throw modelFileInvalid(
      `${dir}/card.json`,
      'it records no price pipeline (train it with chaingnn price train)',
    );
  }
  await createTfBackend({ logger, backend: options.backend, threads: options.threads });
  const { chainId, quoteToken, windowSeconds } = pipeline;
  const market = await loadPriceMarket(warehouse, { chainId, quoteToken, windowSeconds }, options.tokens);
  let from = pipeline.testFrom;
  let snapshotId: string | null = null;
  let traderGraph: TraderGraph | undefined;
  if (pipeline.graph) {
    const { content } = await loadSnapshot(warehouse, dataDir, { chainId });
    snapshotId = content.snapshot.id;
    traderGraph = buildTraderGraph(content, { projection: pipeline.projection as EmbeddingProjection }).graph;
    from = Math.max(from, Math.floor(content.snapshot.point.asOfTime / windowSeconds) * windowSeconds);
  }
  const set = buildPriceSeries(market, { ...pipeline, ...(traderGraph ? { traderGraph } : {}) });
  const { predictor } = await loadPriceModel(dataDir, {
    version: card.version,
    featureNames: set.featureNames,
  });
  const modelVersion = `${priceTaskName}/${card.version}`;
  try {
    const history = poolRows(set.series, set.featureNames);
    const begin = history.windowStarts.findIndex((start) => start >= from);
    const forecasts: PricePredictionRun['forecasts'] = [];
    if (begin >= 0) {
      const { targets, ...rows } = slicePriceRows(
        history,
        begin,
        history.targets.length,
        set.featureNames.length,
      );
      const { targets: _future, ...features } = history;
      predictor.predict(rows, features).forEach((forecast, i) => {
        forecasts.push({
          ...forecast,
          token: history.tokens[rows.tokenIds[i]!]!,
          windowStart: rows.windowStarts[i]!,
          actualReturn: targets[i]!,
        });
      });
    }
    const resolved = await resolveEarlier(options, chainId, modelVersion, windowSeconds, history, from);
    if (options.write ?? true) {
      await insertPricePredictions(warehouse, [
        ...forecasts.map((f) => toPricePredictionRow(chainId, windowSeconds, modelVersion, f)),
        ...resolved,
      ]);
    }
    const lastOf = new Map(forecasts.map((f) => [f.token, f]));
    return {
      modelVersion,
      chainId,
      quoteToken,
      windowSeconds,
      snapshotId,
      forecasts,
      latest: [...lastOf.values()],
      resolved: resolved.length,
    };
  } finally {
    predictor.dispose();
  }
}

/** Earlier forecasts of the model, before `from`, still without an actual return that the data now has. */
async function resolveEarlier(
  options: PredictPricesOptions,
  chainId: number,
  modelVersion: string,
  windowSeconds: number,
  history: ReturnType<typeof poolRows>,
  from: number,
) {
  const actual = new Map<string, number>();
  history.targets.forEach((target, row) => {
    if (Number.isFinite(target))
      actual.set(`${history.tokens[history.tokenIds[row]!]}/${history.windowStarts[row]}`, target);
  });
  const open = await getPricePredictions(options.warehouse, {
    chainId,
    modelVersion,
    horizonSeconds: windowSeconds,
    to: from - 1,
  });
  return open
    .filter((row) => row.actual_return === null && actual.has(`${row.token}/${row.window_start}`))
    .map(({ predicted_at: _, ...row }) => ({
      ...row,
      actual_return: actual.get(`${row.token}/${row.window_start}`)!,
    }));
}
