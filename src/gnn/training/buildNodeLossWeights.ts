import { NonRetryableError } from '../../internal/errors.js';
import type { NodeModelConfig } from '../models/nodeModelConfig.js';

/** Per-class loss weights: none, `balanced` (n / (classes · count of the class) over train nodes), or given. */
export type ClassWeights = 'none' | 'balanced' | readonly number[];

/**
 * Each node's weight in the training loss, [numNodes]: its class's weight for a train node (1 for regression),
 * 0 for every other node. Refuses targets of the wrong type or size, and train nodes without a target.
 */
export function buildNodeLossWeights(
  config: NodeModelConfig,
  targets: Int32Array | Float32Array,
  numNodes: number,
  train: Uint32Array,
  classWeights: ClassWeights,
): Float32Array {
  const fail = (shortMessage: string, details: string) => {
    throw new NonRetryableError(shortMessage, { code: 'GNN_SHAPE_MISMATCH', details });
  };
  const { task, outChannels } = config;
  const weights = new Float32Array(numNodes);
  if (task === 'regression') {
    if (!(targets instanceof Float32Array) || targets.length !== numNodes * outChannels) {
      fail(
        `Regression targets are ${targets.constructor.name} of ${targets.length} values`,
        `Expected a Float32Array [numNodes, outChannels] = [${numNodes}, ${outChannels}].`,
      );
    }
    for (const node of train) {
      for (let c = 0; c < outChannels; c += 1) {
        if (!Number.isFinite(targets[node * outChannels + c]!)) {
          fail(`Train node ${node} has no target`, 'Expected finite targets for every train node.');
        }
      }
      weights[node] = 1;
    }
    return weights;
  }
  if (!(targets instanceof Int32Array) || targets.length !== numNodes) {
    fail(
      `Class labels are ${targets.constructor.name} of ${targets.length} values`,
      `Expected an Int32Array with one class per node (${numNodes}), -1 for unlabelled nodes.`,
    );
  }
  const counts = new Float64Array(outChannels);
  for (const node of train) {
    const label = targets[node]!;
    if (!(label >= 0 && label < outChannels)) {
      fail(`Train node ${node} has label ${label}`, `Expected a class from 0 to ${outChannels - 1}.`);
    }
    counts[label]! += 1;
  }
  const perClass = classWeightsFor(classWeights, counts, train.length);
  for (const node of train) weights[node] = perClass[targets[node]!]!;
  return weights;
}

/** The weight of each class. */
function classWeightsFor(classWeights: ClassWeights, counts: Float64Array, total: number): readonly number[] {
  if (classWeights === 'none') return Array<number>(counts.length).fill(1);
  if (classWeights === 'balanced') {
    return Array.from(counts, (count) => (count === 0 ? 0 : total / (counts.length * count)));
  }
  if (classWeights.length !== counts.length || !classWeights.every((w) => Number.isFinite(w) && w >= 0)) {
    throw new NonRetryableError(
      `classWeights has ${classWeights.length} entries: ${classWeights.join(', ')}`,
      {
        code: 'GNN_CONFIG_INVALID',
        details: `Expected one non-negative weight per class (${counts.length}), or 'balanced' or 'none'.`,
      },
    );
  }
  return classWeights;
}
