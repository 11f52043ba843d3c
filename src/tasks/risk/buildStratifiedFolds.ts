import { NonRetryableError } from '../../internal/errors.js';
import { createRng } from '../../utils/createRng.js';

/**
 * Deals the labelled nodes (target 0 or 1; -1 left out) into `folds` folds keeping each class's share: each class
 * is shuffled (seeded) and dealt round-robin, so fold sizes differ by at most one per class. Every fold gets both
 * classes, or a clear error names the class counts.
 */
export function buildStratifiedFolds(targets: Int32Array, folds: number, seed: number): Uint32Array[] {
  if (!Number.isInteger(folds) || folds < 3) {
    throw new NonRetryableError(`Cross-validation with ${folds} folds`, {
      code: 'RISK_OPTIONS_INVALID',
      details:
        'Expected an integer of at least 3: each fold is the test part once, another the validation part.',
    });
  }
  const rng = createRng(`buildStratifiedFolds/${seed}`);
  const parts: number[][] = Array.from({ length: folds }, () => []);
  let next = 0;
  for (const label of [0, 1]) {
    const members: number[] = [];
    for (let node = 0; node < targets.length; node += 1) if (targets[node] === label) members.push(node);
    if (members.length < folds) {
      throw new NonRetryableError(
        `Too few ${label === 1 ? 'positive' : 'negative'} nodes for ${folds}-fold cross-validation: ${members.length}`,
        {
          code: 'TRAIN_LABELS_INSUFFICIENT',
          details: `Every fold needs both classes: at least ${folds} nodes of each. Add labels, or use fewer folds (--cv).`,
        },
      );
    }
    for (const node of rng.shuffle(members)) {
      parts[next]!.push(node);
      next = (next + 1) % folds;
    }
  }
  return parts.map((nodes) => Uint32Array.from(nodes).sort());
}
