import { NonRetryableError } from '../../internal/errors.js';
import { computeAccuracy } from '../metrics/computeAccuracy.js';
import { computeAveragePrecision } from '../metrics/computeAveragePrecision.js';
import { computeRegressionMetrics } from '../metrics/computeRegressionMetrics.js';
import { computeRocAuc } from '../metrics/computeRocAuc.js';
import type { NodeModelConfig } from '../models/nodeModelConfig.js';
import type { FeatureMatrix } from './NodeDataset.js';

/** What early stopping watches on the validation nodes. */
export const validationMetrics = ['rocAuc', 'prAuc', 'accuracy', 'mae', 'rmse'] as const;
/** One of {@link validationMetrics}. */
export type ValidationMetric = (typeof validationMetrics)[number];

/** Whether a larger value of `metric` is better. */
export function isHigherBetter(metric: ValidationMetric): boolean {
  return metric === 'rocAuc' || metric === 'prAuc' || metric === 'accuracy';
}

/** The metric to watch, defaulting by task: ROC-AUC for two classes, accuracy for more, MAE for regression. */
export function chooseValidationMetric(config: NodeModelConfig, wanted?: ValidationMetric): ValidationMetric {
  const binary = config.task === 'classification' && config.outChannels === 2;
  const metric = wanted ?? (config.task === 'regression' ? 'mae' : binary ? 'rocAuc' : 'accuracy');
  const fits =
    metric === 'rocAuc' || metric === 'prAuc'
      ? binary
      : metric === 'accuracy'
        ? config.task === 'classification'
        : config.task === 'regression';
  if (!fits) {
    throw new NonRetryableError(
      `The validation metric ${metric} does not fit ${config.task} with ${config.outChannels} outputs`,
      {
        code: 'GNN_CONFIG_INVALID',
        details:
          'Expected rocAuc or prAuc for 2 classes, accuracy for classification, mae or rmse for regression.',
      },
    );
  }
  return metric;
}

/** `metric` over the predictions of `nodes` (probabilities or values, as predictNodes returns them). */
export function computeValidationMetric(
  metric: ValidationMetric,
  predictions: FeatureMatrix,
  targets: Int32Array | Float32Array,
  nodes: Uint32Array,
): number {
  const { values, channels } = predictions;
  const labels = Array.from(nodes, (node) => targets[node]!);
  switch (metric) {
    case 'rocAuc':
      return computeRocAuc(
        Array.from(nodes, (node) => values[node * 2 + 1]!),
        labels,
      );
    case 'prAuc':
      return computeAveragePrecision(
        Array.from(nodes, (node) => values[node * 2 + 1]!),
        labels,
      );
    case 'accuracy':
      return computeAccuracy(
        Array.from(nodes, (node) => argmax(values, node * channels, channels)),
        labels,
      );
    default: {
      const rows = (array: Float32Array | Int32Array) =>
        Array.from(nodes).flatMap((node) =>
          Array.from(array.subarray(node * channels, (node + 1) * channels)),
        );
      return computeRegressionMetrics(rows(values), rows(targets))[metric];
    }
  }
}

/** The index (from 0) of the largest of `count` values from `offset`. */
function argmax(values: Float32Array, offset: number, count: number): number {
  let best = 0;
  for (let c = 1; c < count; c += 1) if (values[offset + c]! > values[offset + best]!) best = c;
  return best;
}
