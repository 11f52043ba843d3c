import type { NodeInputs } from '../../gnn/training/NodeDataset.js';
import { applyNormalizer, type Normalizer } from '../../graph/fitNormalizer.js';
import type { SnapshotContent } from '../../graph/snapshotFile.js';
import { buildTrainingInputs } from '../training/buildTrainingInputs.js';
import type { RiskModelCard } from './RiskModelCard.js';

/**
 * A risk model's inputs from a snapshot: the raw features with those constant in the training snapshot held at
 * their training value, normalized with the model's own normalizer (whatever the snapshot was normalized with),
 * and the graph as in training.
 */
export function buildRiskInputs(content: SnapshotContent, card: RiskModelCard): NodeInputs {
  const { featureNames } = content;
  const width = featureNames.length;
  const raw = Float64Array.from(content.rawFeatures);
  for (const [name, value] of Object.entries(card.constantFeatures)) {
    const j = featureNames.indexOf(name);
    for (let i = j; j >= 0 && i < raw.length; i += width) raw[i] = value;
  }
  const features = applyNormalizer(card.normalization as Normalizer, raw, featureNames);
  return buildTrainingInputs({ ...content, features }, card.model.architecture === 'gine');
}
