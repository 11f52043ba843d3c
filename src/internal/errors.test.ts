import { describe, expect, it } from 'vitest';
import { BaseError, isRetryable, NonRetryableError, RetryableError } from './errors.js';

describe('errors', () => {
  it('keeps the short message, details, code and cause, and joins them into message', () => {
    const cause = new Error('socket hang up');
    const error = new RetryableError('RPC request failed', {
      details: 'eth_getLogs 0x1..0x2',
      code: 'RPC',
      cause,
    });
    expect(error.shortMessage).toBe('RPC request failed');
    expect(error.message).toBe('RPC request failed\n\neth_getLogs 0x1..0x2');
    expect(error.code).toBe('RPC');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(BaseError);
  });

  it('says which errors are worth retrying', () => {
    expect(isRetryable(new RetryableError('timeout'))).toBe(true);
    expect(isRetryable(new NonRetryableError('bad address'))).toBe(false);
    expect(isRetryable(new BaseError('invariant'))).toBe(false);
    expect(isRetryable(new Error('unknown'))).toBe(false);
  });
});
