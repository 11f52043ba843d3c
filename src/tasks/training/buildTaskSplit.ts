import { defaultSplitFractions, type NodeSplit, type SplitFractions } from '../../gnn/splits/NodeSplit.js';
import { splitByTime } from '../../gnn/splits/splitByTime.js';
import { splitStratified } from '../../gnn/splits/splitStratified.js';
import { NonRetryableError } from '../../internal/errors.js';
import type { GraphSnapshot } from '../../types/graph.js';

/** How labelled nodes are split: at random keeping each class's share, or by when the address was first seen. */
export const taskSplitKinds = ['stratified', 'time'] as const;
/** One of {@link taskSplitKinds}. */
export type TaskSplitKind = (typeof taskSplitKinds)[number];

/** Options for {@link buildTaskSplit}. */
export interface BuildTaskSplitOptions {
  kind: TaskSplitKind;
  snapshot: GraphSnapshot;
  /** Per node: 1 positive, 0 negative, -1 left out. */
  targets: Int32Array;
  /** Seeds the stratified split. */
  seed: number;
  fractions?: SplitFractions;
}

/** A split of the labelled nodes, and what a model card says of it. */
export interface TaskSplit {
  split: NodeSplit;
  /** Kind, fractions, seed or cut blocks, and nodes and positives per part. */
  description: Record<string, unknown>;
}

/**
 * Splits the labelled nodes into train, validation and test: `stratified` at random with each class's share in
 * every part; `time` by the block the address was first seen in the snapshot (the earliest edge it is on), so the
 * model is tested on the newest addresses. Refuses a split with a part that lacks either class.
 */
export function buildTaskSplit(options: BuildTaskSplitOptions): TaskSplit {
  const { kind, snapshot, targets, seed } = options;
  const fractions = options.fractions ?? defaultSplitFractions;
  let split: NodeSplit;
  let how: Record<string, unknown>;
  if (kind === 'stratified') {
    split = splitStratified({ labels: targets, fractions, seed });
    how = { seed };
  } else {
    const firstSeen = firstSeenBlocks(snapshot);
    // A node on no edge (a token only named by transfers) has no first-seen block and is left out.
    const times = Float64Array.from(targets, (target, node) =>
      target >= 0 && firstSeen[node] !== unseen ? firstSeen[node]! : Number.NaN,
    );
    const timeSplit = splitByTime({ times, fractions });
    split = timeSplit;
    how = {
      by: 'first-seen block (earliest edge of the address)',
      trainUntilBlock: timeSplit.trainUntil,
      validationUntilBlock: timeSplit.validationUntil,
    };
  }
  const parts = Object.fromEntries(
    (['train', 'validation', 'test'] as const).map((part) => [
      part,
      { nodes: split[part].length, positives: split[part].filter((node) => targets[node] === 1).length },
    ]),
  ) as Record<keyof NodeSplit, { nodes: number; positives: number }>;
  const lacking = Object.entries(parts).filter(([, p]) => p.positives === 0 || p.positives === p.nodes);
  if (lacking.length > 0) {
    throw new NonRetryableError(
      `The ${kind} split leaves the ${lacking.map(([part]) => part).join(' and ')} part without both classes`,
      {
        code: 'TRAIN_LABELS_INSUFFICIENT',
        details:
          `Per part (nodes, positives): ${Object.entries(parts)
            .map(([part, p]) => `${part} ${p.nodes}, ${p.positives}`)
            .join('; ')}. Every part needs positives and negatives: ` +
          'thresholds are chosen on validation and metrics measured on test. Add labels' +
          (kind === 'time' ? ', or use --split stratified' : '') +
          '.',
      },
    );
  }
  return { split, description: { kind, fractions, ...how, parts } };
}

/** The first-seen block of a node on no edge. */
const unseen = 0xffff_ffff;

/** Per node, the first block of its earliest edge (either direction); `unseen` for a node on no edge. */
function firstSeenBlocks(snapshot: GraphSnapshot): Uint32Array {
  const { src, dst, firstBlock } = snapshot.edges;
  const first = new Uint32Array(snapshot.nodes.addresses.length).fill(unseen);
  for (let e = 0; e < src.length; e += 1) {
    const block = firstBlock[e]!;
    if (block < first[src[e]!]!) first[src[e]!] = block;
    if (block < first[dst[e]!]!) first[dst[e]!] = block;
  }
  return first;
}
