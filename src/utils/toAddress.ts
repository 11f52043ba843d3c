import { NonRetryableError } from '../internal/errors.js';

/** `text` as a lower-case address, or a NonRetryableError (ADDRESS_INVALID) naming it and the expected form. */
export function toAddress(text: string): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) {
    throw new NonRetryableError(`"${text}" is not an address`, {
      code: 'ADDRESS_INVALID',
      details: 'Expected 0x followed by 40 hex digits.',
    });
  }
  return text.toLowerCase();
}
