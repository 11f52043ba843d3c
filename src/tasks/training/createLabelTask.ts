import { getLabelledAddresses } from '../../warehouse/getLabelledAddresses.js';
import type { BinaryLabelSummary, NodeTask, TaskLabelInput, TaskLabels } from './NodeTask.js';

/** Options for {@link createLabelTask}. */
export interface LabelTaskOptions {
  name: string;
  description: string;
  /** An address with any of these categories (from any source read) is positive. */
  positiveCategories: readonly string[];
  /** An address that is not positive but has one of these categories is left out (neither class). */
  excludedCategories?: readonly string[];
}

/**
 * A binary task driven by `address_labels`: a snapshot node is positive when any current label of its address has
 * a positive category (whatever other labels say), left out when it is not positive but has an excluded category,
 * negative when it has other labels only, and unlabelled nodes are left out unless `unlabelledAsNegative`.
 */
export function createLabelTask(options: LabelTaskOptions): NodeTask {
  const positive = new Set(options.positiveCategories);
  const excluded = new Set(options.excludedCategories ?? []);
  return {
    name: options.name,
    description: options.description,
    kind: 'binary',
    async deriveLabels(input: TaskLabelInput): Promise<TaskLabels> {
      const labelled = await getLabelledAddresses(input.warehouse, input.chainId, input.sources);
      const index = new Map(input.addresses.map((address, i) => [address, i]));
      const unlabelledAsNegative = input.unlabelledAsNegative ?? false;
      const targets = new Int32Array(input.addresses.length).fill(unlabelledAsNegative ? 0 : -1);
      const categories = { positive: {} as Record<string, number>, negative: {} as Record<string, number> };
      const counts = { positives: 0, labelledNegatives: 0, excluded: 0, notInSnapshot: 0 };
      for (const { address, categories: names } of labelled) {
        const node = index.get(address);
        if (node === undefined) {
          counts.notInSnapshot += 1;
          continue;
        }
        const isPositive = names.some((name) => positive.has(name));
        if (!isPositive && names.some((name) => excluded.has(name))) {
          targets[node] = -1;
          counts.excluded += 1;
          continue;
        }
        targets[node] = isPositive ? 1 : 0;
        counts[isPositive ? 'positives' : 'labelledNegatives'] += 1;
        const byCategory = isPositive ? categories.positive : categories.negative;
        for (const name of names) byCategory[name] = (byCategory[name] ?? 0) + 1;
      }
      const negatives = targets.filter((t) => t === 0).length;
      const summary: BinaryLabelSummary = {
        kind: 'binary',
        positive: `an address labelled ${[...positive].join(', ')} (by any source read)`,
        negative:
          `an address with other labels only${excluded.size ? ` (not ${[...excluded].join(', ')})` : ''}` +
          (unlabelledAsNegative ? ', or with no label at all (assumed clean)' : ''),
        positiveCategories: [...positive],
        excludedCategories: [...excluded],
        sources: input.sources === undefined ? 'all' : [...input.sources],
        unlabelledAsNegative,
        nodes: input.addresses.length,
        positives: counts.positives,
        labelledNegatives: counts.labelledNegatives,
        unlabelledNegatives: negatives - counts.labelledNegatives,
        excluded: counts.excluded,
        labelledNotInSnapshot: counts.notInSnapshot,
        categories,
      };
      return { targets, summary };
    },
  };
}
