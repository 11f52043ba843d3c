import { randomBytes } from 'node:crypto';
import { NonRetryableError } from '../../internal/errors.js';
import type { ApiKeyRow } from '../../warehouse/insertApiKey.js';
import { type ApiKeyRole, apiKeyRoles, isApiKeyRole } from './apiKeyRoles.js';
import { hashApiKeySecret } from './hashApiKeySecret.js';

/** A new API key: the key to hand to its user (shown once) and the row that stores only its hash. */
export interface CreatedApiKey {
  /** `cgn_<keyId>_<secret>`. */
  key: string;
  row: ApiKeyRow;
}

/** Makes a new random API key `cgn_<12 hex>_<32 bytes base64url>` and its `api_keys` row (not yet stored). */
export function createApiKey(role: ApiKeyRole, name: string, now: number = Date.now()): CreatedApiKey {
  if (!isApiKeyRole(role)) {
    throw new NonRetryableError(`Unknown API key role ${JSON.stringify(role)}`, {
      code: 'APIKEY_ROLE_INVALID',
      details: `Expected one of ${apiKeyRoles.join(', ')}.`,
    });
  }
  const keyId = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return {
    key: `cgn_${keyId}_${secret}`,
    row: {
      key_id: keyId,
      name,
      role,
      key_hash: hashApiKeySecret(secret),
      created_at: now,
      updated_at: now,
      is_revoked: 0,
    },
  };
}
