/** How a detector did on one kind of farm (or all): counts and precision, recall, F1. */
export interface DetectionScores {
  sybils: number;
  truePositives: number;
  /** Genuine addresses flagged (the same for every kind). */
  falsePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

/** One detector's scores against the sybil labels. */
export interface DetectorEvaluation {
  name: string;
  all: DetectionScores;
  /** Per farm kind (from the label text: `plain`, `disguised`, `exchange-funded`, else `other`), as if the others did not exist. */
  byKind: Record<string, DetectionScores>;
  /** Genuine addresses it would exclude, and their share of all genuine ones. */
  genuineExcluded: { count: number; share: number };
}

/** Sybil detectors measured on the eligible addresses against their labels. */
export interface SybilEvaluation {
  population: string;
  sybils: number;
  genuine: number;
  detectors: DetectorEvaluation[];
}

/** The farm kind a sybil label names (`sybil farm-3-disguised` → `disguised`, as the simulator writes them), else `other`. */
export function toFarmKind(label: string): string {
  return /\bfarm-\d+-([a-z][a-z-]*)/.exec(label)?.[1] ?? 'other';
}

function score(sybils: number, truePositives: number, falsePositives: number): DetectionScores {
  const flagged = truePositives + falsePositives;
  const precision = flagged ? truePositives / flagged : 0;
  const recall = sybils ? truePositives / sybils : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { sybils, truePositives, falsePositives, precision, recall, f1 };
}

/**
 * Scores detectors against labels: `kinds[i]` is the farm kind of eligible address i, or undefined when it is
 * genuine (no sybil label); each detector flags addresses. Precision per kind counts that kind's hits against every
 * genuine address flagged, so a kind's figures read as if the world had only farms of that kind.
 */
export function computeSybilEvaluation(
  kinds: readonly (string | undefined)[],
  detectors: readonly { name: string; flagged: (i: number) => boolean }[],
): SybilEvaluation {
  const genuine = kinds.filter((kind) => kind === undefined).length;
  const kindNames = [...new Set(kinds.filter((kind): kind is string => kind !== undefined))].sort();
  return {
    population: 'addresses that meet the campaign minimum activity',
    sybils: kinds.length - genuine,
    genuine,
    detectors: detectors.map(({ name, flagged }) => {
      let falsePositives = 0;
      const hits = new Map<string, number>();
      const sizes = new Map<string, number>();
      for (const [i, kind] of kinds.entries()) {
        if (kind === undefined) {
          if (flagged(i)) falsePositives += 1;
          continue;
        }
        sizes.set(kind, (sizes.get(kind) ?? 0) + 1);
        if (flagged(i)) hits.set(kind, (hits.get(kind) ?? 0) + 1);
      }
      const total = (map: Map<string, number>) => [...map.values()].reduce((s, x) => s + x, 0);
      return {
        name,
        all: score(total(sizes), total(hits), falsePositives),
        byKind: Object.fromEntries(
          kindNames.map((kind) => [kind, score(sizes.get(kind) ?? 0, hits.get(kind) ?? 0, falsePositives)]),
        ),
        genuineExcluded: { count: falsePositives, share: genuine ? falsePositives / genuine : 0 },
      };
    }),
  };
}
