import { z } from 'zod';
import { parseWithSchema } from '../utils/parseWithSchema.js';

const blockNumber = z
  .number({ error: 'expected a block number' })
  .int()
  .min(0, 'expected a block number ≥ 0');
const positive = z
  .number({ error: 'expected a positive integer' })
  .int()
  .min(1, 'expected a positive integer');

/** Every job kind, each with its own queue, and what its payload holds. */
export const jobPayloadSchemas = {
  /** Index blocks [from, to] of the node at `rpcUrl` (from the checkpoint when `from` is absent). */
  'ingest-range': z.strictObject({
    rpcUrl: z.url({ error: 'expected an http(s) URL of a JSON-RPC node' }),
    from: blockNumber.optional(),
    to: blockNumber,
    logsOnly: z.boolean().default(false),
    /** Rows gathered from consecutive batches before a write (the indexer's default when absent; 1 = every batch). */
    minRowsPerWrite: positive.optional(),
  }),
  /** Index from the checkpoint to the node's head less `confirmations` (what a follow-head schedule runs). */
  'follow-head': z.strictObject({
    rpcUrl: z.url({ error: 'expected an http(s) URL of a JSON-RPC node' }),
    confirmations: z.number().int().min(0, 'expected a number of blocks ≥ 0').default(0),
  }),
  /** Build the interaction graph snapshot as of a block or a time (default: the last indexed block). */
  'build-graph': z.strictObject({
    chainId: positive.optional(),
    asOfBlock: blockNumber.optional(),
    asOfTime: positive.optional(),
    windowDays: z.number().positive('expected a positive number of days').optional(),
  }),
  /** Train a task's model on the latest snapshot (risk, sybil) or on the price series (price). */
  'train-model': z.strictObject({
    task: z.enum(['risk', 'sybil', 'price'], { error: 'expected risk, sybil or price' }),
    epochs: positive.optional(),
    seed: z.number().int().min(0).optional(),
  }),
  /** Score every address of a snapshot with the latest risk model (default: the latest snapshot). */
  score: z.strictObject({
    snapshotId: z.string().min(1).optional(),
    incremental: z.boolean().default(false),
  }),
  /** Run an airdrop campaign file and write its outputs to `outDir`. */
  'airdrop-run': z.strictObject({
    campaignPath: z.string().min(1, 'expected the path of a campaign JSON file'),
    outDir: z.string().min(1, 'expected an output directory'),
  }),
  /** Snapshot the latest block, retrain the risk model and rescore (what a refresh schedule runs). */
  refresh: z.strictObject({
    epochs: positive.optional(),
    seed: z.number().int().min(0).optional(),
  }),
  /** Forecast every token's next-window return with the latest (or a given) price model. */
  'price-predict': z.strictObject({
    modelVersion: positive.optional(),
  }),
} as const;

/** A job kind: also the name of its queue. */
export type JobKind = keyof typeof jobPayloadSchemas;

/** The job kinds, in pipeline order. */
export const jobKinds = Object.keys(jobPayloadSchemas) as JobKind[];

/** A job kind's payload, defaults filled in. */
export type JobPayload<K extends JobKind> = z.output<(typeof jobPayloadSchemas)[K]>;

/** What a caller may pass for a job kind's payload (defaults may be left out). */
export type JobPayloadInput<K extends JobKind> = z.input<(typeof jobPayloadSchemas)[K]>;

/** Checks a job kind and its payload; a NonRetryableError (JOB_INVALID) names every bad field. */
export function parseJobPayload<K extends JobKind>(kind: K, payload: unknown): JobPayload<K> {
  const schema = jobPayloadSchemas[kind];
  if (!schema) {
    return parseWithSchema(z.enum(jobKinds as [JobKind, ...JobKind[]]), kind, {
      subject: 'job kind',
      code: 'JOB_INVALID',
    }) as never;
  }
  return parseWithSchema(schema, payload, {
    subject: `${kind} job payload`,
    code: 'JOB_INVALID',
  }) as JobPayload<K>;
}
