import { timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { NonRetryableError } from '../../internal/errors.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { getApiKey } from '../../warehouse/getApiKey.js';
import type { ApiKeyRow } from '../../warehouse/insertApiKey.js';
import { isApiKeyRole } from './apiKeyRoles.js';
import { hashApiKeySecret } from './hashApiKeySecret.js';
import type { Principal } from './Principal.js';
import { parseApiKey } from './parseApiKey.js';

/** The request headers an API key may come in (Node's `IncomingHttpHeaders` fits). */
export interface AuthHeaders {
  /** `Bearer <key>`. */
  authorization?: string | readonly string[] | undefined;
  /** `<key>`. */
  'x-api-key'?: string | readonly string[] | undefined;
}

/** Options for {@link createAuthenticator}. */
export interface AuthenticatorOptions {
  /** How long a key's lookup (found or not, revoked or not) is reused before the warehouse is asked again. */
  ttlMs?: number;
  /** The clock, in milliseconds (tests inject one). */
  now?: () => number;
  /** Most key ids whose lookups are kept (least recently used ones go first). */
  maxEntries?: number;
}

/** Checks the API keys of requests against `api_keys`. */
export interface Authenticator {
  /**
   * The caller of a request with `Authorization: Bearer <key>` (preferred when both are sent) or
   * `x-api-key: <key>`; undefined for a missing, malformed, unknown, wrong or revoked key.
   */
  authenticate(headers: AuthHeaders): Promise<Principal | undefined>;
  /** Drops the cached lookup of `keyId` (of every key when omitted): its next use asks the warehouse. */
  forget(keyId?: string): void;
}

/** What a lookup found: a usable key, or null for a key id that is unknown, revoked or unusable. */
interface CachedKey {
  key: { hash: Buffer; principal: Principal } | null;
  expiresAt: number;
}

/**
 * Creates an {@link Authenticator}. Each key id's lookup is cached for `ttlMs` (10 s by default; unknown ids
 * and revoked keys too), so requests with a known key do no query and a revocation takes effect within `ttlMs`
 * (at once after `forget`). Concurrent requests with the same key id share one query. A malformed key is
 * refused without a query. Secrets are compared by their SHA-256 in constant time.
 */
export function createAuthenticator(warehouse: Warehouse, options: AuthenticatorOptions = {}): Authenticator {
  const ttlMs = options.ttlMs ?? 10_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  if (!(Number.isFinite(ttlMs) && ttlMs >= 0)) {
    throw new NonRetryableError(`Bad API key cache ttlMs: ${ttlMs}`, {
      code: 'AUTH_OPTIONS_INVALID',
      details: 'Expected ttlMs as a number of milliseconds, 0 or more.',
    });
  }
  if (!(Number.isSafeInteger(maxEntries) && maxEntries > 0)) {
    throw new NonRetryableError(`Bad API key cache maxEntries: ${maxEntries}`, {
      code: 'AUTH_OPTIONS_INVALID',
      details: 'Expected maxEntries as a positive whole number.',
    });
  }
  const cache = new LRUCache<string, CachedKey>({ max: maxEntries });
  const pending = new Map<string, Promise<CachedKey>>();
  // A lookup that was in flight when `forget` was called must not cache what it read before.
  let generation = 0;

  const lookup = (keyId: string): Promise<CachedKey> => {
    const cached = cache.get(keyId);
    if (cached && cached.expiresAt > now()) return Promise.resolve(cached);
    const shared = pending.get(keyId);
    if (shared) return shared;
    const startedAt = now();
    const startedGeneration = generation;
    const query = getApiKey(warehouse, keyId)
      .then((row) => {
        const entry: CachedKey = { key: toUsableKey(row), expiresAt: startedAt + ttlMs };
        if (generation === startedGeneration) cache.set(keyId, entry);
        return entry;
      })
      .finally(() => {
        if (pending.get(keyId) === query) pending.delete(keyId);
      });
    pending.set(keyId, query);
    return query;
  };

  return {
    async authenticate(headers) {
      const text = presentedKey(headers);
      const parsed = text === undefined ? undefined : parseApiKey(text);
      if (!parsed) return undefined;
      const { key } = await lookup(parsed.keyId);
      if (!key) return undefined;
      const presented = Buffer.from(hashApiKeySecret(parsed.secret), 'hex');
      return timingSafeEqual(presented, key.hash) ? key.principal : undefined;
    },
    forget(keyId) {
      generation += 1;
      if (keyId === undefined) {
        cache.clear();
        pending.clear();
      } else {
        cache.delete(keyId);
        pending.delete(keyId);
      }
    },
  };
}

/** The key a request carries: the Bearer token, else the `x-api-key` header; undefined if neither (or repeated). */
function presentedKey(headers: AuthHeaders): string | undefined {
  const authorization = single(headers.authorization);
  const bearer = authorization === undefined ? undefined : /^Bearer +(\S+) *$/i.exec(authorization)?.[1];
  return bearer ?? single(headers['x-api-key'])?.trim();
}

function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The key as the authenticator keeps it; null when revoked or not usable (unknown role, malformed hash). */
function toUsableKey(row: ApiKeyRow | undefined): CachedKey['key'] {
  if (!row || row.is_revoked === 1 || !isApiKeyRole(row.role) || !/^[0-9a-f]{64}$/.test(row.key_hash)) {
    return null;
  }
  return {
    hash: Buffer.from(row.key_hash, 'hex'),
    principal: { keyId: row.key_id, name: row.name, role: row.role },
  };
}
