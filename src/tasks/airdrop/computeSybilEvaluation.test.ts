import { describe, expect, it } from 'vitest';
import { computeSybilEvaluation, toFarmKind } from './computeSybilEvaluation.js';

describe('computeSybilEvaluation', () => {
  it('scores each detector overall and per farm kind, with genuine addresses wrongly flagged', () => {
    // Rows: 3 plain sybils, 2 disguised sybils, 5 genuine.
    const kinds = [
      'plain',
      'plain',
      'plain',
      'disguised',
      'disguised',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ];
    const flaggedRows = new Set([0, 1, 2, 3, 5]);
    const result = computeSybilEvaluation(kinds, [
      { name: 'ours', flagged: (i) => flaggedRows.has(i) },
      { name: 'nothing', flagged: () => false },
    ]);
    expect(result).toMatchObject({ sybils: 5, genuine: 5 });
    const [ours, nothing] = result.detectors;
    expect(ours!.all).toMatchObject({ truePositives: 4, falsePositives: 1, precision: 0.8, recall: 0.8 });
    expect(ours!.all.f1).toBeCloseTo(0.8);
    expect(ours!.byKind.plain).toMatchObject({ sybils: 3, truePositives: 3, precision: 0.75, recall: 1 });
    expect(ours!.byKind.disguised).toMatchObject({
      sybils: 2,
      truePositives: 1,
      precision: 0.5,
      recall: 0.5,
    });
    expect(ours!.genuineExcluded).toEqual({ count: 1, share: 0.2 });
    expect(nothing!.all).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it('reads the farm kind from the label text', () => {
    expect(toFarmKind('sybil farm-3-plain')).toBe('plain');
    expect(toFarmKind('sybil farm-12-disguised')).toBe('disguised');
    expect(toFarmKind('sybil farm-4-exchange-funded')).toBe('exchange-funded');
    expect(toFarmKind('sybil')).toBe('other');
  });
});
