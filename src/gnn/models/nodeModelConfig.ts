import { z } from 'zod';
import { parseWithSchema } from '../../utils/parseWithSchema.js';

/** The message-passing layer a node model stacks (`mlp`: none, node features only: the baseline). */
export const nodeArchitectures = ['gcn', 'sage', 'gat', 'gine', 'mlp'] as const;
/** One of {@link nodeArchitectures}. */
export type NodeArchitecture = (typeof nodeArchitectures)[number];

const count = (what: string, min: number) =>
  z
    .number({ error: `expected ${what}` })
    .int(`expected ${what}`)
    .min(min, `expected ${what}`);
const rate = z
  .number({ error: 'expected a rate in [0, 1)' })
  .min(0, 'expected a rate in [0, 1)')
  .lt(1, 'expected a rate in [0, 1)');

/**
 * A node model's architecture and hyperparameters: all a registry needs, with the weights, to rebuild it. Fields
 * for one architecture (aggregation: sage; heads, attentionDropout: gat; edgeChannels: gine) are ignored by others.
 */
export const nodeModelConfigSchema = z
  .strictObject({
    architecture: z.enum(nodeArchitectures, { error: `expected one of ${nodeArchitectures.join(', ')}` }),
    task: z.enum(['classification', 'regression'], { error: 'expected classification or regression' }),
    /** Node feature channels. */
    inChannels: count('a positive integer (node feature channels)', 1),
    /** Classes (classification, at least 2) or targets per node (regression). */
    outChannels: count('a positive integer (classes, or targets per node)', 1),
    hiddenChannels: count('a positive integer', 1).default(64),
    /** Message-passing layers (mlp: hidden dense layers in their place). */
    numLayers: count('a positive integer', 1).default(2),
    /** Dense layers of the MLP head after the message passing, the output layer included. */
    headLayers: count('a positive integer', 1).default(2),
    /** Dropout after every hidden layer while training. */
    dropout: rate.default(0.5),
    aggregation: z.enum(['mean', 'max'], { error: 'expected mean or max' }).default('mean'),
    heads: count('a positive integer', 1).default(4),
    attentionDropout: rate.default(0),
    /** Edge feature channels (gine needs at least 1). */
    edgeChannels: count('a non-negative integer', 0).default(0),
    /** Seeds the initial weights and the dropout masks: the same seed trains the same model. */
    seed: z.union([z.number().int(), z.string()], { error: 'expected an integer or a string' }).default(0),
  })
  .superRefine((config, context) => {
    const problem = (path: string, message: string) =>
      context.addIssue({ code: 'custom', path: [path], message });
    if (config.task === 'classification' && config.outChannels < 2) {
      problem('outChannels', 'expected at least 2 classes for classification');
    }
    if (config.architecture === 'gat' && config.hiddenChannels % config.heads !== 0) {
      problem('hiddenChannels', `expected a multiple of heads (${config.heads}): the heads are concatenated`);
    }
    if (config.architecture === 'gine' && config.edgeChannels < 1) {
      problem('edgeChannels', 'expected at least 1 edge feature channel for gine');
    }
  });

/** A node model's full configuration, defaults filled in (what a model card stores). */
export type NodeModelConfig = z.output<typeof nodeModelConfigSchema>;

/** What a caller passes to build a node model: the required fields, and any others to change. */
export type NodeModelConfigInput = z.input<typeof nodeModelConfigSchema>;

/** Checks a node model configuration and fills in defaults; a NonRetryableError lists every bad field. */
export function parseNodeModelConfig(input: unknown): NodeModelConfig {
  return parseWithSchema(nodeModelConfigSchema, input, {
    subject: 'node model configuration',
    code: 'GNN_CONFIG_INVALID',
    root: '(config)',
  });
}
