import { keccak_256 } from '@noble/hashes/sha3';
import { describe, expect, it } from 'vitest';
import { createKeccak256Memory } from './createKeccak256Memory.js';
import { createRng } from './createRng.js';

describe('createKeccak256Memory', () => {
  const rng = createRng('keccak256Memory');
  const randomBytes = (length: number) => Uint8Array.from({ length }, () => rng.int(0, 255));
  const hashAt = (bytes: Uint8Array, at: number) => Buffer.from(bytes.subarray(at, at + 32)).toString('hex');
  const expected = (message: Uint8Array) => Buffer.from(keccak_256(message)).toString('hex');

  it('hashes 32- and 64-byte messages as keccak_256 does, wherever they sit', () => {
    const { bytes, hash32, hash64 } = createKeccak256Memory(4096);
    for (let trial = 0; trial < 200; trial += 1) {
      const [from, to] = [rng.int(0, 2000), rng.int(2100, 4000)];
      for (const [length, hash] of [
        [32, hash32],
        [64, hash64],
      ] as const) {
        const message = randomBytes(length);
        bytes.set(message, from);
        hash(from, to);
        expect(hashAt(bytes, to)).toBe(expected(message));
      }
    }
  });

  it('hashes all-zero and all-0xff messages', () => {
    const { bytes, hash64 } = createKeccak256Memory(1);
    for (const fill of [0, 0xff]) {
      bytes.fill(fill, 0, 64);
      hash64(0, 64);
      expect(hashAt(bytes, 64)).toBe(expected(new Uint8Array(64).fill(fill)));
    }
  });

  it('may write the hash over its own message', () => {
    const { bytes, hash32, hash64 } = createKeccak256Memory(128);
    const message = randomBytes(64);
    bytes.set(message);
    hash64(0, 0);
    hash32(0, 0);
    expect(hashAt(bytes, 0)).toBe(expected(keccak_256(message)));
  });

  it('gives each instance a memory of its own, of at least the bytes asked for', () => {
    const first = createKeccak256Memory(100_000);
    const second = createKeccak256Memory(1);
    expect(first.bytes.length).toBeGreaterThanOrEqual(100_000);
    first.bytes.fill(7, 0, 64);
    expect(second.bytes[0]).toBe(0);
  });

  it('refuses a memory larger than WebAssembly can address', () => {
    expect(() => createKeccak256Memory(2 ** 32 + 1)).toThrow(/at most 4 GiB/);
  });
});
