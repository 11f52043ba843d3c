import { computeBinaryMetrics } from '../../gnn/metrics/computeBinaryMetrics.js';
import type { NodeSplit } from '../../gnn/splits/NodeSplit.js';

/** A binary model's held-out metrics as a model card stores them, and the k of its precision@k. */
export interface TaskMetrics {
  /** Test ROC-AUC, PR-AUC, precision/recall/F1 at the validation-chosen threshold, precision/recall@k. */
  metrics: Record<string, number>;
  k: number;
}

/**
 * Measures per-node positive scores on the test nodes: the F1 threshold is chosen on the validation nodes only;
 * k (default: the number of test positives, at most the test nodes) sets precision@k.
 */
export function computeScoreMetrics(
  scores: ArrayLike<number>,
  targets: Int32Array,
  split: NodeSplit,
  k?: number,
): TaskMetrics {
  const part = (nodes: Uint32Array) => ({
    scores: Array.from(nodes, (node) => scores[node]!),
    labels: Array.from(nodes, (node) => targets[node]!),
  });
  const test = part(split.test);
  const positives = test.labels.filter((label) => label === 1).length;
  const atK = Math.max(1, Math.min(k ?? positives, test.labels.length));
  const result = computeBinaryMetrics(part(split.validation), test, atK);
  return {
    metrics: {
      rocAuc: result.rocAuc,
      prAuc: result.prAuc,
      f1: result.f1,
      precision: result.precision,
      recall: result.recall,
      threshold: result.threshold,
      precisionAtK: result.atK.precision,
      recallAtK: result.atK.recall,
    },
    k: atK,
  };
}
