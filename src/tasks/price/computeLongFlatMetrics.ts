/** A forecast beside the return that followed, as the long/flat rule trades it. */
export interface LongFlatForecast {
  token: string;
  /** The window the forecast was made at; the rule holds the token (or not) during the next window. */
  windowStart: number;
  predictedReturn: number;
  /** The next window's log return. */
  actualReturn: number;
}

/** The fee model and calendar of the long/flat rule. */
export interface LongFlatSettings {
  /** Fraction of the position paid on each entry and each exit (0.003 = 0.3%), charged as log return. */
  feePerTrade: number;
  /** Go (or stay) long when the predicted log return is above this; flat otherwise. */
  longThreshold: number;
  windowSeconds: number;
}

/** How the long/flat rule did. */
export interface LongFlatMetrics {
  /** Summed over tokens (one unit of capital each): log returns earned while long, minus fees. */
  pnl: number;
  /** Mean over std (n − 1) of the per-window portfolio returns, × sqrt(windows per year); 0 when std is 0. */
  sharpe: number;
  /** Fees paid: entries plus exits (a position still open at a token's last window is closed there). */
  trades: number;
  /** The share of token-windows spent long. */
  exposure: number;
}

const secondsPerYear = 365.25 * 24 * 3600;

/** What the long/flat rule did with one forecast: long (1) or flat (0) next window, fees paid, return earned. */
export interface LongFlatTrade {
  long: 0 | 1;
  fees: number;
  earned: number;
}

/**
 * Runs the long/flat rule over each token's forecasts in time order from flat, calling `visit` with each forecast's
 * trade: long over the next window when the forecast is above `longThreshold`, `feePerTrade` paid on each entry or
 * exit (a position open at a token's last forecast is closed there).
 */
export function forEachLongFlatWindow(
  forecasts: readonly LongFlatForecast[],
  settings: Pick<LongFlatSettings, 'feePerTrade' | 'longThreshold'>,
  visit: (forecast: LongFlatForecast, trade: LongFlatTrade) => void,
): void {
  const byToken = new Map<string, LongFlatForecast[]>();
  for (const forecast of forecasts) {
    const list = byToken.get(forecast.token);
    if (list) list.push(forecast);
    else byToken.set(forecast.token, [forecast]);
  }
  for (const list of byToken.values()) {
    list.sort((a, b) => a.windowStart - b.windowStart);
    let position = 0;
    list.forEach((forecast, i) => {
      const long = forecast.predictedReturn > settings.longThreshold ? 1 : 0;
      const fees = Math.abs(long - position) + (i === list.length - 1 ? long : 0);
      position = long;
      visit(forecast, { long, fees, earned: long * forecast.actualReturn - fees * settings.feePerTrade });
    });
  }
}

/**
 * Trades each token long/flat on its forecasts in time order, starting flat: long over the next window when
 * the forecast is above `longThreshold`, paying `feePerTrade` in the window of each entry or exit. The portfolio
 * holds the tokens with a forecast in a window in equal weights, so its return in a window is their mean.
 */
export function computeLongFlatMetrics(
  forecasts: readonly LongFlatForecast[],
  settings: LongFlatSettings,
): LongFlatMetrics {
  const windows = new Map<number, { sum: number; count: number }>();
  let pnl = 0;
  let trades = 0;
  let long = 0;
  forEachLongFlatWindow(forecasts, settings, (forecast, trade) => {
    pnl += trade.earned;
    trades += trade.fees;
    long += trade.long;
    const window = windows.get(forecast.windowStart) ?? { sum: 0, count: 0 };
    window.sum += trade.earned;
    window.count += 1;
    windows.set(forecast.windowStart, window);
  });
  const returns = [...windows.values()].map((window) => window.sum / window.count);
  return {
    pnl,
    sharpe: annualisedSharpe(returns, settings.windowSeconds),
    trades,
    exposure: long / forecasts.length,
  };
}

function annualisedSharpe(returns: readonly number[], windowSeconds: number): number {
  if (returns.length < 2) return 0;
  const mean = returns.reduce((sum, value) => sum + value, 0) / returns.length;
  const variance = returns.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (returns.length - 1);
  return variance > 0 ? (mean / Math.sqrt(variance)) * Math.sqrt(secondsPerYear / windowSeconds) : 0;
}
