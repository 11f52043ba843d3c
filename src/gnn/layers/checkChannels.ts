import { NonRetryableError } from '../../internal/errors.js';

/** Throws a NonRetryableError naming the layer and the field unless every channel count is a positive integer. */
export function checkChannels(layer: string, channels: Readonly<Record<string, number>>): void {
  for (const [name, count] of Object.entries(channels)) {
    if (!Number.isInteger(count) || count < 1) {
      throw new NonRetryableError(`${layer}: ${name} must be a positive integer, got ${count}`, {
        code: 'GNN_CONFIG_INVALID',
      });
    }
  }
}
