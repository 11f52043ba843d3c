import type { Warehouse } from './createWarehouse.js';
import { getTableNames } from './getTableNames.js';

/** Current rows and an order-independent content checksum of one table. */
export interface TableChecksum {
  rows: number;
  checksum: string;
}

/**
 * Row count and checksum (sum of cityHash64 over every column but `version` and `is_deleted`) of each table
 * that exists: two warehouses with the same current rows have the same figures, however they got there.
 */
export async function getTableChecksums(
  warehouse: Warehouse,
  tables: readonly string[],
): Promise<Record<string, TableChecksum>> {
  const present = await getTableNames(warehouse);
  const out: Record<string, TableChecksum> = {};
  for (const table of tables.filter((t) => present.has(t))) {
    const result = await warehouse.client.query({
      query: `SELECT count() AS rows, toString(sum(cityHash64(* EXCEPT (version, is_deleted)))) AS checksum FROM ${table}`,
      format: 'JSONEachRow',
    });
    const [row] = (await result.json<{ rows: string; checksum: string }>()) as [
      { rows: string; checksum: string },
    ];
    out[table] = { rows: Number(row.rows), checksum: row.checksum };
  }
  return out;
}
