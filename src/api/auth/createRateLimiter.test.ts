import { describe, expect, it } from 'vitest';
import { thrown } from '../../../test/setup/thrown.js';
import { createRateLimiter } from './createRateLimiter.js';

describe('createRateLimiter', () => {
  it('allows a burst of perMinute requests, then refuses with the wait until the next one', () => {
    let now = 0;
    const limiter = createRateLimiter({ perMinute: 60, now: () => now });
    for (let i = 0; i < 60; i += 1) {
      expect(limiter.take('k')).toEqual({ allowed: true, retryAfterMs: 0, remaining: 59 - i });
    }
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterMs: 1000, remaining: 0 });
    now = 400;
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterMs: 600, remaining: 0 });
    now = 999;
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterMs: 1, remaining: 0 });
    now = 1000;
    expect(limiter.take('k')).toEqual({ allowed: true, retryAfterMs: 0, remaining: 0 });
    expect(limiter.take('k').allowed).toBe(false);
  });

  it('refills continuously up to one minute of requests, never more', () => {
    let now = 0;
    const limiter = createRateLimiter({ perMinute: 120, now: () => now });
    for (let i = 0; i < 120; i += 1) limiter.take('k');
    now = 15_000;
    const refilled = Array.from({ length: 31 }, () => limiter.take('k').allowed);
    expect(refilled.filter(Boolean)).toHaveLength(30);
    now = 10 * 60_000;
    expect(limiter.take('k').remaining).toBe(119);
  });

  it('keeps one bucket per key', () => {
    const limiter = createRateLimiter({ perMinute: 2, now: () => 0 });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].map((d) => d.allowed)).toEqual([
      true,
      true,
      false,
    ]);
    expect(limiter.take('b')).toEqual({ allowed: true, retryAfterMs: 0, remaining: 1 });
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterMs: 30_000, remaining: 0 });
  });

  it('keeps at most maxKeys buckets: a dropped key starts again with a full one', () => {
    const limiter = createRateLimiter({ perMinute: 1, maxKeys: 2, now: () => 0 });
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    limiter.take('b');
    limiter.take('c');
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('does not refill when the clock steps back', () => {
    let now = 60_000;
    const limiter = createRateLimiter({ perMinute: 1, now: () => now });
    expect(limiter.take('k').allowed).toBe(true);
    now = 0;
    expect(limiter.take('k').allowed).toBe(false);
    now = 60_000;
    expect(limiter.take('k').allowed).toBe(false);
    now = 120_000;
    expect(limiter.take('k').allowed).toBe(true);
  });

  it('allows one request at a rate below one a minute, then waits for it to refill', () => {
    let now = 0;
    const limiter = createRateLimiter({ perMinute: 0.5, now: () => now });
    expect(limiter.take('k').allowed).toBe(true);
    expect(limiter.take('k')).toEqual({ allowed: false, retryAfterMs: 120_000, remaining: 0 });
    now = 120_000;
    expect(limiter.take('k').allowed).toBe(true);
  });

  it('refuses a rate that is not a positive number', () => {
    for (const perMinute of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(thrown(() => createRateLimiter({ perMinute })).code).toBe('RATE_LIMIT_INVALID');
    }
  });
});
