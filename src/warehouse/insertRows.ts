import type { TableRows } from '../types/tableRows.js';
import type { Warehouse } from './createWarehouse.js';

/**
 * Inserts rows into a core table in one INSERT. Re-inserting rows that are already there is harmless:
 * reads see one current row per key (the one with the highest version).
 */
export async function insertRows<T extends keyof TableRows>(
  warehouse: Warehouse,
  table: T,
  rows: readonly TableRows[T][],
): Promise<void> {
  await warehouse.insert(table, rows);
}
