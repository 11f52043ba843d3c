import type { Warehouse } from './createWarehouse.js';
import { apiKeyColumns, fromReceived, type ReceivedApiKeyRow } from './getApiKey.js';
import type { ApiKeyRow } from './insertApiKey.js';
import { queryRows } from './queryRows.js';

/** An API key as listed: every column but the secret's hash. */
export type ApiKeyInfo = Omit<ApiKeyRow, 'key_hash'>;

/** Every API key's current version (revoked ones included), oldest first; hashes are not read. */
export async function getApiKeys(warehouse: Warehouse): Promise<ApiKeyInfo[]> {
  const rows = await queryRows<ReceivedApiKeyRow<ApiKeyInfo>>(
    warehouse,
    `SELECT ${apiKeyColumns} FROM api_keys FINAL ORDER BY created_at, key_id`,
  );
  return rows.map((row) => fromReceived<ApiKeyInfo>(row));
}
