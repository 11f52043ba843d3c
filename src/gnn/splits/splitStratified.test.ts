import { describe, expect, it } from 'vitest';
import { splitStratified } from './splitStratified.js';

describe('splitStratified', () => {
  const labels = Int32Array.from({ length: 200 }, (_, i) => (i < 150 ? 0 : i < 190 ? 1 : -1));

  it("keeps each class's share in every part, leaves unlabelled nodes out, and repeats with the seed", () => {
    const split = splitStratified({ labels, fractions: { train: 0.5, validation: 0.25 }, seed: 3 });
    const positives = (nodes: Uint32Array) => nodes.filter((node) => labels[node] === 1).length;
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([95, 48, 47]);
    expect([positives(split.train), positives(split.validation), positives(split.test)]).toEqual([
      20, 10, 10,
    ]);
    const all = [...split.train, ...split.validation, ...split.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 190 }, (_, i) => i));
    expect(Array.from(split.train)).toEqual([...split.train].sort((a, b) => a - b));
    expect(splitStratified({ labels, fractions: { train: 0.5, validation: 0.25 }, seed: 3 })).toEqual(split);
    expect(
      splitStratified({ labels, fractions: { train: 0.5, validation: 0.25 }, seed: 4 }).train,
    ).not.toEqual(split.train);
  });

  it('refuses fractions that leave nothing to test', () => {
    expect(() => splitStratified({ labels, fractions: { train: 0.8, validation: 0.2 }, seed: 1 })).toThrow(
      'Split fractions train 0.8, validation 0.2 leave no valid split',
    );
  });
});
