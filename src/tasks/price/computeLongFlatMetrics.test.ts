import { describe, expect, it } from 'vitest';
import { computeLongFlatMetrics, type LongFlatForecast } from './computeLongFlatMetrics.js';

const hour = 3600;
const forecast = (
  token: string,
  w: number,
  predictedReturn: number,
  actualReturn: number,
): LongFlatForecast => ({
  token,
  windowStart: w * hour,
  predictedReturn,
  actualReturn,
});

describe('computeLongFlatMetrics', () => {
  it('charges each entry and exit, closes open positions and annualises the equal-weight window returns', () => {
    const settings = { feePerTrade: 0.001, longThreshold: 0.002, windowSeconds: hour };
    const metrics = computeLongFlatMetrics(
      [
        // a: long, long, flat, long → entry at 0, exit at 2, entry at 3 and the closing exit at 3.
        forecast('a', 3, 0.02, 0.04),
        forecast('a', 0, 0.02, 0.01),
        forecast('a', 1, 0.03, -0.02),
        forecast('a', 2, -0.01, 0.05),
        // b: long (entry), then flat (exit); 0.001 is under the threshold.
        forecast('b', 1, 0.01, 0.03),
        forecast('b', 2, 0.001, 0.1),
      ],
      settings,
    );
    // a earns 0.01 − 0.001, −0.02, −0.001, 0.04 − 0.002; b earns 0.03 − 0.001, −0.001.
    expect(metrics.pnl).toBeCloseTo(0.009 - 0.02 - 0.001 + 0.038 + 0.029 - 0.001, 12);
    expect(metrics.trades).toBe(6);
    expect(metrics.exposure).toBeCloseTo(4 / 6, 12);
    const portfolio = [0.009, (-0.02 + 0.029) / 2, (-0.001 - 0.001) / 2, 0.038];
    const mean = portfolio.reduce((sum, r) => sum + r, 0) / 4;
    const std = Math.sqrt(portfolio.reduce((sum, r) => sum + (r - mean) ** 2, 0) / 3);
    expect(metrics.sharpe).toBeCloseTo((mean / std) * Math.sqrt(365.25 * 24), 9);
  });

  it('reports zero Sharpe, P&L and trades when the rule never goes long', () => {
    const metrics = computeLongFlatMetrics([forecast('a', 0, 0, 0.1), forecast('a', 1, 0.001, -0.1)], {
      feePerTrade: 0.003,
      longThreshold: 0.006,
      windowSeconds: hour,
    });
    expect(metrics).toEqual({ pnl: 0, sharpe: 0, trades: 0, exposure: 0 });
  });
});
