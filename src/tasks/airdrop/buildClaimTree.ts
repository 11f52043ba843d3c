import { NonRetryableError } from '../../internal/errors.js';
import { createKeccak256Memory, type Keccak256Memory } from '../../utils/createKeccak256Memory.js';

/** One airdrop recipient: a lower-case `0x` address and an amount in token base units (a uint256). */
export interface ClaimEntry {
  readonly address: string;
  readonly amount: bigint;
}

/** The leaf encoding of a claim, as OpenZeppelin's StandardMerkleTree and the claim contract take it. */
export const claimLeafEncoding = ['address', 'uint256'] as const;

/**
 * The Merkle tree OpenZeppelin's `StandardMerkleTree.of(entries.map((e) => [e.address, `${e.amount}`]),
 * ['address', 'uint256'])` builds, held in typed arrays instead of one hex string per node.
 */
export interface ClaimTree {
  /** The entries, as given (not copied). */
  readonly entries: readonly ClaimEntry[];
  /** The root, as lower-case `0x` hex. */
  readonly root: `0x${string}`;
  /** OZ's `tree`: 2n − 1 nodes of 32 bytes, node k at bytes [32k, 32k + 32); the leaves last, in reverse hash order. */
  readonly nodes: Uint8Array;
  /** OZ's `values[i].treeIndex`: where entry i's leaf sits in `nodes`. */
  readonly treeIndexes: Uint32Array;
  /** The proof of entry `index`, as OZ's `getProof(index)` gives it. */
  getProof(index: number): `0x${string}`[];
  /** The node indexes of that proof, for writers that encode the nodes themselves. */
  getProofNodes(index: number): number[];
}

const nodeBytes = 32;
const addressPattern = /^0x[0-9a-f]{40}$/;
const maxUint256 = (1n << 256n) - 1n;

/** Builds the claim tree of `entries`, refusing malformed or repeated addresses, out-of-range amounts and none. */
export function buildClaimTree(entries: readonly ClaimEntry[]): ClaimTree {
  checkEntries(entries);
  const leafCount = entries.length;
  const nodeCount = 2 * leafCount - 1;
  // The hashes' memory holds the tree's nodes, then the leaf hashes in entry order, then 64 bytes of scratch.
  const leafHashesAt = nodeCount * nodeBytes;
  const scratchAt = leafHashesAt + leafCount * nodeBytes;
  const keccak = createKeccak256Memory(scratchAt + 2 * nodeBytes);
  const { bytes } = keccak;
  hashLeaves(entries, keccak, leafHashesAt, scratchAt);
  const treeIndexes = new Uint32Array(leafCount);
  sortByHash(bytes, leafHashesAt, leafCount).forEach((entryIndex, rank) => {
    const treeIndex = nodeCount - 1 - rank;
    treeIndexes[entryIndex] = treeIndex;
    const leafHash = leafHashesAt + entryIndex * nodeBytes;
    bytes.copyWithin(treeIndex * nodeBytes, leafHash, leafHash + nodeBytes);
  });
  hashInnerNodes(keccak, leafCount, scratchAt);
  return toClaimTree(entries, bytes.slice(0, leafHashesAt), treeIndexes); // a copy: the memory can go
}

/** Throws on the first entry the claim contract could not pay out, naming its index and value. */
function checkEntries(entries: readonly ClaimEntry[]): void {
  if (entries.length === 0) {
    throw new NonRetryableError('No claim entries: a claim tree needs at least one', {
      code: 'CLAIM_ENTRIES_EMPTY',
      details: 'Expected a non-empty list of { address, amount }.',
    });
  }
  const seen = new Set<string>();
  entries.forEach(({ address, amount }, index) => {
    if (typeof address !== 'string' || !addressPattern.test(address)) {
      throw invalidEntry(index, `a malformed address ${JSON.stringify(address)}`, {
        expected: 'a lower-case address: 0x followed by 40 hex digits (0-9, a-f).',
      });
    }
    if (typeof amount !== 'bigint' || amount < 0n || amount > maxUint256) {
      const shown = typeof amount === 'bigint' ? `${amount}` : `${String(amount)} (a ${typeof amount})`;
      throw invalidEntry(index, `an amount out of range: ${shown}`, {
        expected: 'a bigint from 0 to 2^256 - 1 (a uint256 in token base units).',
      });
    }
    if (seen.has(address)) {
      const first = entries.findIndex((entry) => entry.address === address);
      throw invalidEntry(index, `a duplicate address ${address}, already at entry ${first}`, {
        expected:
          'each address once: the claim contract is keyed by address, so a second leaf could never be claimed. Sum the amounts into one entry.',
        code: 'CLAIM_ADDRESS_DUPLICATE',
      });
    }
    seen.add(address);
  });
}

/** The error for entry `index`: `Claim entry <index> has <problem>`, then what was expected. */
function invalidEntry(
  index: number,
  problem: string,
  { expected, code = 'CLAIM_ENTRY_INVALID' }: { expected: string; code?: string },
): NonRetryableError {
  return new NonRetryableError(`Claim entry ${index} has ${problem}`, {
    code,
    details: `Expected ${expected}`,
  });
}

/** Writes keccak256(keccak256(abi.encode(address, uint256))) of each entry at `leafHashesAt`, in entry order. */
function hashLeaves(
  entries: readonly ClaimEntry[],
  { bytes, hash32, hash64 }: Keccak256Memory,
  leafHashesAt: number,
  scratchAt: number,
): void {
  // 64 bytes: 12 zero bytes, the 20-byte address, the 32-byte big-endian amount.
  const encoded = Buffer.from(bytes.buffer, bytes.byteOffset + scratchAt, 2 * nodeBytes).fill(0);
  const amountWords = new DataView(bytes.buffer, bytes.byteOffset + scratchAt + nodeBytes, nodeBytes);
  entries.forEach(({ address, amount }, index) => {
    encoded.write(address.slice(2), 12, 'hex');
    for (let word = 3, rest = amount; word >= 0; word -= 1, rest >>= 64n) {
      amountWords.setBigUint64(word * 8, BigInt.asUintN(64, rest));
    }
    const leafHash = leafHashesAt + index * nodeBytes;
    hash64(scratchAt, leafHash);
    hash32(leafHash, leafHash);
  });
}

/**
 * Indexes 0…count − 1 ordered by the 32-byte hashes at `hashesAt` in `bytes`, ascending (OZ's leaf order): a
 * counting sort on the first two bytes, then a sort of each bucket, a handful of leaves (4× faster than one
 * comparison sort of them all).
 */
function sortByHash(bytes: Uint8Array, hashesAt: number, count: number): Uint32Array {
  const bucketCount = 1 << 16;
  const offsetOf = (index: number) => hashesAt + index * nodeBytes;
  const bucketOf = (index: number) => (bytes[offsetOf(index)]! << 8) | bytes[offsetOf(index) + 1]!;
  const starts = new Uint32Array(bucketCount + 1);
  for (let index = 0; index < count; index += 1) starts[bucketOf(index) + 1]! += 1;
  for (let bucket = 1; bucket <= bucketCount; bucket += 1) starts[bucket]! += starts[bucket - 1]!;
  const order = new Uint32Array(count);
  const next = starts.slice(0, bucketCount);
  for (let index = 0; index < count; index += 1) order[next[bucketOf(index)]!++] = index;
  for (let bucket = 0; bucket < bucketCount; bucket += 1) {
    const [start, end] = [starts[bucket]!, starts[bucket + 1]!];
    if (end - start > 1) {
      order.subarray(start, end).sort((a, b) => compareNodes(bytes, offsetOf(a), offsetOf(b)));
    }
  }
  return order;
}

/** Fills the inner nodes bottom-up: each is the hash of its two children in ascending order (OZ's node hash). */
function hashInnerNodes({ bytes, hash64 }: Keccak256Memory, leafCount: number, scratchAt: number): void {
  for (let parent = leafCount - 2; parent >= 0; parent -= 1) {
    const left = (2 * parent + 1) * nodeBytes; // the right child follows it: 64 bytes, left ‖ right
    const right = left + nodeBytes;
    if (compareNodes(bytes, left, right) <= 0) {
      hash64(left, parent * nodeBytes);
    } else {
      bytes.copyWithin(scratchAt, right, right + nodeBytes);
      bytes.copyWithin(scratchAt + nodeBytes, left, left + nodeBytes);
      hash64(scratchAt, parent * nodeBytes);
    }
  }
}

/** Compares the 32-byte nodes at byte offsets `a` and `b` of `bytes` as big-endian numbers. */
function compareNodes(bytes: Uint8Array, a: number, b: number): number {
  for (let i = 0; i < nodeBytes; i += 1) {
    const difference = bytes[a + i]! - bytes[b + i]!;
    if (difference !== 0) return difference;
  }
  return 0;
}

/** The tree's accessors over its nodes. */
function toClaimTree(entries: readonly ClaimEntry[], nodes: Uint8Array, treeIndexes: Uint32Array): ClaimTree {
  const toHex = (node: number): `0x${string}` =>
    `0x${Buffer.from(nodes.buffer, nodes.byteOffset + node * nodeBytes, nodeBytes).toString('hex')}`;
  const getProofNodes = (index: number) => {
    const treeIndex = treeIndexes[index];
    if (treeIndex === undefined) {
      throw new NonRetryableError(`No claim entry ${index}`, {
        code: 'CLAIM_INDEX_INVALID',
        details: `Expected an integer from 0 to ${entries.length - 1}.`,
      });
    }
    const proof: number[] = [];
    for (let node = treeIndex; node > 0; node = (node - 1) >> 1) {
      proof.push(node % 2 === 1 ? node + 1 : node - 1); // the sibling: left children have odd indexes
    }
    return proof;
  };
  return {
    entries,
    root: toHex(0),
    nodes,
    treeIndexes,
    getProof: (index) => getProofNodes(index).map(toHex),
    getProofNodes,
  };
}
