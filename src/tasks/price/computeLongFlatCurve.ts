import {
  forEachLongFlatWindow,
  type LongFlatForecast,
  type LongFlatSettings,
} from './computeLongFlatMetrics.js';

/** The long/flat rule's P&L in one window, and summed up to it. */
export interface LongFlatCurvePoint {
  windowStart: number;
  /** Log returns earned in this window over all tokens (one unit of capital each), minus fees. */
  pnl: number;
  /** `pnl` summed over this window and every earlier one. */
  cumulative: number;
}

/**
 * The long/flat rule of {@link computeLongFlatMetrics} window by window, for plotting: each token traded on its
 * forecasts in time order from flat, long over the next window when the forecast is above `longThreshold`, a fee
 * on each entry and exit (a position open at a token's last forecast is closed there). The last point's
 * `cumulative` is computeLongFlatMetrics's `pnl`.
 */
export function computeLongFlatCurve(
  forecasts: readonly LongFlatForecast[],
  settings: Pick<LongFlatSettings, 'feePerTrade' | 'longThreshold'>,
): LongFlatCurvePoint[] {
  const perWindow = new Map<number, number>();
  forEachLongFlatWindow(forecasts, settings, (forecast, trade) => {
    perWindow.set(forecast.windowStart, (perWindow.get(forecast.windowStart) ?? 0) + trade.earned);
  });
  let cumulative = 0;
  return [...perWindow.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([windowStart, pnl]) => {
      cumulative += pnl;
      return { windowStart, pnl, cumulative };
    });
}
