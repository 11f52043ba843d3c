/** MinHash signatures of sets of strings: `hashes` values per set, row-major. */
export interface MinHashSignatures {
  hashes: number;
  values: Uint32Array;
}

/** FNV-1a over the UTF-16 code units of `text`, finished with a murmur3 avalanche. */
function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix(h);
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
function mix(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * MinHash: for each of `hashes` seeded hash functions, the smallest hash over a set's members. Two sets agree in a
 * given position with probability equal to their Jaccard similarity. An empty set gets all 0xffffffff.
 */
export function computeMinHashSignatures(
  sets: readonly (readonly string[])[],
  hashes = 128,
  seed = 1,
): MinHashSignatures {
  const salts = Uint32Array.from({ length: hashes }, (_, k) => mix(seed * 0x9e3779b1 + k * 0x7f4a7c15));
  const values = new Uint32Array(sets.length * hashes).fill(0xffffffff);
  for (const [i, set] of sets.entries()) {
    const row = i * hashes;
    for (const member of set) {
      const base = hashString(member);
      for (let k = 0; k < hashes; k += 1) {
        const h = mix(base ^ salts[k]!);
        if (h < values[row + k]!) values[row + k] = h;
      }
    }
  }
  return { hashes, values };
}

/** The share of positions where the signatures of sets `a` and `b` agree: an estimate of their Jaccard similarity. */
export function estimateJaccard(signatures: MinHashSignatures, a: number, b: number): number {
  const { hashes, values } = signatures;
  let same = 0;
  for (let k = 0; k < hashes; k += 1) if (values[a * hashes + k] === values[b * hashes + k]) same += 1;
  return same / hashes;
}
