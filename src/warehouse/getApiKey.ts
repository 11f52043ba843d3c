import type { Warehouse } from './createWarehouse.js';
import type { ApiKeyRow } from './insertApiKey.js';
import { queryRows } from './queryRows.js';

/** The columns of `api_keys` but the hash, times as unix milliseconds (the select list of the API key reads). */
export const apiKeyColumns = `key_id, name, role, toUnixTimestamp64Milli(created_at) AS created_at,
       toUnixTimestamp64Milli(updated_at) AS updated_at, is_revoked`;

/** An `api_keys` row as JSON brings it: 64-bit numbers as strings. */
export type ReceivedApiKeyRow<T extends Omit<ApiKeyRow, 'key_hash'>> = Omit<
  T,
  'created_at' | 'updated_at' | 'is_revoked'
> & {
  created_at: string;
  updated_at: string;
  is_revoked: number;
};

/** The current version of API key `keyId` (revoked or not), or undefined when there is none. */
export async function getApiKey(warehouse: Warehouse, keyId: string): Promise<ApiKeyRow | undefined> {
  const rows = await queryRows<ReceivedApiKeyRow<ApiKeyRow>>(
    warehouse,
    `SELECT ${apiKeyColumns}, key_hash FROM api_keys FINAL WHERE key_id = {keyId:String}`,
    { keyId },
  );
  return rows[0] && fromReceived(rows[0]);
}

/** A row as read back, with its times and revocation flag as numbers. */
export function fromReceived<T extends Omit<ApiKeyRow, 'key_hash'>>(row: ReceivedApiKeyRow<T>): T {
  return {
    ...row,
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    is_revoked: Number(row.is_revoked) === 1 ? 1 : 0,
  } as unknown as T;
}
