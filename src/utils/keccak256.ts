import { keccak_256 } from '@noble/hashes/sha3';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils';

// The indexer's own keccak (viem's whole module graph costs ~1 s of start-up for two hashes).

/** keccak-256 of the bytes a `0x` hex string holds, as lower-case `0x` hex (viem's `keccak256` of hex). */
export function keccak256Hex(hex: string): `0x${string}` {
  return `0x${bytesToHex(keccak_256(hexToBytes(hex.slice(2))))}`;
}

/** keccak-256 of a UTF-8 text, as `0x` hex: of an event signature, its topic0 (viem's `toEventSelector`). */
export function keccak256Text(text: string): `0x${string}` {
  return `0x${bytesToHex(keccak_256(utf8ToBytes(text)))}`;
}
