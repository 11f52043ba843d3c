import type { Warehouse } from './createWarehouse.js';
import { queryRows } from './queryRows.js';

/** One current label of an address: what a source says of it. */
export interface AddressLabel {
  address: string;
  label: string;
  category: string;
  source: string;
}

/** Every current label of `chainId` (only of `addresses` when given; withdrawn ones left out), by address, then source and category. */
export async function getAddressLabels(
  warehouse: Warehouse,
  chainId: number,
  addresses?: readonly string[],
): Promise<AddressLabel[]> {
  if (addresses?.length === 0) return [];
  return queryRows<AddressLabel>(
    warehouse,
    `SELECT address, label, category, source FROM address_labels
     WHERE chain_id = {chainId:UInt64} AND is_deleted = 0
       ${addresses === undefined ? '' : 'AND address IN {addresses:Array(String)}'}
     ORDER BY address, source, category`,
    { chainId, ...(addresses === undefined ? {} : { addresses }) },
  );
}
