import type { Warehouse } from './createWarehouse.js';

/** A row of `api_keys` (see schema/clickhouse/018_api_keys.sql): one API key, with its secret's hash only. */
export interface ApiKeyRow {
  /** 12 lower-case hex characters: the public part of the key, `cgn_<key_id>_<secret>`. */
  key_id: string;
  /** What the key is for, as its creator named it. */
  name: string;
  /** `reader` or `admin`. */
  role: string;
  /** Hex SHA-256 of the key's secret; the secret itself is never stored. */
  key_hash: string;
  /** Unix milliseconds the key was created. */
  created_at: number;
  /** Unix milliseconds this version of the row was written; the newest wins. */
  updated_at: number;
  /** 1 once the key is revoked. */
  is_revoked: 0 | 1;
}

/** Writes one version of an API key: a new key, or (a later `updated_at`, `is_revoked` 1) its revocation. */
export async function insertApiKey(warehouse: Warehouse, row: ApiKeyRow): Promise<void> {
  await warehouse.insert('api_keys', [
    { ...row, created_at: toDateTime64(row.created_at), updated_at: toDateTime64(row.updated_at) },
  ]);
}

/** Unix milliseconds as `YYYY-MM-DD hh:mm:ss.sss` (UTC): ClickHouse reads a short number (e.g. 2000) as a year. */
function toDateTime64(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
