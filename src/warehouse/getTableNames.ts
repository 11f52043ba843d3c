import type { Warehouse } from './createWarehouse.js';

/** The names of the tables in the warehouse's database. */
export async function getTableNames(warehouse: Warehouse): Promise<Set<string>> {
  const result = await warehouse.client.query({
    query: 'SELECT name FROM system.tables WHERE database = currentDatabase()',
    format: 'JSONEachRow',
  });
  return new Set((await result.json<{ name: string }>()).map((row) => row.name));
}
