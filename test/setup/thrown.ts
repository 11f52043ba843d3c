import { expect } from 'vitest';
import { NonRetryableError } from '../../src/internal/errors.js';

/** The NonRetryableError `fn` throws (the test fails if it throws something else or nothing). */
export function thrown(fn: () => unknown): NonRetryableError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(NonRetryableError);
    return error as NonRetryableError;
  }
  throw new Error('expected an error');
}
