import type { NodeModel } from '../../gnn/models/NodeModel.js';
import { loadModel, readModelCard } from '../../gnn/registry/loadModel.js';
import { listVersions } from '../../gnn/registry/saveModel.js';
import { NonRetryableError } from '../../internal/errors.js';
import { type RiskModelCard, riskTaskName } from './RiskModelCard.js';

/**
 * Loads a calibrated risk model (one `chaingnn risk train` saved: the version given, else the latest such version)
 * for a snapshot with `featureNames`: refused, naming the missing and unknown features, unless they are the ones
 * the model was trained on, in order.
 */
export async function loadRiskModel(
  dataDir: string,
  featureNames: readonly string[],
  version?: number,
): Promise<{ model: NodeModel; card: RiskModelCard }> {
  const calibrated = (v: number) => 'calibration' in readModelCard(dataDir, riskTaskName, v).card;
  let chosen = version;
  if (chosen === undefined) {
    chosen = listVersions(dataDir, riskTaskName).reverse().find(calibrated);
    if (chosen === undefined) {
      throw new NonRetryableError('No calibrated risk model saved yet', {
        code: 'MODEL_NOT_FOUND',
        details: `Train one first: chaingnn risk train (models in ${dataDir}/models/${riskTaskName}).`,
      });
    }
  } else if (!calibrated(chosen)) {
    throw new NonRetryableError(`Risk model v${chosen} is not calibrated`, {
      code: 'RISK_MODEL_UNCALIBRATED',
      details:
        'It was saved by chaingnn train risk, without model selection and calibration; train one with chaingnn risk train.',
    });
  }
  const { model, card } = await loadModel(dataDir, riskTaskName, { version: chosen, featureNames });
  return { model, card: card as RiskModelCard };
}
