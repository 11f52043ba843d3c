import type { JobKind, JobPayloadInput } from './jobPayloads.js';
import type { JobContext } from './jobProcessors.js';
import { runJob } from './runJob.js';

/** What the ingest → build-graph → train → score pipeline runs on. */
export interface PipelineFlowInput {
  rpcUrl: string;
  /** Index up to this block; the snapshot is taken as of it. */
  to: number;
  /** The model trained and used for scoring (default risk). */
  epochs?: number | undefined;
  seed?: number | undefined;
}

/** One step of the pipeline: its job kind and payload. */
export type PipelineStep = { [K in JobKind]: { kind: K; payload: JobPayloadInput<K> } }[JobKind];

/** The steps of the pipeline in the order they run: ingest the range, snapshot it, train risk, score it. */
export function toPipelineSteps(input: PipelineFlowInput): PipelineStep[] {
  const training = {
    ...(input.epochs === undefined ? {} : { epochs: input.epochs }),
    ...(input.seed === undefined ? {} : { seed: input.seed }),
  };
  return [
    { kind: 'ingest-range', payload: { rpcUrl: input.rpcUrl, to: input.to } },
    { kind: 'build-graph', payload: { asOfBlock: input.to } },
    { kind: 'train-model', payload: { task: 'risk', ...training } },
    { kind: 'score', payload: {} },
  ];
}

/** Runs the steps one after another in this process (the embedded default, no Redis); returns each result. */
export async function runPipelineSteps(
  steps: readonly PipelineStep[],
  context: JobContext,
  onStep: (step: PipelineStep, result: Record<string, unknown>) => void = () => {},
): Promise<Record<string, unknown>[]> {
  const results: Record<string, unknown>[] = [];
  for (const step of steps) {
    const result = await runJob(step.kind, step.payload, context);
    onStep(step, result);
    results.push(result);
  }
  return results;
}
