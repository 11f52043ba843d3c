import type { LabelRecord } from './simWorld.js';

/** The ground truth as CSV: `address,label,cluster_id,is_contract`, addresses lower-case, sorted. */
export function formatLabelsCsv(labels: readonly LabelRecord[]): string {
  const rows = [...labels]
    .map((l) => ({ ...l, address: l.address.toLowerCase() }))
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
    .map((l) => `${l.address},${l.label},${l.clusterId},${l.isContract ? 1 : 0}`);
  return `address,label,cluster_id,is_contract\n${rows.join('\n')}\n`;
}
