import { keccak256, toEventSelector } from 'viem';
import { describe, expect, it } from 'vitest';
import { keccak256Hex, keccak256Text } from './keccak256.js';

describe('keccak256', () => {
  it('hashes hex bytes as viem does, the empty string included', () => {
    for (const hex of ['0x', '0x00', '0x6080604052', `0x${'ab'.repeat(1000)}`] as const) {
      expect(keccak256Hex(hex)).toBe(keccak256(hex));
    }
  });

  it('gives event signatures the topic0 viem computes', () => {
    for (const signature of ['Transfer(address,address,uint256)', 'Sync(uint112,uint112)', 'Ünïcode()']) {
      expect(keccak256Text(signature)).toBe(toEventSelector(signature));
    }
  });
});
