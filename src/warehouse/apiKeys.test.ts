import { describe, expect, it } from 'vitest';
import { useTestWarehouse } from '../../test/setup/testWarehouse.js';
import { getApiKey } from './getApiKey.js';
import { getApiKeys } from './getApiKeys.js';
import { type ApiKeyRow, insertApiKey } from './insertApiKey.js';

function row(keyId: string, createdAt: number, extra: Partial<ApiKeyRow> = {}): ApiKeyRow {
  return {
    key_id: keyId,
    name: `key ${keyId}`,
    role: 'reader',
    key_hash: keyId.repeat(6).slice(0, 64).padEnd(64, '0'),
    created_at: createdAt,
    updated_at: createdAt,
    is_revoked: 0,
    ...extra,
  };
}

describe('api_keys', () => {
  const warehouse = useTestWarehouse();

  it('reads back a key as written, times to the millisecond, and undefined for an unknown id', async () => {
    const written = row('0123456789ab', 1_700_000_000_123, { role: 'admin', name: "ops's \t key" });
    await insertApiKey(warehouse(), written);
    expect(await getApiKey(warehouse(), '0123456789ab')).toEqual(written);
    expect(await getApiKey(warehouse(), 'ffffffffffff')).toBeUndefined();
  });

  it('the newest updated_at wins: a revocation replaces the key, in any insert order', async () => {
    const key = row('aaaaaaaaaaaa', 1_000);
    const revoked = { ...key, updated_at: 2_000, is_revoked: 1 as const };
    await insertApiKey(warehouse(), revoked);
    await insertApiKey(warehouse(), key);
    expect(await getApiKey(warehouse(), key.key_id)).toEqual(revoked);
  });

  it('lists every key once, oldest first, without hashes', async () => {
    await insertApiKey(warehouse(), row('bbbbbbbbbbbb', 3_000));
    await insertApiKey(warehouse(), row('cccccccccccc', 1_000));
    await insertApiKey(warehouse(), row('cccccccccccc', 1_000, { updated_at: 5_000, is_revoked: 1 }));
    await insertApiKey(warehouse(), row('dddddddddddd', 2_000, { role: 'admin' }));
    const keys = await getApiKeys(warehouse());
    expect(keys).toEqual([
      {
        key_id: 'cccccccccccc',
        name: 'key cccccccccccc',
        role: 'reader',
        created_at: 1_000,
        updated_at: 5_000,
        is_revoked: 1,
      },
      {
        key_id: 'dddddddddddd',
        name: 'key dddddddddddd',
        role: 'admin',
        created_at: 2_000,
        updated_at: 2_000,
        is_revoked: 0,
      },
      {
        key_id: 'bbbbbbbbbbbb',
        name: 'key bbbbbbbbbbbb',
        role: 'reader',
        created_at: 3_000,
        updated_at: 3_000,
        is_revoked: 0,
      },
    ]);
    expect(await getApiKeys(warehouse())).not.toContainEqual(
      expect.objectContaining({ key_hash: expect.anything() }),
    );
  });
});
