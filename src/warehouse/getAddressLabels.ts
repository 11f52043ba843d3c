import type { Warehouse } from './createWarehouse.js';
import { queryRows } from './queryRows.js';

/** One current label of an address: what a source says of it. */
export interface AddressLabel {
  address: string;
  label: string;
  category: string;
  source: string;
}

/** Every current label of `chainId` (withdrawn ones left out), by address, then source and category. */
export async function getAddressLabels(warehouse: Warehouse, chainId: number): Promise<AddressLabel[]> {
  return queryRows<AddressLabel>(
    warehouse,
    `SELECT address, label, category, source FROM address_labels
     WHERE chain_id = {chainId:UInt64} AND is_deleted = 0
     ORDER BY address, source, category`,
    { chainId },
  );
}
