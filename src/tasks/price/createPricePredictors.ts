import { createLinearPredictor } from './createLinearPredictor.js';
import { createMomentumPredictor } from './createMomentumPredictor.js';
import {
  createSequencePredictor,
  type SequencePredictor,
  type SequencePredictorOptions,
} from './createSequencePredictor.js';
import { createZeroReturnPredictor } from './createZeroReturnPredictor.js';
import type { PricePredictor } from './PricePredictor.js';

/** The tcn model and, beside it in every report, the zero-return, momentum and linear baselines. */
export function createPricePredictors(sequence: SequencePredictorOptions = {}): {
  tcn: SequencePredictor;
  all: PricePredictor[];
} {
  const tcn = createSequencePredictor(sequence);
  return { tcn, all: [createZeroReturnPredictor(), createMomentumPredictor(), createLinearPredictor(), tcn] };
}
