import { nodeKinds } from '../../types/graph.js';

/** How many labelled nodes of each class are contracts (any node kind but `eoa`: contracts, tokens, pools). */
export interface LabelledContracts {
  positive: number;
  negative: number;
}

const eoa = nodeKinds.indexOf('eoa');

/** Counts the contracts among the positive (target 1) and negative (target 0) nodes; unlabelled nodes (-1) are not counted. */
export function countLabelledContracts(targets: Int32Array, kind: Uint8Array): LabelledContracts {
  const counts: LabelledContracts = { positive: 0, negative: 0 };
  for (const [node, target] of targets.entries()) {
    if (kind[node] === eoa || target < 0) continue;
    counts[target === 1 ? 'positive' : 'negative'] += 1;
  }
  return counts;
}

/**
 * The warning a risk training owes its user when every labelled contract is positive: the model can then learn
 * "contract" itself as a sign of risk and score every router, pool and token high. Undefined otherwise.
 */
export function describeContractLabelRisk(counts: LabelledContracts): string | undefined {
  if (counts.positive === 0 || counts.negative > 0) return undefined;
  return (
    `every labelled contract is positive (${counts.positive}) and none negative: the model can learn "contract" as a ` +
    'sign of risk and score routers, pools and tokens high. Label benign contracts (category protocol, router or ' +
    'exchange) with chaingnn labels import.'
  );
}
