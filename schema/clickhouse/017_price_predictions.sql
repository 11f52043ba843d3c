-- Token price forecasts (chaingnn price): one row per model version, token, horizon and window. A forecast is made
-- at the end of the window [window_start, window_start + horizon_seconds), from the features of that window and
-- those before it, for the NEXT window of the same length: [window_start + horizon_seconds,
-- window_start + 2 * horizon_seconds). `predicted_return` is the forecast log return of that next window (ln of its
-- close over window_start's close), `lower`/`upper` the predictor's interval for it and `direction_prob` the
-- probability that it is above zero. `actual_return` is the realised log return, NULL until the predicted window has
-- ended. `model_version` names what forecast: 'price/3' for version 3 of a registry model,
-- 'backtest:<run id>:<predictor>' for the rows of a backtest. Writing a forecast again (e.g. once its actual return is
-- known) replaces it: the newest `predicted_at` wins.
CREATE TABLE IF NOT EXISTS price_predictions
(
    chain_id          UInt64,
    token             String,
    window_start      DateTime('UTC'),
    horizon_seconds   UInt32,
    predicted_return  Float64,
    lower             Float64,
    upper             Float64,
    direction_prob    Float64,
    actual_return     Nullable(Float64),
    model_version     String,
    predicted_at      DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(predicted_at)
ORDER BY (chain_id, model_version, token, horizon_seconds, window_start);
