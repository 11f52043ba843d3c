import { describe, expect, it } from 'vitest';
import { queryRows, useTestWarehouse } from '../../test/setup/testWarehouse.js';
import { NonRetryableError } from '../internal/errors.js';
import { getPriceModelVersions, getPricePredictions } from './getPricePredictions.js';
import { insertPricePredictions, type PricePredictionRow } from './insertPricePredictions.js';

const chainId = 1;
const hour = 3600;
const t0 = 1_699_999_200;
const tokenA = `0x${'a'.repeat(40)}`;
const tokenB = `0x${'b'.repeat(40)}`;

function forecast(overrides: Partial<PricePredictionRow> = {}): PricePredictionRow {
  return {
    chain_id: chainId,
    token: tokenA,
    window_start: t0,
    horizon_seconds: hour,
    predicted_return: 0.0125,
    lower: -0.03,
    upper: 0.055,
    direction_prob: 0.61,
    actual_return: null,
    model_version: 'price/3',
    predicted_at: 1_700_000_000_123,
    ...overrides,
  };
}

async function storedCount(warehouse: ReturnType<ReturnType<typeof useTestWarehouse>>): Promise<number> {
  const [row] = await queryRows<{ n: string }>(warehouse, 'SELECT count() AS n FROM price_predictions');
  return Number(row!.n);
}

describe('price predictions', () => {
  const warehouse = useTestWarehouse();

  it('reads back exactly what was written, with a NULL actual return as null', async () => {
    const rows = [
      forecast(),
      forecast({ token: tokenB, window_start: t0 + hour, actual_return: -0.25, predicted_return: -1e-9 }),
    ];
    await insertPricePredictions(warehouse(), rows);
    expect(await getPricePredictions(warehouse(), { chainId })).toEqual(rows);
  });

  it('stores the token lower-case, and a NaN or missing actual return as NULL', async () => {
    const mixedCase = `0x${'aB'.repeat(20)}`;
    const { actual_return: _, ...withoutActual } = forecast({ window_start: t0 + hour });
    await insertPricePredictions(warehouse(), [
      forecast({ token: mixedCase, actual_return: Number.NaN }),
      { ...withoutActual, token: mixedCase },
    ]);
    const read = await getPricePredictions(warehouse(), { chainId });
    expect(read.map((r) => [r.token, r.window_start, r.actual_return])).toEqual([
      [mixedCase.toLowerCase(), t0, null],
      [mixedCase.toLowerCase(), t0 + hour, null],
    ]);
  });

  it('sets predicted_at to now when the row has none', async () => {
    const before = Date.now();
    const { predicted_at: _, ...row } = forecast();
    await insertPricePredictions(warehouse(), [row]);
    const [read] = await getPricePredictions(warehouse(), { chainId });
    expect(read!.predicted_at).toBeGreaterThanOrEqual(before);
    expect(read!.predicted_at).toBeLessThanOrEqual(Date.now());
  });

  it('replaces a forecast written again with its actual return (FINAL gives one row, the new one)', async () => {
    await insertPricePredictions(warehouse(), [forecast(), forecast({ window_start: t0 + hour })]);
    const updated = forecast({ actual_return: 0.02, predicted_at: 1_700_000_100_000 });
    await insertPricePredictions(warehouse(), [updated]);
    const read = await getPricePredictions(warehouse(), { chainId, token: tokenA });
    expect(read).toEqual([updated, forecast({ window_start: t0 + hour })]);
    expect(await getPriceModelVersions(warehouse(), chainId)).toEqual([
      { modelVersion: 'price/3', predictions: 2, firstWindowStart: t0, lastWindowStart: t0 + hour },
    ]);
  });

  it('keeps forecasts of other model versions and horizons apart', async () => {
    const backtest = 'backtest:run-1:momentum';
    await insertPricePredictions(warehouse(), [
      forecast(),
      forecast({ model_version: backtest, predicted_return: 0.5 }),
      forecast({ horizon_seconds: 2 * hour, predicted_return: -0.5 }),
    ]);
    const read = await getPricePredictions(warehouse(), { chainId });
    expect(read.map((r) => [r.model_version, r.horizon_seconds, r.predicted_return])).toEqual([
      [backtest, hour, 0.5],
      ['price/3', hour, 0.0125],
      ['price/3', 2 * hour, -0.5],
    ]);
    expect(await getPriceModelVersions(warehouse(), chainId)).toEqual([
      { modelVersion: backtest, predictions: 1, firstWindowStart: t0, lastWindowStart: t0 },
      { modelVersion: 'price/3', predictions: 2, firstWindowStart: t0, lastWindowStart: t0 },
    ]);
  });

  it('filters by token, model version, horizon and window range', async () => {
    const rows: PricePredictionRow[] = [];
    for (const token of [tokenA, tokenB]) {
      for (const model_version of ['price/3', 'price/4']) {
        for (let i = 0; i < 4; i += 1) {
          rows.push(forecast({ token, model_version, window_start: t0 + i * hour, predicted_return: i }));
        }
      }
    }
    rows.push(forecast({ chain_id: 2 }));
    rows.push(forecast({ horizon_seconds: 2 * hour }));
    await insertPricePredictions(warehouse(), rows);
    const key = (r: PricePredictionRow) => `${r.model_version} ${r.token.slice(0, 3)} ${r.window_start - t0}`;

    const byToken = await getPricePredictions(warehouse(), {
      chainId,
      token: tokenB.toUpperCase().replace('0X', '0x'),
    });
    expect(byToken.map(key)).toEqual([
      'price/3 0xb 0',
      'price/3 0xb 3600',
      'price/3 0xb 7200',
      'price/3 0xb 10800',
      'price/4 0xb 0',
      'price/4 0xb 3600',
      'price/4 0xb 7200',
      'price/4 0xb 10800',
    ]);
    const filtered = await getPricePredictions(warehouse(), {
      chainId,
      modelVersion: 'price/4',
      horizonSeconds: hour,
      from: t0 + hour,
      to: t0 + 2 * hour,
    });
    expect(filtered.map(key)).toEqual([
      'price/4 0xa 3600',
      'price/4 0xa 7200',
      'price/4 0xb 3600',
      'price/4 0xb 7200',
    ]);
    const longHorizon = await getPricePredictions(warehouse(), { chainId, horizonSeconds: 2 * hour });
    expect(longHorizon).toEqual([forecast({ horizon_seconds: 2 * hour })]);
    expect(await getPricePredictions(warehouse(), { chainId: 2 })).toEqual([forecast({ chain_id: 2 })]);
    expect(await getPricePredictions(warehouse(), { chainId, modelVersion: 'price/5' })).toEqual([]);
  });

  it('refuses a malformed token, naming it, and writes nothing', async () => {
    const error = await insertPricePredictions(warehouse(), [
      forecast(),
      forecast({ token: '0x1234', window_start: t0 + hour }),
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as NonRetryableError).code).toBe('PRICE_PREDICTION_INVALID');
    expect((error as NonRetryableError).shortMessage).toContain('"0x1234" is not an address');
    expect((error as NonRetryableError).shortMessage).toContain(`window_start ${t0 + hour}`);
    expect(await storedCount(warehouse())).toBe(0);
  });

  it('refuses a NaN predicted return, naming the field and the row, and writes nothing', async () => {
    const error = await insertPricePredictions(warehouse(), [
      forecast(),
      forecast({ token: tokenB, predicted_return: Number.NaN }),
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as NonRetryableError).code).toBe('PRICE_PREDICTION_INVALID');
    expect((error as NonRetryableError).shortMessage).toMatch(/predicted_return is NaN/);
    expect((error as NonRetryableError).shortMessage).toContain(tokenB);
    expect(await storedCount(warehouse())).toBe(0);
  });

  it('refuses a missing interval, an infinite actual return and a direction probability above 1', async () => {
    const { lower: _, ...withoutLower } = forecast();
    const bad: [PricePredictionRow, RegExp][] = [
      [withoutLower as PricePredictionRow, /lower is undefined/],
      [forecast({ upper: Number.NaN }), /upper is NaN/],
      [forecast({ actual_return: Number.NEGATIVE_INFINITY }), /actual_return is -Infinity/],
      [forecast({ direction_prob: 1.5 }), /direction_prob is 1.5/],
      [forecast({ horizon_seconds: 0 }), /horizon_seconds is 0/],
      [forecast({ model_version: '' }), /model_version is ""/],
    ];
    for (const [row, message] of bad) {
      await expect(insertPricePredictions(warehouse(), [row])).rejects.toThrow(message);
    }
    expect(await storedCount(warehouse())).toBe(0);
  });
});
