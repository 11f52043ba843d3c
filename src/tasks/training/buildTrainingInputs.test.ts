import { describe, expect, it } from 'vitest';
import { buildCsr } from '../../graph/buildCsr.js';
import { fitNormalizer } from '../../graph/fitNormalizer.js';
import type { SnapshotContent } from '../../graph/snapshotFile.js';
import { edgeTypes, noToken } from '../../types/graph.js';
import { buildTrainingInputs, trainingEdgeFeatureNames } from './buildTrainingInputs.js';

describe('buildTrainingInputs', () => {
  // 0 → 1: 3 native transactions of one ether in total; 1 → 2: one token transfer of 10^6 base units.
  const edges = {
    src: Uint32Array.of(0, 1),
    dst: Uint32Array.of(1, 2),
    type: Uint8Array.of(edgeTypes.indexOf('native'), edgeTypes.indexOf('token')),
    token: Uint32Array.of(noToken, 2),
    count: Uint32Array.of(3, 1),
    logTotal: Float32Array.of(Math.log1p(1e18), Math.log1p(1e6)),
    logMax: Float32Array.of(Math.log1p(5e17), Math.log1p(1e6)),
    firstBlock: Uint32Array.of(1, 2),
    lastBlock: Uint32Array.of(3, 2),
  };
  const featureNames = ['tx_sent', 'age'];
  const rawFeatures = Float64Array.of(3, 10, 1, 20, 0, 30);
  const content = {
    snapshot: {
      id: 'c1_b3_f0',
      point: { chainId: 1, asOfBlock: 3, asOfTime: 0, fromBlock: 0 },
      nodes: { addresses: ['0x1', '0x2', '0x3'], kind: new Uint8Array(3) },
      edges,
      ...buildCsr(edges, 3),
    },
    featureNames,
    rawFeatures,
    features: Float32Array.of(1, 2, 3, 4, 5, 6),
    normalizer: fitNormalizer(rawFeatures, featureNames),
  } as unknown as SnapshotContent;

  it('sends messages both ways over every edge, with the normalized node features', () => {
    const inputs = buildTrainingInputs(content, false);
    expect(Array.from(inputs.graph.src)).toEqual([0, 1, 1, 2]);
    expect(Array.from(inputs.graph.dst)).toEqual([1, 2, 0, 1]);
    expect(inputs.graph.numDestinations).toBe(3);
    expect(inputs.features).toEqual({ values: content.features, channels: 2 });
    expect(inputs.edgeFeatures).toBeUndefined();
  });

  it('gives each edge and its reversed copy the type, direction, count and values (an ether ≈ 1)', () => {
    const { edgeFeatures } = buildTrainingInputs(content, true);
    expect(edgeFeatures!.channels).toBe(trainingEdgeFeatureNames.length);
    const row = (e: number) =>
      Object.fromEntries(
        trainingEdgeFeatureNames
          .map((name, c) => [name, edgeFeatures!.values[e * edgeFeatures!.channels + c]!] as const)
          .filter(([, value]) => value !== 0),
      );
    const close = (value: number) => expect.closeTo(value, 5);
    const native = {
      type_native: 1,
      log_count: close(Math.log(4)),
      log_total: close(1),
      log_max: close(Math.log1p(5e17) / Math.log(1e18)),
    };
    expect(row(0)).toEqual(native);
    expect(row(2)).toEqual({ ...native, reversed: 1 });
    expect(row(3)).toEqual({
      type_token: 1,
      reversed: 1,
      log_count: close(Math.LN2),
      log_total: close(Math.log1p(1e6) / Math.log(1e18)),
      log_max: close(Math.log1p(1e6) / Math.log(1e18)),
    });
  });
});
