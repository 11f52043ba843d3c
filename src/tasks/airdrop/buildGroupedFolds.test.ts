import { describe, expect, it } from 'vitest';
import { buildGroupedFolds } from './buildGroupedFolds.js';

describe('buildGroupedFolds', () => {
  it('keeps every group in one fold, covers every row once, and spreads positives and negatives', () => {
    // Six farms of 5 positive rows (groups 0..5) and 60 lone negatives (groups 100..159).
    const groups = [
      ...Array.from({ length: 30 }, (_, i) => Math.floor(i / 5)),
      ...Array.from({ length: 60 }, (_, i) => 100 + i),
    ];
    const targets = groups.map((g) => (g < 100 ? 1 : 0));
    const folds = buildGroupedFolds(groups, targets, 3, 7);
    const rows = folds.flatMap((fold) => Array.from(fold)).sort((a, b) => a - b);
    expect(rows).toEqual(groups.map((_, i) => i));
    for (const fold of folds) {
      const farms = new Set(Array.from(fold, (row) => groups[row]!).filter((g) => g < 100));
      for (const farm of farms)
        expect(Array.from(fold).filter((row) => groups[row] === farm)).toHaveLength(5);
      expect(Array.from(fold).filter((row) => targets[row] === 1)).toHaveLength(10);
      expect(Array.from(fold).filter((row) => targets[row] === 0)).toHaveLength(20);
    }
    expect(buildGroupedFolds(groups, targets, 3, 7)).toEqual(folds);
  });
});
