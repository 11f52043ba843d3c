import { describe, expect, it } from 'vitest';
import { createRng } from '../../utils/createRng.js';
import { computeLongFlatCurve } from './computeLongFlatCurve.js';
import { computeLongFlatMetrics, type LongFlatForecast } from './computeLongFlatMetrics.js';

const settings = { feePerTrade: 0.003, longThreshold: 0.006, windowSeconds: 3600 };

describe('computeLongFlatCurve', () => {
  it('pays the entry fee, earns while long and closes the last position', () => {
    const forecasts: LongFlatForecast[] = [
      { token: 'a', windowStart: 0, predictedReturn: 0.01, actualReturn: 0.05 },
      { token: 'a', windowStart: 3600, predictedReturn: 0.02, actualReturn: -0.01 },
      { token: 'a', windowStart: 7200, predictedReturn: -0.01, actualReturn: 0.3 },
    ];
    const curve = computeLongFlatCurve(forecasts, settings);
    expect(curve.map((p) => p.windowStart)).toEqual([0, 3600, 7200]);
    expect(curve[0]!.pnl).toBeCloseTo(0.05 - 0.003, 12);
    expect(curve[1]!.pnl).toBeCloseTo(-0.01, 12);
    expect(curve[2]!.pnl).toBeCloseTo(-0.003, 12); // the exit fee, nothing earned while flat
    expect(curve[2]!.cumulative).toBeCloseTo(0.05 - 0.003 - 0.01 - 0.003, 12);
  });

  it('ends at the P&L computeLongFlatMetrics reports, over many tokens in any order', () => {
    const rng = createRng(7);
    const forecasts: LongFlatForecast[] = [];
    for (const token of ['a', 'b', 'c']) {
      for (let w = 0; w < 50; w += 1) {
        if (rng.next() < 0.2) continue; // tokens with gaps
        forecasts.push({
          token,
          windowStart: w * 3600,
          predictedReturn: (rng.next() - 0.5) * 0.04,
          actualReturn: (rng.next() - 0.5) * 0.1,
        });
      }
    }
    forecasts.reverse();
    const curve = computeLongFlatCurve(forecasts, settings);
    expect(curve.at(-1)!.cumulative).toBeCloseTo(computeLongFlatMetrics(forecasts, settings).pnl, 10);
    expect(curve.map((p) => p.windowStart)).toEqual(
      [...curve.map((p) => p.windowStart)].sort((a, b) => a - b),
    );
  });
});
