import { LRUCache } from 'lru-cache';
import { NonRetryableError } from '../../internal/errors.js';

/** Options for {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Requests per minute each key may make on average; also the burst a rested key may spend at once. */
  perMinute: number;
  /** The clock, in milliseconds (tests inject one). */
  now?: () => number;
  /** Most keys whose buckets are kept (a key whose bucket was dropped starts again with a full one). */
  maxKeys?: number;
}

/** The answer to one request. */
export interface RateLimitDecision {
  allowed: boolean;
  /** When refused, milliseconds until one request is allowed again; 0 when allowed. */
  retryAfterMs: number;
  /** Whole requests left in the bucket after this one. */
  remaining: number;
}

/** A per-key request budget. */
export interface RateLimiter {
  /** Spends one request of `keyId`'s budget if there is one. */
  take(keyId: string): RateLimitDecision;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key: it holds up to `perMinute` requests (one minute's worth of burst; at least one) and refills
 * continuously at `perMinute` per minute. Buckets live in an LRU of `maxKeys` (10,000 by default).
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { perMinute } = options;
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 10_000;
  if (!(Number.isFinite(perMinute) && perMinute > 0)) {
    throw new NonRetryableError(`Bad rate limit: ${perMinute} requests per minute`, {
      code: 'RATE_LIMIT_INVALID',
      details: 'Expected perMinute as a positive number.',
    });
  }
  if (!(Number.isSafeInteger(maxKeys) && maxKeys > 0)) {
    throw new NonRetryableError(`Bad rate limiter maxKeys: ${maxKeys}`, {
      code: 'RATE_LIMIT_INVALID',
      details: 'Expected maxKeys as a positive whole number.',
    });
  }
  // Tokens are counted in 1/60,000ths of a request: a whole number of them refill every millisecond (for a
  // whole perMinute), so no rounding creeps in however the requests fall.
  const cost = 60_000;
  // At least one request, or a rate below one a minute would never allow any.
  const capacity = Math.max(perMinute, 1) * cost;
  const buckets = new LRUCache<string, Bucket>({ max: maxKeys });
  return {
    take(keyId) {
      const at = now();
      const bucket = buckets.get(keyId) ?? { tokens: capacity, at };
      // A clock that steps back refills nothing, now or when it catches up again.
      const tokens = Math.min(capacity, bucket.tokens + Math.max(0, at - bucket.at) * perMinute);
      const refilledAt = Math.max(at, bucket.at);
      if (tokens >= cost) {
        buckets.set(keyId, { tokens: tokens - cost, at: refilledAt });
        return { allowed: true, retryAfterMs: 0, remaining: Math.floor((tokens - cost) / cost) };
      }
      buckets.set(keyId, { tokens, at: refilledAt });
      return { allowed: false, retryAfterMs: Math.ceil((cost - tokens) / perMinute), remaining: 0 };
    },
  };
}
