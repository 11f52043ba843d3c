import { createHash } from 'node:crypto';

/** The hex SHA-256 of an API key's secret: what `api_keys.key_hash` stores instead of the secret. */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
