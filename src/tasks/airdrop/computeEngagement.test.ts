import { describe, expect, it } from 'vitest';
import type { AirdropActivity } from '../../warehouse/getAirdropActivity.js';
import { computeCoTiming } from './computeCoTiming.js';
import { computeEngagement } from './computeEngagement.js';

const day = 86_400;

function activity(
  address: string,
  distinctContracts: number,
  times: number[],
  values: number[],
): AirdropActivity {
  return {
    address,
    actions: times.length,
    activeDays: 1,
    distinctContracts,
    blocks: times.map((_, i) => i),
    times,
    targets: times.map(() => '0x'),
    methods: times.map(() => '0x12345678'),
    values,
  };
}

describe('computeEngagement', () => {
  it('ranks an old, diverse, irregular, high-value wallet above a fresh scripted one', () => {
    const now = 100 * day;
    const veteran = activity(
      '0xa',
      6,
      [now - 90 * day, now - 60 * day, now - 59 * day, now - 2 * day],
      [1, 2, 0, 5],
    );
    const script = activity(
      '0xb',
      2,
      [now - day, now - day + 60, now - day + 120, now - day + 180],
      [0.01, 0, 0, 0],
    );
    const middle = activity('0xc', 4, [now - 30 * day, now - 20 * day, now - 5 * day], [0.5, 0.5, 0]);
    const [a, b, c] = computeEngagement([veteran, script, middle], now);
    expect(a!.score).toBe(1);
    expect(b!.score).toBe(0);
    expect(c!.score).toBeGreaterThan(0);
    expect(c!.score).toBeLessThan(1);
    expect(a).toMatchObject({ diversity: 6, longevityDays: 90, valueEth: 8 });
    expect(b!.organicTiming).toBe(0);
    expect(a!.organicTiming).toBeGreaterThan(0.5);
  });

  it('gives tied values the same rank', () => {
    const now = 10 * day;
    const rows = [1, 2].map((i) => activity(`0x${i}`, 3, [now - day, now - day / 2, now], [1, 1, 1]));
    const [x, y] = computeEngagement(rows, now);
    expect(x!.score).toBe(y!.score);
  });
});

describe('computeCoTiming', () => {
  it('is 1 for wallets acting in the same blocks, about 0 for strangers, and symmetric', () => {
    expect(computeCoTiming([10, 20, 30], [11, 21, 29])).toBe(1);
    expect(computeCoTiming([10, 20, 30], [100, 200])).toBe(0);
    expect(computeCoTiming([10, 20, 30, 40], [10, 500])).toBeCloseTo((1 / 4 + 1 / 2) / 2);
    expect(computeCoTiming([10, 500], [10, 20, 30, 40])).toBe(computeCoTiming([10, 20, 30, 40], [10, 500]));
    expect(computeCoTiming([], [1])).toBe(0);
  });
});
