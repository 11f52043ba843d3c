import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { describe, expect, it } from 'vitest';
import { maxUint256, randomClaimEntries } from '../../../test/setup/randomClaimEntries.js';
import { NonRetryableError } from '../../internal/errors.js';
import { buildClaimTree, type ClaimEntry, claimLeafEncoding } from './buildClaimTree.js';

const leafEncoding = [...claimLeafEncoding];
const toOzValue = ({ address, amount }: ClaimEntry) => [address, amount.toString()];

describe('buildClaimTree', () => {
  it.each([1, 2, 3, 7, 100, 1000])(
    'builds the tree StandardMerkleTree.of builds, for %i entries',
    (count) => {
      const entries = randomClaimEntries(count, `build/${count}`);
      const ours = buildClaimTree(entries);
      const oz = StandardMerkleTree.of(entries.map(toOzValue), leafEncoding);

      expect(ours.root).toBe(oz.root);
      expect(Array.from(ours.treeIndexes)).toEqual(oz.dump().values.map((value) => value.treeIndex));
      expect(entries.map((_, index) => ours.getProof(index))).toEqual(
        entries.map((_, index) => oz.getProof(index)),
      );
    },
  );

  it('gives proofs that StandardMerkleTree.verify accepts, and that reject a tampered amount', () => {
    const entries = randomClaimEntries(100, 'verify');
    const tree = buildClaimTree(entries);
    entries.forEach((entry, index) => {
      const proof = tree.getProof(index);
      expect(StandardMerkleTree.verify(tree.root, leafEncoding, toOzValue(entry), proof)).toBe(true);
      const tampered = { ...entry, amount: entry.amount === maxUint256 ? 0n : entry.amount + 1n };
      expect(StandardMerkleTree.verify(tree.root, leafEncoding, toOzValue(tampered), proof)).toBe(false);
    });
  });

  it('proves a lone entry with an empty proof: its leaf is the root', () => {
    const tree = buildClaimTree(randomClaimEntries(1, 'lone'));
    expect(tree.getProof(0)).toEqual([]);
    expect(tree.nodes.length).toBe(32);
  });

  it('refuses an index with no entry', () => {
    const tree = buildClaimTree(randomClaimEntries(3, 'index'));
    for (const index of [-1, 3, 1.5]) {
      expect(() => tree.getProof(index)).toThrow(`No claim entry ${index}`);
    }
  });
});

describe('buildClaimTree refuses entries the claim contract could not pay', () => {
  const valid = randomClaimEntries(3, 'refusals');
  /** The error building a tree of the valid entries with entry 1 replaced by `entry` throws. */
  const refusalOf = (entry: Partial<ClaimEntry>) => {
    const entries = valid.map((valid, index) => (index === 1 ? { ...valid, ...entry } : valid));
    try {
      buildClaimTree(entries as ClaimEntry[]);
    } catch (error) {
      expect(error).toBeInstanceOf(NonRetryableError);
      return error as NonRetryableError;
    }
    throw new Error('buildClaimTree accepted the entries');
  };

  it.each([
    ['upper-case hex (a checksummed address)', '0xAbCdEf0123456789abcdef0123456789ABCDEF01'],
    ['39 hex digits', `0x${'1'.repeat(39)}`],
    ['no 0x prefix', '1'.repeat(42)],
    ['a non-hex digit', `0x${'g'.repeat(40)}`],
    ['surrounding space', ` 0x${'1'.repeat(40)}`],
  ])('a malformed address: %s', (_, address) => {
    const error = refusalOf({ address });
    expect(error.code).toBe('CLAIM_ENTRY_INVALID');
    expect(error.message).toContain(`Claim entry 1 has a malformed address "${address}"`);
    expect(error.message).toContain('0x followed by 40 hex digits');
  });

  it('a duplicate address, naming both entries', () => {
    const error = refusalOf({ address: valid[0]!.address });
    expect(error.code).toBe('CLAIM_ADDRESS_DUPLICATE');
    expect(error.message).toContain(
      `Claim entry 1 has a duplicate address ${valid[0]!.address}, already at entry 0`,
    );
    expect(error.message).toContain('keyed by address');
  });

  it.each([
    ['negative', -1n, '-1'],
    ['2^256', maxUint256 + 1n, `${maxUint256 + 1n}`],
  ])('an amount out of range: %s', (_, amount, shown) => {
    const error = refusalOf({ amount });
    expect(error.code).toBe('CLAIM_ENTRY_INVALID');
    expect(error.message).toContain(`Claim entry 1 has an amount out of range: ${shown}`);
    expect(error.message).toContain('from 0 to 2^256 - 1');
  });

  it('an amount that is not a bigint', () => {
    const error = refusalOf({ amount: 5 as unknown as bigint });
    expect(error.message).toContain('Claim entry 1 has an amount out of range: 5 (a number)');
  });

  it('an empty list', () => {
    expect(() => buildClaimTree([])).toThrow(/No claim entries/);
  });
});
