import { describe, expect, it } from 'vitest';
import { buildStratifiedFolds } from './buildStratifiedFolds.js';

describe('buildStratifiedFolds', () => {
  // 24 positives, 56 negatives, 20 left out.
  const targets = Int32Array.from({ length: 100 }, (_, i) => (i >= 80 ? -1 : i % 7 < 2 ? 1 : 0));

  it('covers every labelled node once, with each class spread evenly over the folds', () => {
    const folds = buildStratifiedFolds(targets, 5, 1);
    const all = folds.flatMap((fold) => Array.from(fold)).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 80 }, (_, i) => i));
    const positives = folds.map((fold) => fold.filter((node) => targets[node] === 1).length);
    const sizes = folds.map((fold) => fold.length);
    expect(Math.max(...positives) - Math.min(...positives)).toBeLessThanOrEqual(1);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(positives.reduce((a, b) => a + b)).toBe(24);
  });

  it('is the same for the same seed and differs for another', () => {
    expect(buildStratifiedFolds(targets, 5, 1)).toEqual(buildStratifiedFolds(targets, 5, 1));
    expect(buildStratifiedFolds(targets, 5, 2)).not.toEqual(buildStratifiedFolds(targets, 5, 1));
  });

  it('refuses fewer folds than 3 and classes smaller than the folds', () => {
    expect(() => buildStratifiedFolds(targets, 2, 1)).toThrow(/at least 3/);
    const few = Int32Array.from({ length: 30 }, (_, i) => (i < 4 ? 1 : 0));
    expect(() => buildStratifiedFolds(few, 5, 1)).toThrow(
      /Too few positive nodes for 5-fold cross-validation: 4/,
    );
  });
});
