import { describe, expect, it } from 'vitest';
import { NonRetryableError } from '../../internal/errors.js';
import { suggestedSpan } from './createLogFetcher.js';
import { isRangeLimitError, RpcError } from './createRpcClient.js';

const getLogs = { method: 'eth_getLogs', params: [] };

describe('eth_getLogs range limits as providers word them', () => {
  it.each([
    ['query returned more than 10000 results. Try with this block range [0x10, 0x2f].', 32],
    [
      'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [0x1312d00, 0x1313a4f]',
      3408,
    ],
    ['exceed maximum block range: 50000', 50_000],
    ['eth_getLogs is limited to a 10,000 range', 10_000],
    ['block range is too wide', undefined],
    ['block range too large', undefined],
  ])('%s → span %s', (message, span) => {
    expect(isRangeLimitError(new RpcError(getLogs, -32005, message))).toBe(true);
    expect(suggestedSpan(message)).toBe(span);
  });

  it('leaves other errors alone: rate limits, other methods, other failures', () => {
    expect(isRangeLimitError(new RpcError(getLogs, -32005, 'rate limit exceeded'))).toBe(false);
    expect(isRangeLimitError(new RpcError({ method: 'eth_call', params: [] }, 3, 'index out of range'))).toBe(
      false,
    );
    expect(isRangeLimitError(new NonRetryableError('x', { code: 'RPC_RESPONSE_TOO_LARGE' }))).toBe(true);
    expect(isRangeLimitError(new NonRetryableError('x', { code: 'RPC_HTTP' }))).toBe(false);
  });
});
