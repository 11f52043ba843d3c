import { z } from 'zod';
import { parseWithSchema } from '../../utils/parseWithSchema.js';

const positiveInteger = z
  .number({ error: 'expected a positive integer' })
  .int('expected a positive integer')
  .min(1, 'expected a positive integer');

/** How the sequence predictor trains, with its defaults. */
export const sequencePredictorSettingsSchema = z.object({
  /** Most passes over the training sequences per fit. */
  epochs: positiveInteger.default(60),
  learningRate: z
    .number({ error: 'expected a positive rate' })
    .positive('expected a positive rate')
    .default(2e-3),
  /** AdamW's decoupled weight decay. */
  weightDecay: z.number({ error: 'expected a rate ≥ 0' }).min(0, 'expected a rate ≥ 0').default(1e-4),
  batchSize: positiveInteger.default(64),
  /** Early stopping: epochs without a better validation loss before training stops. */
  patience: positiveInteger.default(10),
  /** The share of the training windows, the latest in time, held out for early stopping (0: none). */
  validationShare: z
    .number({ error: 'expected a share in [0, 1)' })
    .min(0, 'expected a share in [0, 1)')
    .lt(1, 'expected a share in [0, 1)')
    .default(0.2),
  /** Seeds the model's initial weights (unless its config sets one) and the batch order. */
  seed: z.union([z.number().int(), z.string()], { error: 'expected an integer or a string' }).default(0),
});

/** The sequence predictor's training settings, defaults filled in. */
export type SequencePredictorSettings = z.output<typeof sequencePredictorSettingsSchema>;

/** Checks the sequence predictor's training settings and fills in defaults; a NonRetryableError lists every bad one. */
export function parseSequencePredictorSettings(input: unknown): SequencePredictorSettings {
  return parseWithSchema(sequencePredictorSettingsSchema, input, {
    subject: 'sequence predictor options',
    code: 'PRICE_PREDICTOR_OPTIONS_INVALID',
    root: '(options)',
  });
}
