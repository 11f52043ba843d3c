import { NonRetryableError } from '../../internal/errors.js';
import type { BinaryLabelSummary, NodeTask } from './NodeTask.js';

/** Throws, naming the counts, unless each class has at least `minPerClass` nodes. */
export function checkLabelCounts(
  task: NodeTask,
  snapshotId: string,
  summary: BinaryLabelSummary,
  minPerClass: number,
): void {
  const negatives = summary.labelledNegatives + summary.unlabelledNegatives;
  if (summary.positives >= minPerClass && negatives >= minPerClass) return;
  const categories = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([name, n]) => `${name} ${n}`)
      .join(', ') || 'none';
  throw new NonRetryableError(
    `Too few labels for the ${task.name} task: ${summary.positives} positive and ${negatives} negative nodes in snapshot ${snapshotId}; need at least ${minPerClass} of each`,
    {
      code: 'TRAIN_LABELS_INSUFFICIENT',
      details: [
        `Positive: ${summary.positive}; found ${categories(summary.categories.positive)}.`,
        `Negative: ${summary.negative}; found ${categories(summary.categories.negative)}` +
          (summary.unlabelledNegatives ? ` and ${summary.unlabelledNegatives} unlabelled.` : '.'),
        `Labels read from ${summary.sources === 'all' ? 'every source' : `sources ${summary.sources.join(', ')}`}; ` +
          `${summary.labelledNotInSnapshot} labelled addresses are not in the snapshot, ${summary.excluded} are left out (${summary.excludedCategories.join(', ') || 'no excluded categories'}).`,
        'Add labels (chaingnn labels import PATH --source NAME, or chaingnn devnet simulate --insert-labels)' +
          (negatives < minPerClass && !summary.unlabelledAsNegative
            ? ', or use unlabelled nodes as negatives (--unlabelled-as-negative).'
            : '.'),
      ].join('\n'),
    },
  );
}
