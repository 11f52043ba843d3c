import { describe, expect, it } from 'vitest';
import { createRng } from './createRng.js';

describe('createRng', () => {
  it('repeats the same sequence for the same seed, and another for another seed', () => {
    const draw = (seed: number | string) => {
      const rng = createRng(seed);
      return Array.from({ length: 5 }, () => rng.next());
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw('1')).toEqual(draw(1));
    expect(draw(2)).not.toEqual(draw(1));
  });

  it('forks independent streams: drawing from one does not shift another', () => {
    const a = createRng(7);
    const b = createRng(7);
    a.next();
    a.next();
    expect(a.fork('farms').next()).toBe(b.fork('farms').next());
    expect(a.fork('farms').next()).not.toBe(a.fork('scams').next());
  });

  it('draws from the documented distributions', () => {
    const rng = createRng(3);
    const n = 20_000;
    const uniform = Array.from({ length: n }, () => rng.next());
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniform)).toBeLessThan(1);
    expect(uniform.reduce((s, x) => s + x, 0) / n).toBeCloseTo(0.5, 1);
    const ints = Array.from({ length: n }, () => rng.int(2, 4));
    expect(new Set(ints)).toEqual(new Set([2, 3, 4]));
    const exp = Array.from({ length: n }, () => rng.exponential(10));
    expect(exp.reduce((s, x) => s + x, 0) / n).toBeCloseTo(10, 0);
    const normal = Array.from({ length: n }, () => rng.normal());
    const mean = normal.reduce((s, x) => s + x, 0) / n;
    expect(mean).toBeCloseTo(0, 1);
    expect(normal.reduce((s, x) => s + (x - mean) ** 2, 0) / n).toBeCloseTo(1, 1);
    const pareto = Array.from({ length: n }, () => rng.pareto(3, 2.2));
    expect(Math.min(...pareto)).toBeGreaterThanOrEqual(3);
    expect(pareto.reduce((s, x) => s + x, 0) / n).toBeCloseTo((3 * 2.2) / 1.2, 0);
    const weighted = Array.from({ length: n }, () =>
      rng.weighted([
        ['a', 1],
        ['b', 3],
      ] as const),
    );
    expect(weighted.filter((w) => w === 'b').length / n).toBeCloseTo(0.75, 1);
  });
});
