import { createRng } from '../../utils/createRng.js';
import {
  checkSplitFractions,
  defaultSplitFractions,
  type NodeSplit,
  type SplitFractions,
} from './NodeSplit.js';

/** Options for {@link splitStratified}. */
export interface SplitStratifiedOptions {
  /** Each node's class; nodes with a negative (or NaN) label are left out. For regression, one class for all. */
  labels: ArrayLike<number>;
  fractions?: SplitFractions;
  /** The same seed gives the same split. */
  seed: number | string;
}

/** A random split that keeps each class's share in train, validation and test (each class shuffled and cut). */
export function splitStratified(options: SplitStratifiedOptions): NodeSplit {
  const fractions = options.fractions ?? defaultSplitFractions;
  checkSplitFractions(fractions);
  const { labels } = options;
  const rng = createRng(`splitStratified/${options.seed}`);
  const classes = new Map<number, number[]>();
  for (let node = 0; node < labels.length; node += 1) {
    const label = labels[node]!;
    if (!(label >= 0)) continue;
    let members = classes.get(label);
    if (members === undefined) {
      members = [];
      classes.set(label, members);
    }
    members.push(node);
  }
  const parts: [number[], number[], number[]] = [[], [], []];
  for (const label of [...classes.keys()].sort((a, b) => a - b)) {
    const members = rng.shuffle(classes.get(label)!);
    const trainEnd = Math.round(fractions.train * members.length);
    const validationEnd = Math.round((fractions.train + fractions.validation) * members.length);
    parts[0].push(...members.slice(0, trainEnd));
    parts[1].push(...members.slice(trainEnd, validationEnd));
    parts[2].push(...members.slice(validationEnd));
  }
  const [train, validation, test] = parts.map((nodes) => Uint32Array.from(nodes).sort());
  return { train: train!, validation: validation!, test: test! };
}
