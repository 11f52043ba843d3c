import type { NodeModel } from '../../gnn/models/NodeModel.js';
import type { NodeSplit } from '../../gnn/splits/NodeSplit.js';
import type { NodeInputs } from '../../gnn/training/NodeDataset.js';
import { predictNodes } from '../../gnn/training/predictNodes.js';
import { computeScoreMetrics, type TaskMetrics } from './computeScoreMetrics.js';

/**
 * Scores every node with a trained binary model and measures it on the test nodes: the F1 threshold is chosen on
 * the validation nodes only; k (default: the number of test positives, at most the test nodes) sets precision@k.
 */
export function computeTaskMetrics(
  model: NodeModel,
  inputs: NodeInputs,
  targets: Int32Array,
  split: NodeSplit,
  k?: number,
): TaskMetrics {
  const { values } = predictNodes(model, inputs);
  return computeScoreMetrics(
    Float32Array.from({ length: values.length / 2 }, (_, node) => values[node * 2 + 1]!),
    targets,
    split,
    k,
  );
}
