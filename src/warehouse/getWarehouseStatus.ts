import type { Warehouse } from './createWarehouse.js';
import {
  clusterMigrationsDir,
  getAppliedMigrations,
  readMigrations,
  singleNodeMigrationsDir,
} from './migrations.js';

/** A table of the chaingnn database: current rows (one per key) and bytes on disk. */
export interface TableStatus {
  name: string;
  rows: number;
  bytesOnDisk: number;
}

/** An indexer's position on one chain. */
export interface CheckpointStatus {
  chainId: number;
  indexer: string;
  blockNumber: number;
  blockHash: string;
  updatedAt: string;
}

/** What `chaingnn status` reports. */
export interface WarehouseStatus {
  mode: Warehouse['mode'];
  location: string;
  database: string;
  serverVersion: string;
  migrations: { applied: string[]; pending: string[] };
  tables: TableStatus[];
  checkpoints: CheckpointStatus[];
}

/** Reads the warehouse's mode, version, migrations, tables with current row counts, and indexer checkpoints. */
export async function getWarehouseStatus(
  warehouse: Warehouse,
  options: { cluster?: string | undefined } = {},
): Promise<WarehouseStatus> {
  const { client } = warehouse;
  const [{ version }] = (await (
    await client.query({ query: 'SELECT version() AS version', format: 'JSONEachRow' })
  ).json<{ version: string }>()) as [{ version: string }];
  const applied = (await getAppliedMigrations(warehouse)).map((row) => row.name);
  const known = readMigrations(options.cluster ? clusterMigrationsDir : singleNodeMigrationsDir);
  const tableRows = await (
    await client.query({
      query: `SELECT name, toUInt64(ifNull(total_bytes, 0)) AS bytes FROM system.tables
              WHERE database = currentDatabase() AND NOT is_temporary AND engine NOT LIKE '%View' ORDER BY name`,
      format: 'JSONEachRow',
    })
  ).json<{ name: string; bytes: string }>();
  const tables: TableStatus[] = [];
  for (const row of tableRows) {
    const [{ n }] = (await (
      await client.query({ query: `SELECT count() AS n FROM \`${row.name}\``, format: 'JSONEachRow' })
    ).json<{ n: string }>()) as [{ n: string }];
    tables.push({ name: row.name, rows: Number(n), bytesOnDisk: Number(row.bytes) });
  }
  const checkpoints = tables.some((t) => t.name === 'indexer_checkpoints')
    ? await getCheckpoints(warehouse)
    : [];
  return {
    mode: warehouse.mode,
    location: warehouse.location,
    database: warehouse.database,
    serverVersion: version,
    migrations: { applied, pending: known.map((m) => m.name).filter((name) => !applied.includes(name)) },
    tables,
    checkpoints,
  };
}

async function getCheckpoints(warehouse: Warehouse): Promise<CheckpointStatus[]> {
  const rows = await (
    await warehouse.client.query({
      query: `SELECT chain_id, indexer, block_number, block_hash, toString(updated_at) AS updated_at
              FROM indexer_checkpoints ORDER BY chain_id, indexer`,
      format: 'JSONEachRow',
    })
  ).json<{
    chain_id: string;
    indexer: string;
    block_number: string;
    block_hash: string;
    updated_at: string;
  }>();
  return rows.map((row) => ({
    chainId: Number(row.chain_id),
    indexer: row.indexer,
    blockNumber: Number(row.block_number),
    blockHash: row.block_hash,
    updatedAt: row.updated_at,
  }));
}
