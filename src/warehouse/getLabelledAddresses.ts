import type { Warehouse } from './createWarehouse.js';
import { queryRows } from './queryRows.js';

/** An address with every category its current labels give it, and the sources that say so. */
export interface LabelledAddress {
  address: string;
  /** Distinct categories, sorted. */
  categories: string[];
  /** Distinct sources, sorted. */
  sources: string[];
}

/**
 * The addresses of `chainId` with current labels (withdrawn labels left out), each once with all its categories;
 * only labels from `sources` when given.
 */
export async function getLabelledAddresses(
  warehouse: Warehouse,
  chainId: number,
  sources?: readonly string[],
): Promise<LabelledAddress[]> {
  const rows = await queryRows<LabelledAddress>(
    warehouse,
    `SELECT address, arraySort(groupUniqArray(category)) AS categories, arraySort(groupUniqArray(source)) AS sources
     FROM address_labels
     WHERE chain_id = {chainId:UInt64} AND is_deleted = 0
       ${sources === undefined ? '' : 'AND source IN {sources:Array(String)}'}
     GROUP BY address
     ORDER BY address`,
    sources === undefined ? { chainId } : { chainId, sources },
  );
  return rows;
}
