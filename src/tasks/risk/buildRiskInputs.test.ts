import { describe, expect, it } from 'vitest';
import { emptyCommunities } from '../../../test/setup/emptyCommunities.js';
import { buildCsr } from '../../graph/buildCsr.js';
import { applyNormalizer, fitNormalizer } from '../../graph/fitNormalizer.js';
import type { SnapshotContent } from '../../graph/snapshotFile.js';
import { noToken } from '../../types/graph.js';
import { buildRiskInputs } from './buildRiskInputs.js';
import { findConstantFeatures } from './findConstantFeatures.js';
import type { RiskModelCard } from './RiskModelCard.js';

const featureNames = ['eth_in', 'gas_used_mean'];

/** Three addresses in a line (0 → 1 → 2) with the given raw features, normalized with their own fitted normalizer. */
function content(raw: number[]): SnapshotContent {
  const rawFeatures = Float64Array.from(raw);
  const normalizer = fitNormalizer(rawFeatures, featureNames);
  const edges = {
    src: Uint32Array.of(0, 1),
    dst: Uint32Array.of(1, 2),
    type: new Uint8Array(2),
    token: new Uint32Array(2).fill(noToken),
    count: Uint32Array.of(1, 1),
    logTotal: new Float32Array(2),
    logMax: new Float32Array(2),
    firstBlock: new Uint32Array(2),
    lastBlock: new Uint32Array(2),
  };
  const n = 3;
  return {
    snapshot: {
      id: 's',
      point: { chainId: 1, asOfBlock: 1, asOfTime: 1, fromBlock: 0 },
      nodes: { addresses: ['0x01', '0x02', '0x03'], kind: new Uint8Array(n) },
      edges,
      ...buildCsr(edges, n),
    },
    featureNames,
    rawFeatures,
    features: applyNormalizer(normalizer, rawFeatures, featureNames),
    normalizer,
    communities: emptyCommunities(n),
    valuesSha256: '',
  };
}

describe('buildRiskInputs', () => {
  // Training data without receipts: no gas at all.
  const training = content([1, 0, 5, 0, 20, 0]);
  const card = {
    normalization: training.normalizer,
    constantFeatures: findConstantFeatures(training),
    model: { architecture: 'sage' },
  } as unknown as RiskModelCard;

  it('gives the training snapshot exactly the features the model was trained on', () => {
    expect(card.constantFeatures).toEqual({ gas_used_mean: 0 });
    const inputs = buildRiskInputs(training, card);
    expect(Array.from(inputs.features.values)).toEqual(Array.from(training.features));
    // Every edge in both directions.
    expect(inputs.graph.numEdges).toBe(4);
  });

  it('normalizes another snapshot with the model’s normalizer, and holds the features training lacked', () => {
    // Scored on data with receipts, and normalized by its own (other) normalizer.
    const later = content([2, 21_000, 5, 90_000, 40, 50_000]);
    const inputs = buildRiskInputs(later, card);
    const expected = applyNormalizer(training.normalizer, Float64Array.of(2, 0, 5, 0, 40, 0), featureNames);
    expect(Array.from(inputs.features.values)).toEqual(Array.from(expected));
    expect(Array.from(inputs.features.values)).not.toEqual(Array.from(later.features));
  });
});
