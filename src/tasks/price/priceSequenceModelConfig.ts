import { z } from 'zod';
import { parseWithSchema } from '../../utils/parseWithSchema.js';

const count = (what: string, min: number) =>
  z
    .number({ error: `expected ${what}` })
    .int(`expected ${what}`)
    .min(min, `expected ${what}`);

/**
 * A price sequence model's architecture and hyperparameters: all a registry needs, with the weights, to rebuild
 * it. `architecture` is always `tcn` (model listings print it beside the node models' architectures).
 */
export const priceSequenceModelConfigSchema = z.strictObject({
  architecture: z.literal('tcn', { error: 'expected tcn' }).default('tcn'),
  /** Feature channels per window. */
  inChannels: count('a positive integer (features per window)', 1),
  /** 8 (and dropout 0.2): chosen on the development world (seed 1) over 16 and less dropout, which overfit. */
  hiddenChannels: count('a positive integer', 1).default(8),
  /**
   * Windows per input sequence (the row's own window and the ones before it). The convolutions see the last
   * 1 + Σ dilations of them (8 with the defaults); the last window's raw features also go straight to the head.
   */
  lookback: count('a positive integer (windows)', 1).default(12),
  /** One causal convolution layer per dilation: each mixes a window with the one `dilation` windows earlier. */
  dilations: z
    .array(count('a positive integer', 1), { error: 'expected a list of positive integers' })
    .min(1, 'expected at least one dilation')
    .default([1, 2, 4]),
  /** Dropout after every convolution layer while training. */
  dropout: z
    .number({ error: 'expected a rate in [0, 1)' })
    .min(0, 'expected a rate in [0, 1)')
    .lt(1, 'expected a rate in [0, 1)')
    .default(0.2),
  /** Seeds the initial weights and the dropout masks. */
  seed: z.union([z.number().int(), z.string()], { error: 'expected an integer or a string' }).default(0),
});

/** A price sequence model's full configuration, defaults filled in (what a model card stores). */
export type PriceSequenceModelConfig = z.output<typeof priceSequenceModelConfigSchema>;

/** What a caller passes to build a price sequence model: inChannels, and any others to change. */
export type PriceSequenceModelConfigInput = z.input<typeof priceSequenceModelConfigSchema>;

/** Checks a price sequence model configuration and fills in defaults; a NonRetryableError lists every bad field. */
export function parsePriceSequenceModelConfig(input: unknown): PriceSequenceModelConfig {
  return parseWithSchema(priceSequenceModelConfigSchema, input, {
    subject: 'price sequence model configuration',
    code: 'PRICE_MODEL_CONFIG_INVALID',
    root: '(config)',
  });
}
