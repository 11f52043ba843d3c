import { NonRetryableError } from '../../internal/errors.js';
import type { PricePredictor } from './PricePredictor.js';

/**
 * The momentum baseline: forecasts the next window's log return as the row's own window's (`return_1`), or zero
 * where that return is unknown.
 */
export function createMomentumPredictor(): PricePredictor {
  return {
    name: 'momentum',
    fit: () => {},
    predict: (rows) => {
      const column = rows.featureNames.indexOf('return_1');
      if (column < 0) {
        throw new NonRetryableError('The momentum predictor needs the return_1 feature', {
          code: 'PRICE_FEATURE_MISSING',
          details: `Features given: ${rows.featureNames.join(', ')}. Expected priceFeatureNames, which include return_1.`,
        });
      }
      const width = rows.featureNames.length;
      return Array.from(rows.tokenIds, (_, row) => {
        const last = rows.features[row * width + column]!;
        return { predictedReturn: Number.isFinite(last) ? last : 0 };
      });
    },
  };
}
