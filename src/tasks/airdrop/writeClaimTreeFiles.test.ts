import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomClaimEntries } from '../../../test/setup/randomClaimEntries.js';
import { buildClaimTree, type ClaimEntry, type ClaimTree, claimLeafEncoding } from './buildClaimTree.js';
import { claimTreeFileNames, writeClaimTreeFiles } from './writeClaimTreeFiles.js';

const toOzValue = ({ address, amount }: ClaimEntry) => [address, amount.toString()];

describe('writeClaimTreeFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'claim-tree-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const read = (name: string) => readFileSync(join(dir, name), 'utf8');

  it.each([1, 2, 7, 1000])('writes the very dump StandardMerkleTree gives, for %i entries', (count) => {
    const entries = randomClaimEntries(count, `dump/${count}`);
    writeClaimTreeFiles(buildClaimTree(entries), dir);
    const oz = StandardMerkleTree.of(entries.map(toOzValue), [...claimLeafEncoding]);
    expect(read(claimTreeFileNames.merkleTree)).toBe(JSON.stringify(oz.dump()));
  });

  it('writes a dump StandardMerkleTree.load reads back, with the same root, and proofs for every entry', () => {
    const entries = randomClaimEntries(300, 'load');
    const tree = buildClaimTree(entries);
    writeClaimTreeFiles(tree, dir);
    const loaded = StandardMerkleTree.load(JSON.parse(read(claimTreeFileNames.merkleTree)));
    expect(loaded.root).toBe(tree.root);
    entries.forEach((entry, index) => {
      expect(loaded.getProof(index)).toEqual(tree.getProof(index));
      expect(loaded.verify(toOzValue(entry), tree.getProof(index))).toBe(true);
    });
  });

  it('writes claims.json: the root, the encoding, and each address with its amount and proof', () => {
    const entries = randomClaimEntries(300, 'claims');
    const tree = buildClaimTree(entries);
    writeClaimTreeFiles(tree, dir);
    const claims = JSON.parse(read(claimTreeFileNames.claims));
    expect(claims.root).toBe(tree.root);
    expect(claims.leafEncoding).toEqual(claimLeafEncoding);
    expect(Object.keys(claims.claims).sort()).toEqual(entries.map((entry) => entry.address).sort());
    entries.forEach(({ address, amount }, index) => {
      expect(claims.claims[address]).toEqual({ amount: amount.toString(), proof: tree.getProof(index) });
    });
    // What a claim front-end does with the file alone.
    for (const [address, { amount, proof }] of Object.entries<{ amount: string; proof: string[] }>(
      claims.claims,
    )) {
      expect(StandardMerkleTree.verify(claims.root, claims.leafEncoding, [address, amount], proof)).toBe(
        true,
      );
    }
  });

  it('returns each file with its size and SHA-256, and leaves no temporary file behind', () => {
    const written = writeClaimTreeFiles(buildClaimTree(randomClaimEntries(50, 'returned')), dir);
    for (const file of [written.merkleTree, written.claims]) {
      const content = readFileSync(file.path);
      expect(file.bytes).toBe(content.length);
      expect(file.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    }
    expect(readdirSync(dir).sort()).toEqual([claimTreeFileNames.claims, claimTreeFileNames.merkleTree]);
  });

  it('streams in chunks: files of several chunks (4 MiB each) come out whole', () => {
    const entries = randomClaimEntries(40_000, 'chunks');
    const tree = buildClaimTree(entries);
    const written = writeClaimTreeFiles(tree, dir);
    expect(written.merkleTree.bytes).toBeGreaterThan(8 << 20);
    // Compared as JSON text: deep equality of 40,000 entries takes vitest seconds.
    const dump = JSON.parse(read(claimTreeFileNames.merkleTree));
    const nodeHex = (node: number) =>
      `0x${Buffer.from(tree.nodes.subarray(32 * node, 32 * node + 32)).toString('hex')}`;
    const nodes = Array.from({ length: 2 * entries.length - 1 }, (_, node) => nodeHex(node));
    expect(JSON.stringify(dump.tree)).toBe(JSON.stringify(nodes));
    expect(JSON.stringify(dump.values)).toBe(
      JSON.stringify(
        entries.map((entry, index) => ({ value: toOzValue(entry), treeIndex: tree.treeIndexes[index] })),
      ),
    );
    const { claims } = JSON.parse(read(claimTreeFileNames.claims));
    const wrongClaims = entries.filter(
      ({ address, amount }, index) =>
        JSON.stringify(claims[address]) !==
        JSON.stringify({ amount: `${amount}`, proof: tree.getProof(index) }),
    );
    expect(wrongClaims).toEqual([]);
  });

  it('writes neither file when writing the second one fails', () => {
    const tree = buildClaimTree(randomClaimEntries(10, 'failure'));
    const failing: ClaimTree = {
      ...tree,
      getProofNodes: () => {
        throw new Error('disk on fire');
      },
    };
    expect(() => writeClaimTreeFiles(failing, dir)).toThrow('disk on fire');
    expect(readdirSync(dir)).toEqual([]);
  });
});
