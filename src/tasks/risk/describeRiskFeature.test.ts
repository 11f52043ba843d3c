import { describe, expect, it } from 'vitest';
import { describeRiskFeature, formatAmount } from './describeRiskFeature.js';

describe('describeRiskFeature', () => {
  it('says what the feature is, the address’s value against a typical one, and which way it pushes', () => {
    expect(describeRiskFeature('eth_in', 4.2, 0.05, 0.8412)).toBe(
      'ETH received in total: 4.2 ETH, against 0.05 ETH for a typical address; raises the risk (+0.84 log-odds)',
    );
    expect(describeRiskFeature('age', 3 * 86_400, 2 * 3_600, -1.5)).toBe(
      'time since its first activity: 3 days, against 2 hours for a typical address; lowers the risk (-1.50 log-odds)',
    );
    expect(describeRiskFeature('funding_depth', 32, 2, 0.3)).toMatch(
      /^funding hops .*: none reaches it, against 2 /,
    );
    expect(describeRiskFeature('tx_failed_share', 0.25, 0, 0.1)).toMatch(/: 25%, against 0% /);
    expect(describeRiskFeature('in_degree_native', 3, 1, 0.1)).toMatch(
      /^incoming native links .*: 3, against 1 /,
    );
    // A feature it has no words for is named as it is.
    expect(describeRiskFeature('fee_paid', 0.5, 1, 0.1)).toMatch(/^fee_paid: 0\.5, against 1 /);
  });

  it('formats amounts with about three significant digits', () => {
    expect([0, 0.000012345, 0.012345, 1.23456, 123.456, 12_345.6].map(formatAmount)).toEqual([
      '0',
      '1.23e-5',
      '0.0123',
      '1.23',
      '123',
      '12,346',
    ]);
  });
});
