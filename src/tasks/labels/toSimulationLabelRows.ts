import type { LabelRecord, SimLabel } from '../../chain/simulator/simWorld.js';
import type { AddressLabelRow } from '../../types/tableRows.js';

/** The `address_labels.category` of each planted label. */
export const simulationCategories: Record<SimLabel, string> = {
  sybil: 'sybil',
  phishing: 'phishing',
  drainer: 'drainer',
  launderer: 'launderer',
  poisoner: 'address_poisoning',
  rug: 'rug_pull',
  whale: 'whale',
  organic: 'organic',
  exchange: 'exchange',
  deployer: 'deployer',
  protocol: 'protocol',
};

/** The simulator's ground truth as `address_labels` rows with source `simulation`. */
export function toSimulationLabelRows(
  chainId: number,
  labels: readonly LabelRecord[],
  addedAt: number,
): AddressLabelRow[] {
  return labels.map((l) => ({
    chain_id: chainId,
    address: l.address.toLowerCase(),
    label: l.clusterId ? `${l.label} ${l.clusterId}` : l.label,
    category: simulationCategories[l.label],
    source: 'simulation',
    confidence: 1,
    added_at: addedAt,
  }));
}
