-- Generated from ../015_risk_scores.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS risk_scores_local ON CLUSTER '{cluster}'
(
    chain_id            UInt64,
    snapshot_id         String,
    address             String,
    score               Float64,
    category            LowCardinality(String),
    model_version       UInt32,
    architecture        LowCardinality(String),
    scored_snapshot_id  String,
    scored_at           DateTime64(3, 'UTC') DEFAULT now64(3),
    reasons             Array(String)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/risk_scores_local', '{replica}', scored_at)
ORDER BY (chain_id, snapshot_id, address);

CREATE TABLE IF NOT EXISTS risk_scores ON CLUSTER '{cluster}' AS risk_scores_local
ENGINE = Distributed('{cluster}', currentDatabase(), risk_scores_local, cityHash64(chain_id, snapshot_id, address));
