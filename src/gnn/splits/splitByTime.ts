import {
  checkSplitFractions,
  defaultSplitFractions,
  type NodeSplit,
  type SplitFractions,
} from './NodeSplit.js';

/** Options for {@link splitByTime}. */
export interface SplitByTimeOptions {
  /** Each node's time (e.g. its first activity, unix seconds); nodes with NaN are left out. */
  times: ArrayLike<number>;
  fractions?: SplitFractions;
}

/** A time-based split and the last time in its train and validation parts. */
export interface TimeSplit extends NodeSplit {
  trainUntil: number;
  validationUntil: number;
}

/**
 * Train on the earliest nodes, validate on the next, test on the latest: every train time is below every
 * validation time, which is below every test time (nodes with equal times stay together, so a cut may move later).
 */
export function splitByTime(options: SplitByTimeOptions): TimeSplit {
  const fractions = options.fractions ?? defaultSplitFractions;
  checkSplitFractions(fractions);
  const { times } = options;
  const nodes: number[] = [];
  for (let node = 0; node < times.length; node += 1) if (!Number.isNaN(times[node]!)) nodes.push(node);
  nodes.sort((a, b) => times[a]! - times[b]! || a - b);
  /** The first position at or after `at` that does not share its time with the node before it. */
  const cutAt = (at: number) => {
    let cut = Math.min(at, nodes.length);
    while (cut > 0 && cut < nodes.length && times[nodes[cut]!] === times[nodes[cut - 1]!]) cut += 1;
    return cut;
  };
  const trainEnd = cutAt(Math.round(fractions.train * nodes.length));
  const validationEnd = cutAt(
    Math.max(trainEnd, Math.round((fractions.train + fractions.validation) * nodes.length)),
  );
  const part = (begin: number, end: number) => Uint32Array.from(nodes.slice(begin, end)).sort();
  const timeBefore = (end: number) => (end === 0 ? Number.NaN : times[nodes[end - 1]!]!);
  return {
    train: part(0, trainEnd),
    validation: part(trainEnd, validationEnd),
    test: part(validationEnd, nodes.length),
    trainUntil: timeBefore(trainEnd),
    validationUntil: timeBefore(validationEnd),
  };
}
