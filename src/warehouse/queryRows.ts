import type { Warehouse } from './createWarehouse.js';

/** Runs a SELECT with bound `{name:Type}` parameters and returns its rows (64-bit and wider integers as strings). */
export async function queryRows<T = Record<string, unknown>>(
  warehouse: Warehouse,
  query: string,
  params: Record<string, unknown> = {},
): Promise<T[]> {
  const result = await warehouse.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}
