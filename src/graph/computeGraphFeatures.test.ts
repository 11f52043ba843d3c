import { describe, expect, it } from 'vitest';
import { randomSnapshot } from '../../test/setup/randomSnapshot.js';
import { buildSimpleUndirected } from './buildSimpleUndirected.js';
import { computeGraphFeatures, graphFeatureNames } from './computeGraphFeatures.js';

describe('computeGraphFeatures: counterparties’ means', () => {
  const snapshot = randomSnapshot(400, 1_500, 3); // the last 10 nodes have no edge
  const features = computeGraphFeatures(snapshot);
  const width = graphFeatureNames.length;
  const value = (v: number, name: (typeof graphFeatureNames)[number]) =>
    features[v * width + graphFeatureNames.indexOf(name)]!;
  const simple = buildSimpleUndirected(snapshot);
  const neighbours = (v: number) =>
    Array.from(simple.targets.subarray(simple.offsets[v]!, simple.offsets[v + 1]!));
  const withCounterparties = Array.from({ length: 400 }, (_, v) => v).filter((v) => neighbours(v).length > 0);

  it('averages the counterparties’ own counterparties', () => {
    for (const v of withCounterparties.slice(0, 50)) {
      const mean = neighbours(v).reduce((sum, u) => sum + neighbours(u).length, 0) / neighbours(v).length;
      expect(value(v, 'neighbour_counterparties_mean')).toBeCloseTo(mean, 12);
    }
  });

  it('gives an address without counterparties the median over those with some, not 0', () => {
    expect(withCounterparties.length).toBeLessThanOrEqual(390);
    for (const name of [
      'neighbour_degree_mean',
      'neighbour_counterparties_mean',
      'neighbour_funding_depth_mean',
    ] as const) {
      const known = withCounterparties.map((v) => value(v, name)).sort((a, b) => a - b);
      const median = known[Math.floor((known.length - 1) / 2)]!;
      expect(median).toBeGreaterThan(0);
      for (let v = 390; v < 400; v += 1) expect([name, v, value(v, name)]).toEqual([name, v, median]);
    }
  });
});
