import { describe, expect, it } from 'vitest';
import { splitByTime } from './splitByTime.js';

describe('splitByTime', () => {
  it('trains on the earliest nodes, validates on the next and tests on the latest, ties kept together', () => {
    // Node i's time; node 3 has none. Sorted: 6(1) 0(2) 7(2) 4(3) 1(5) 8(5) 2(7) 5(9) 9(9); 60% → 5.4 ≈ 5 nodes,
    // but node 8 ties with node 1 at 5, so train takes 6; 80% → 7.2 ≈ 7 nodes, which already ends before the 9s.
    const times = [2, 5, 7, Number.NaN, 3, 9, 1, 2, 5, 9];
    const split = splitByTime({ times, fractions: { train: 0.6, validation: 0.2 } });
    expect(split).toEqual({
      train: Uint32Array.of(0, 1, 4, 6, 7, 8),
      validation: Uint32Array.of(2),
      test: Uint32Array.of(5, 9),
      trainUntil: 5,
      validationUntil: 7,
    });
  });

  it('moves a cut past nodes that share its time', () => {
    const split = splitByTime({ times: [4, 4, 4, 4, 8], fractions: { train: 0.4, validation: 0.2 } });
    expect([split.train, split.validation, split.test]).toEqual([
      Uint32Array.of(0, 1, 2, 3),
      Uint32Array.of(),
      Uint32Array.of(4),
    ]);
  });

  it('puts every train time before every validation time before every test time', () => {
    const times = Float64Array.from({ length: 100 }, (_, i) => (i * 37) % 100);
    const split = splitByTime({ times });
    const range = (nodes: Uint32Array) => [
      Math.min(...Array.from(nodes, (n) => times[n]!)),
      Math.max(...Array.from(nodes, (n) => times[n]!)),
    ];
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([60, 20, 20]);
    expect([range(split.train), range(split.validation), range(split.test)]).toEqual([
      [0, 59],
      [60, 79],
      [80, 99],
    ]);
  });
});
