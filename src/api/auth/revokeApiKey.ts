import { NonRetryableError } from '../../internal/errors.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { getApiKey } from '../../warehouse/getApiKey.js';
import { type ApiKeyRow, insertApiKey } from '../../warehouse/insertApiKey.js';

/** What {@link revokeApiKey} did: the key's row as it now stands, and whether it was revoked already. */
export interface RevokedApiKey {
  row: ApiKeyRow;
  alreadyRevoked: boolean;
}

/**
 * Revokes API key `keyId` by writing its row again with `is_revoked` 1 and a later `updated_at` (revoking twice
 * is harmless). An unknown id is refused (APIKEY_UNKNOWN).
 */
export async function revokeApiKey(
  warehouse: Warehouse,
  keyId: string,
  now: number = Date.now(),
): Promise<RevokedApiKey> {
  const current = await getApiKey(warehouse, keyId);
  if (!current) {
    throw new NonRetryableError(`No API key with id ${JSON.stringify(keyId)}`, {
      code: 'APIKEY_UNKNOWN',
      details: 'Expected the 12-character id of an existing key; `chaingnn apikey list` shows them.',
    });
  }
  if (current.is_revoked === 1) return { row: current, alreadyRevoked: true };
  // Strictly later than the version it replaces: the newest `updated_at` wins.
  const row: ApiKeyRow = { ...current, is_revoked: 1, updated_at: Math.max(now, current.updated_at + 1) };
  await insertApiKey(warehouse, row);
  return { row, alreadyRevoked: false };
}
