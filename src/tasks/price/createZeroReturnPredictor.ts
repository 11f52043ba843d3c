import type { PricePredictor } from './PricePredictor.js';

/** The no-change baseline: every next-window log return is forecast as zero. */
export function createZeroReturnPredictor(): PricePredictor {
  return {
    name: 'zero-return',
    fit: () => {},
    predict: (rows) => Array.from(rows.tokenIds, () => ({ predictedReturn: 0 })),
  };
}
