import { NonRetryableError } from '../../internal/errors.js';

/** Which nodes train, validate (early stopping, thresholds) and test a model: node ids, ascending. */
export interface NodeSplit {
  train: Uint32Array;
  validation: Uint32Array;
  test: Uint32Array;
}

/** The shares of the eligible nodes that train and validate; the rest test. */
export interface SplitFractions {
  train: number;
  validation: number;
}

/** The default split: 60% train, 20% validation, 20% test. */
export const defaultSplitFractions: SplitFractions = { train: 0.6, validation: 0.2 };

/** Throws a NonRetryableError unless train > 0, validation ≥ 0 and train + validation < 1 (some test left). */
export function checkSplitFractions(fractions: SplitFractions): void {
  const { train, validation } = fractions;
  if (train > 0 && validation >= 0 && train + validation < 1) return;
  throw new NonRetryableError(
    `Split fractions train ${train}, validation ${validation} leave no valid split`,
    {
      code: 'GNN_CONFIG_INVALID',
      details: 'Expected train > 0, validation >= 0 and train + validation < 1 (the rest is the test split).',
    },
  );
}
