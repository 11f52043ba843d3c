import { describe, expect, it } from 'vitest';
import { countLabelledContracts, describeContractLabelRisk } from './countLabelledContracts.js';

describe('countLabelledContracts', () => {
  it('counts contracts, tokens and pools among the positives and the negatives, not accounts or unlabelled nodes', () => {
    // kinds: eoa 0, contract 1, token 2, pool 3
    const kind = Uint8Array.from([0, 1, 2, 3, 1, 0, 3, 2]);
    const targets = Int32Array.from([1, 1, 0, 0, -1, 0, 1, -1]);
    expect(countLabelledContracts(targets, kind)).toEqual({ positive: 2, negative: 2 });
  });

  it('warns only when contracts are labelled positive and none negative', () => {
    expect(describeContractLabelRisk({ positive: 4, negative: 0 })).toMatch(
      /^every labelled contract is positive \(4\) and none negative: .*category protocol/,
    );
    expect(describeContractLabelRisk({ positive: 4, negative: 26 })).toBeUndefined();
    expect(describeContractLabelRisk({ positive: 0, negative: 0 })).toBeUndefined();
  });
});
