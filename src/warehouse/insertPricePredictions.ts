import { BaseError, NonRetryableError } from '../internal/errors.js';
import { toAddress } from '../utils/toAddress.js';
import type { Warehouse } from './createWarehouse.js';

/**
 * A row of `price_predictions` (see schema/clickhouse/017_price_predictions.sql): made at the end of the window
 * [window_start, window_start + horizon_seconds) for the next one, [window_start + horizon_seconds,
 * window_start + 2 * horizon_seconds).
 */
export interface PricePredictionRow {
  chain_id: number;
  /** The token's address (stored lower-case). */
  token: string;
  /** Unix seconds: the start of the window whose features the forecast used. */
  window_start: number;
  /** The window length in seconds, of both the forecasting and the predicted window. */
  horizon_seconds: number;
  /** The forecast log return of the predicted window. */
  predicted_return: number;
  /** Lower end of the predictor's interval for the return. */
  lower: number;
  /** Upper end of the predictor's interval for the return. */
  upper: number;
  /** The predicted probability that the return is above zero, in [0, 1]. */
  direction_prob: number;
  /** The realised log return; null (or NaN, or absent) until the predicted window has ended. */
  actual_return?: number | null;
  /** 'price/<version>' for a registry model, 'backtest:<run id>:<predictor>' for backtest rows. */
  model_version: string;
  /** Unix milliseconds the forecast was written; the newest wins. Default: now. */
  predicted_at?: number;
}

/** A forecast as read back from `price_predictions`. */
export interface StoredPricePrediction extends PricePredictionRow {
  actual_return: number | null;
  predicted_at: number;
}

const maxUInt32 = 2 ** 32 - 1;
const numberFields = ['predicted_return', 'lower', 'upper', 'direction_prob'] as const;

/**
 * Inserts price forecasts, `batch` rows per INSERT (default 20,000); writing a forecast again (same chain, model
 * version, token, horizon and window) replaces it. Every row is checked first: a row with a malformed token,
 * a non-finite forecast or an out-of-range field is refused (PRICE_PREDICTION_INVALID) and nothing is written.
 */
export async function insertPricePredictions(
  warehouse: Warehouse,
  rows: readonly PricePredictionRow[],
  batch = 20_000,
): Promise<void> {
  const now = Date.now();
  const checked = rows.map((row) => toStoredRow(row, now));
  for (let start = 0; start < checked.length; start += batch) {
    await warehouse.insert('price_predictions', checked.slice(start, start + batch));
  }
}

/** `row` as written: the token lower-case, a NaN or missing actual return as NULL, `predicted_at` set. */
function toStoredRow(row: PricePredictionRow, now: number): StoredPricePrediction {
  const where = `token ${JSON.stringify(row.token)}, window_start ${row.window_start}`;
  const refuse = (problem: string, expected: string, cause?: unknown): never => {
    throw new NonRetryableError(`Price prediction (${where}): ${problem}`, {
      code: 'PRICE_PREDICTION_INVALID',
      details: expected,
      cause,
    });
  };
  let token: string;
  try {
    token = toAddress(String(row.token));
  } catch (error) {
    const details = error instanceof BaseError ? error.details : undefined;
    return refuse(
      `token ${JSON.stringify(row.token)} is not an address`,
      details ?? 'Expected an address.',
      error,
    );
  }
  const wholeNumber = (field: string, value: unknown, min: number, max: number) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      refuse(`${field} is ${String(value)}`, `Expected ${field} as a whole number from ${min} to ${max}.`);
    }
  };
  wholeNumber('chain_id', row.chain_id, 0, Number.MAX_SAFE_INTEGER);
  wholeNumber('window_start', row.window_start, 0, maxUInt32);
  wholeNumber('horizon_seconds', row.horizon_seconds, 1, maxUInt32);
  for (const field of numberFields) {
    const value: unknown = row[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      refuse(`${field} is ${String(value)}`, `Expected ${field} as a finite number.`);
    }
  }
  if (row.direction_prob < 0 || row.direction_prob > 1) {
    refuse(
      `direction_prob is ${row.direction_prob}`,
      'Expected direction_prob as a probability from 0 to 1.',
    );
  }
  const actual = row.actual_return;
  if (
    actual !== undefined &&
    actual !== null &&
    (typeof actual !== 'number' || actual === Infinity || actual === -Infinity)
  ) {
    refuse(
      `actual_return is ${String(actual)}`,
      'Expected actual_return as a finite number, or null (or NaN) while the predicted window has not ended.',
    );
  }
  if (typeof row.model_version !== 'string' || row.model_version === '') {
    refuse(
      `model_version is ${JSON.stringify(row.model_version)}`,
      "Expected model_version as a non-empty string, e.g. 'price/3' or 'backtest:<run id>:<predictor>'.",
    );
  }
  if (row.predicted_at !== undefined) {
    wholeNumber('predicted_at', row.predicted_at, 0, Number.MAX_SAFE_INTEGER);
  }
  return {
    chain_id: row.chain_id,
    token,
    window_start: row.window_start,
    horizon_seconds: row.horizon_seconds,
    predicted_return: row.predicted_return,
    lower: row.lower,
    upper: row.upper,
    direction_prob: row.direction_prob,
    actual_return: actual === undefined || actual === null || Number.isNaN(actual) ? null : actual,
    model_version: row.model_version,
    predicted_at: row.predicted_at ?? now,
  };
}
