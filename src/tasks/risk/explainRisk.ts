import { NonRetryableError } from '../../internal/errors.js';
import { toAddress } from '../../utils/toAddress.js';
import {
  createRiskExplainer,
  type RiskExplainerOptions,
  type RiskExplanation,
} from './createRiskExplainer.js';
import { type LoadRiskContextOptions, loadRiskContext } from './loadRiskContext.js';

/** An address's explanation, with the snapshot and the model that gave it. */
export interface ExplainedRisk extends RiskExplanation {
  snapshotId: string;
  modelVersion: number;
  architecture: string;
}

/**
 * Scores and explains one address of a snapshot with the calibrated risk model (see createRiskExplainer); a clear
 * error for a malformed address or one the snapshot does not have.
 */
export async function explainRisk(
  options: LoadRiskContextOptions & { address: string; limits?: RiskExplainerOptions },
): Promise<ExplainedRisk> {
  const address = toAddress(options.address);
  const context = await loadRiskContext(options);
  try {
    const { snapshot } = context.content;
    const node = snapshot.nodes.addresses.indexOf(address);
    if (node < 0) {
      throw new NonRetryableError(`${options.address} is not in snapshot ${snapshot.id}`, {
        code: 'ADDRESS_NOT_IN_SNAPSHOT',
        details: `It had no interactions at or before block ${snapshot.point.asOfBlock} (or the address is mistyped).`,
      });
    }
    return {
      ...createRiskExplainer(context, options.limits).explain(node),
      snapshotId: snapshot.id,
      modelVersion: context.card.version,
      architecture: context.card.model.architecture,
    };
  } finally {
    context.model.dispose();
  }
}
