import { describe, expect, it } from 'vitest';
import { thrown } from '../../../test/setup/thrown.js';
import { createApiKey } from './createApiKey.js';
import { hashApiKeySecret } from './hashApiKeySecret.js';
import { parseApiKey } from './parseApiKey.js';

const base64url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('API keys', () => {
  it('a created key parses back to its id and a secret whose hash is the stored one', () => {
    const { key, row } = createApiKey('reader', 'notebook', 1_700_000_000_000);
    expect(key).toMatch(/^cgn_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseApiKey(key);
    expect(parsed?.keyId).toBe(row.key_id);
    expect(Buffer.from(parsed!.secret, 'base64url')).toHaveLength(32);
    expect(hashApiKeySecret(parsed!.secret)).toBe(row.key_hash);
    expect(row).toMatchObject({
      name: 'notebook',
      role: 'reader',
      created_at: 1_700_000_000_000,
      updated_at: 1_700_000_000_000,
      is_revoked: 0,
    });
    expect(key).not.toContain(row.key_hash);
  });

  it('every key is new: ids and secrets differ', () => {
    const keys = Array.from({ length: 50 }, () => parseApiKey(createApiKey('admin', 'x').key)!);
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(50);
    expect(new Set(keys.map((k) => k.secret)).size).toBe(50);
  });

  it('hashes a secret as the hex SHA-256 of its text', () => {
    expect(hashApiKeySecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('refuses anything but cgn_<12 lower-case hex>_<43 base64url characters>', () => {
    const { key } = createApiKey('reader', 'x');
    const { keyId, secret } = parseApiKey(key)!;
    const last = base64url.indexOf(secret.at(-1)!);
    const malformed = [
      '',
      'cgn_',
      `cgn_${keyId}`,
      `cgn_${keyId}_`,
      `xgn_${keyId}_${secret}`,
      `CGN_${keyId}_${secret}`,
      `cgn_${keyId.toUpperCase().replace(/^./, 'A')}_${secret}`,
      `cgn_${keyId.slice(1)}_${secret}`,
      `cgn_${keyId}0_${secret}`,
      `cgn_${keyId}_${secret.slice(1)}`,
      `cgn_${keyId}_${secret}A`,
      `cgn_${keyId}_${secret}=`,
      `cgn_${keyId}_+${secret.slice(1)}`,
      `cgn_${keyId}_/${secret.slice(1)}`,
      ` ${key}`,
      `${key}\n`,
      `Bearer ${key}`,
      // The same 32 bytes, but the last character sets bits past them: not how the secret was written.
      `cgn_${keyId}_${secret.slice(0, -1)}${base64url[last + 1]}`,
    ];
    for (const text of malformed) expect(parseApiKey(text), JSON.stringify(text)).toBeUndefined();
    expect(parseApiKey(key)).toEqual({ keyId, secret });
  });

  it('refuses to create a key with an unknown role, naming it and the roles', () => {
    const error = thrown(() => createApiKey('owner' as 'admin', 'x'));
    expect(error).toMatchObject({
      code: 'APIKEY_ROLE_INVALID',
      shortMessage: 'Unknown API key role "owner"',
      details: 'Expected one of reader, admin.',
    });
  });
});
