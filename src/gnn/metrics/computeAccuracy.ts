import { NonRetryableError } from '../../internal/errors.js';

/** The share of predicted classes equal to the labels (same length, at least one). */
export function computeAccuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (predicted.length !== labels.length || labels.length === 0) {
    throw new NonRetryableError(`Accuracy: ${predicted.length} predictions for ${labels.length} labels`, {
      code: 'GNN_SHAPE_MISMATCH',
      details: 'Expected one predicted class per label, and at least one.',
    });
  }
  let correct = 0;
  for (let i = 0; i < labels.length; i += 1) if (predicted[i] === labels[i]) correct += 1;
  return correct / labels.length;
}
