-- Generated from ../017_price_predictions.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS price_predictions_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/price_predictions_local', '{replica}', predicted_at)
ORDER BY (chain_id, model_version, token, horizon_seconds, window_start);

CREATE TABLE IF NOT EXISTS price_predictions ON CLUSTER '{cluster}' AS price_predictions_local
ENGINE = Distributed('{cluster}', currentDatabase(), price_predictions_local, cityHash64(chain_id, model_version, token, horizon_seconds, window_start));
