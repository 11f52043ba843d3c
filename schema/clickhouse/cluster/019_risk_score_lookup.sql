-- Generated from ../019_risk_score_lookup.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS risk_score_lookup_local ON CLUSTER '{cluster}'
(
    key                 String,
    chain_id            UInt64,
    snapshot_id         String,
    address             String,
    score               Float64,
    category            LowCardinality(String),
    model_version       UInt32,
    architecture        LowCardinality(String),
    scored_snapshot_id  String,
    scored_at           DateTime64(3, 'UTC')
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/risk_score_lookup_local', '{replica}')
ORDER BY key;

CREATE TABLE IF NOT EXISTS risk_score_lookup ON CLUSTER '{cluster}' AS risk_score_lookup_local
ENGINE = Distributed('{cluster}', currentDatabase(), risk_score_lookup_local, cityHash64(key));

INSERT INTO risk_score_lookup
SELECT concat(toString(chain_id), '/', snapshot_id, '/', address), chain_id, snapshot_id, address, score, category,
       model_version, architecture, scored_snapshot_id, scored_at
FROM risk_scores FINAL;
