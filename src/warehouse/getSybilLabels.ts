import type { Warehouse } from './createWarehouse.js';
import { queryRows } from './queryRows.js';

/** The addresses of `chainId` with a current `sybil` label, each with one of its label texts (e.g. `sybil farm-3-plain`). */
export async function getSybilLabels(warehouse: Warehouse, chainId: number): Promise<Map<string, string>> {
  const rows = await queryRows<{ address: string; label: string }>(
    warehouse,
    `SELECT address, min(label) AS label FROM address_labels
     WHERE chain_id = {chainId:UInt64} AND category = 'sybil' AND is_deleted = 0
     GROUP BY address`,
    { chainId },
  );
  return new Map(rows.map((row) => [row.address, row.label]));
}
