import { describe, expect, it } from 'vitest';
import { useTestWarehouse } from '../../../test/setup/testWarehouse.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { insertApiKey } from '../../warehouse/insertApiKey.js';
import { createApiKey } from './createApiKey.js';
import { createAuthenticator } from './createAuthenticator.js';
import { revokeApiKey } from './revokeApiKey.js';

/** The same warehouse, counting the queries made through it. */
function countingQueries(warehouse: Warehouse): { warehouse: Warehouse; queries: () => number } {
  let queries = 0;
  const client = new Proxy(warehouse.client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function') return value;
      if (property === 'query') {
        return (...args: Parameters<typeof target.query>) => {
          queries += 1;
          return target.query(...args);
        };
      }
      return value.bind(target);
    },
  });
  return { warehouse: { ...warehouse, client }, queries: () => queries };
}

describe('createAuthenticator', () => {
  const warehouse = useTestWarehouse();

  async function storedKey(role: 'reader' | 'admin' = 'reader', name = 'dashboard') {
    const created = createApiKey(role, name);
    await insertApiKey(warehouse(), created.row);
    return { key: created.key, keyId: created.row.key_id };
  }

  it('accepts a stored key as a Bearer token or in x-api-key, with its id, name and role', async () => {
    const { key, keyId } = await storedKey('admin', 'ops');
    const auth = createAuthenticator(warehouse());
    const principal = { keyId, name: 'ops', role: 'admin' };
    expect(await auth.authenticate({ authorization: `Bearer ${key}` })).toEqual(principal);
    expect(await auth.authenticate({ authorization: `bearer  ${key}` })).toEqual(principal);
    expect(await auth.authenticate({ 'x-api-key': key })).toEqual(principal);
    expect(await auth.authenticate({ authorization: 'Basic dXNlcjpwdw==', 'x-api-key': key })).toEqual(
      principal,
    );
  });

  it('refuses no key, a wrong secret, an unknown id and a malformed key; a malformed key costs no query', async () => {
    const { key } = await storedKey();
    const other = createApiKey('reader', 'never stored').key;
    const { warehouse: counted, queries } = countingQueries(warehouse());
    const auth = createAuthenticator(counted);
    const wrongSecret = `${key.slice(0, 17)}${other.slice(17)}`;
    expect(await auth.authenticate({})).toBeUndefined();
    expect(await auth.authenticate({ authorization: key })).toBeUndefined();
    expect(
      await auth.authenticate({ authorization: 'Bearer not-a-key', 'x-api-key': 'cgn_123' }),
    ).toBeUndefined();
    expect(await auth.authenticate({ 'x-api-key': `${key}x` })).toBeUndefined();
    expect(await auth.authenticate({ 'x-api-key': [key, key] })).toBeUndefined();
    expect(queries()).toBe(0);
    expect(await auth.authenticate({ authorization: `Bearer ${wrongSecret}` })).toBeUndefined();
    expect(await auth.authenticate({ authorization: `Bearer ${other}` })).toBeUndefined();
    expect(queries()).toBe(2);
    expect(await auth.authenticate({ authorization: `Bearer ${key}` })).toBeDefined();
  });

  it('answers from its cache for ttlMs, then sees a revocation', async () => {
    const { key, keyId } = await storedKey();
    const { warehouse: counted, queries } = countingQueries(warehouse());
    let now = 1_000_000;
    const auth = createAuthenticator(counted, { ttlMs: 10_000, now: () => now });
    const headers = { authorization: `Bearer ${key}` };
    expect(await auth.authenticate(headers)).toMatchObject({ keyId });
    await revokeApiKey(warehouse(), keyId);
    for (const at of [1_000_000, 1_005_000, 1_009_999]) {
      now = at;
      expect(await auth.authenticate(headers), `at +${at - 1_000_000} ms`).toMatchObject({ keyId });
    }
    expect(queries()).toBe(1);
    now = 1_010_000;
    expect(await auth.authenticate(headers)).toBeUndefined();
    expect(await auth.authenticate({ 'x-api-key': key })).toBeUndefined();
    expect(queries()).toBe(2);
  });

  it('forget(keyId) and forget() make a revocation take effect at once', async () => {
    const first = await storedKey();
    const second = await storedKey();
    const auth = createAuthenticator(warehouse(), { now: () => 0 });
    expect(await auth.authenticate({ 'x-api-key': first.key })).toBeDefined();
    expect(await auth.authenticate({ 'x-api-key': second.key })).toBeDefined();
    await revokeApiKey(warehouse(), first.keyId);
    await revokeApiKey(warehouse(), second.keyId);
    auth.forget(first.keyId);
    expect(await auth.authenticate({ 'x-api-key': first.key })).toBeUndefined();
    expect(await auth.authenticate({ 'x-api-key': second.key })).toBeDefined();
    auth.forget();
    expect(await auth.authenticate({ 'x-api-key': second.key })).toBeUndefined();
  });

  it('caches an unknown key id too, until the ttl passes', async () => {
    const created = createApiKey('reader', 'late');
    const { warehouse: counted, queries } = countingQueries(warehouse());
    let now = 0;
    const auth = createAuthenticator(counted, { ttlMs: 5_000, now: () => now });
    const headers = { 'x-api-key': created.key };
    expect(await auth.authenticate(headers)).toBeUndefined();
    await insertApiKey(warehouse(), created.row);
    now = 4_999;
    expect(await auth.authenticate(headers)).toBeUndefined();
    expect(queries()).toBe(1);
    now = 5_000;
    expect(await auth.authenticate(headers)).toMatchObject({ keyId: created.row.key_id, name: 'late' });
    expect(queries()).toBe(2);
  });

  it('shares one query between concurrent requests with the same key id', async () => {
    const { key, keyId } = await storedKey();
    const other = await storedKey();
    const { warehouse: counted, queries } = countingQueries(warehouse());
    const auth = createAuthenticator(counted);
    const results = await Promise.all([
      ...Array.from({ length: 8 }, () => auth.authenticate({ 'x-api-key': key })),
      auth.authenticate({ 'x-api-key': `${key.slice(0, 17)}${other.key.slice(17)}` }),
      auth.authenticate({ 'x-api-key': other.key }),
    ]);
    expect(results.slice(0, 8).every((p) => p?.keyId === keyId)).toBe(true);
    expect(results[8]).toBeUndefined();
    expect(results[9]?.keyId).toBe(other.keyId);
    expect(queries()).toBe(2);
  });

  it('does not cache a lookup that was in flight when forget was called', async () => {
    const { key } = await storedKey();
    const { warehouse: counted, queries } = countingQueries(warehouse());
    const auth = createAuthenticator(counted, { now: () => 0 });
    const inFlight = auth.authenticate({ 'x-api-key': key });
    auth.forget();
    expect(await inFlight).toBeDefined();
    expect(await auth.authenticate({ 'x-api-key': key })).toBeDefined();
    expect(await auth.authenticate({ 'x-api-key': key })).toBeDefined();
    expect(queries()).toBe(2);
  });

  it('keeps at most maxEntries lookups', async () => {
    const keys = [await storedKey(), await storedKey(), await storedKey()];
    const { warehouse: counted, queries } = countingQueries(warehouse());
    const auth = createAuthenticator(counted, { maxEntries: 2, now: () => 0 });
    for (const { key } of keys) await auth.authenticate({ 'x-api-key': key });
    await auth.authenticate({ 'x-api-key': keys[2]!.key });
    expect(queries()).toBe(3);
    await auth.authenticate({ 'x-api-key': keys[0]!.key });
    expect(queries()).toBe(4);
  });
});
