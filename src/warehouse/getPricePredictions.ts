import { NonRetryableError } from '../internal/errors.js';
import { toAddress } from '../utils/toAddress.js';
import type { Warehouse } from './createWarehouse.js';
import type { StoredPricePrediction } from './insertPricePredictions.js';
import { queryRows } from './queryRows.js';

/** Which forecasts to read: the chain, and optionally one token, model version, horizon and window range. */
export interface PricePredictionQuery {
  chainId: number;
  token?: string;
  modelVersion?: string;
  horizonSeconds?: number;
  /** Unix seconds: only forecasts made at windows starting at or after it. */
  from?: number;
  /** Unix seconds, inclusive: only forecasts made at windows starting at or before it. */
  to?: number;
}

/** A model version with forecasts: how many, and the first and last window they were made at. */
export interface PriceModelVersion {
  modelVersion: string;
  predictions: number;
  /** Unix seconds. */
  firstWindowStart: number;
  /** Unix seconds. */
  lastWindowStart: number;
}

const maxUInt32 = 2 ** 32 - 1;

type RawRow = Record<keyof StoredPricePrediction, string | number | null>;

/** The current forecasts matching `query` (one per key), by model version, token, window start and horizon. */
export async function getPricePredictions(
  warehouse: Warehouse,
  query: PricePredictionQuery,
): Promise<StoredPricePrediction[]> {
  const { chainId, token, modelVersion, horizonSeconds, from, to } = query;
  const params: Record<string, unknown> = { chainId };
  const where = ['chain_id = {chainId:UInt64}'];
  if (token !== undefined) {
    params.token = toAddress(token);
    where.push('token = {token:String}');
  }
  if (modelVersion !== undefined) {
    params.modelVersion = modelVersion;
    where.push('model_version = {modelVersion:String}');
  }
  if (horizonSeconds !== undefined) {
    params.horizonSeconds = checkSeconds('horizonSeconds', horizonSeconds);
    where.push('horizon_seconds = {horizonSeconds:UInt32}');
  }
  if (from !== undefined) {
    params.from = checkSeconds('from', from);
    where.push("window_start >= toDateTime({from:UInt32}, 'UTC')");
  }
  if (to !== undefined) {
    params.to = checkSeconds('to', to);
    where.push("window_start <= toDateTime({to:UInt32}, 'UTC')");
  }
  const rows = await queryRows<RawRow>(
    warehouse,
    `SELECT chain_id, token, toUnixTimestamp(window_start) AS window_start, horizon_seconds, predicted_return,
            lower, upper, direction_prob, actual_return, model_version,
            toUnixTimestamp64Milli(predicted_at) AS predicted_at
     FROM price_predictions FINAL
     WHERE ${where.join(' AND ')}
     ORDER BY model_version, token, window_start, horizon_seconds`,
    params,
  );
  return rows.map((row) => ({
    chain_id: Number(row.chain_id),
    token: String(row.token),
    window_start: Number(row.window_start),
    horizon_seconds: Number(row.horizon_seconds),
    predicted_return: Number(row.predicted_return),
    lower: Number(row.lower),
    upper: Number(row.upper),
    direction_prob: Number(row.direction_prob),
    actual_return: row.actual_return === null ? null : Number(row.actual_return),
    model_version: String(row.model_version),
    predicted_at: Number(row.predicted_at),
  }));
}

/** The model versions with forecasts on `chainId`, by name, with their forecast counts and window range. */
export async function getPriceModelVersions(
  warehouse: Warehouse,
  chainId: number,
): Promise<PriceModelVersion[]> {
  const rows = await queryRows<Record<string, string>>(
    warehouse,
    `SELECT model_version, count() AS predictions, toUnixTimestamp(min(window_start)) AS first_window_start,
            toUnixTimestamp(max(window_start)) AS last_window_start
     FROM price_predictions FINAL
     WHERE chain_id = {chainId:UInt64}
     GROUP BY model_version
     ORDER BY model_version`,
    { chainId },
  );
  return rows.map((row) => ({
    modelVersion: row.model_version!,
    predictions: Number(row.predictions),
    firstWindowStart: Number(row.first_window_start),
    lastWindowStart: Number(row.last_window_start),
  }));
}

function checkSeconds(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > maxUInt32) {
    throw new NonRetryableError(`Invalid ${name} ${value} for price predictions`, {
      code: 'PRICE_QUERY_INVALID',
      details: `Expected ${name} as whole seconds from 0 to ${maxUInt32}.`,
    });
  }
  return value;
}
