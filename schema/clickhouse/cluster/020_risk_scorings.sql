-- Generated from ../020_risk_scorings.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS risk_scorings_local ON CLUSTER '{cluster}'
(
    chain_id       UInt64,
    snapshot_id    String,
    model_version  UInt32,
    addresses      UInt64,
    scored_at      DateTime64(3, 'UTC')
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/risk_scorings_local', '{replica}', scored_at)
ORDER BY (chain_id, snapshot_id);

CREATE TABLE IF NOT EXISTS risk_scorings ON CLUSTER '{cluster}' AS risk_scorings_local
ENGINE = Distributed('{cluster}', currentDatabase(), risk_scorings_local, cityHash64(chain_id, snapshot_id));

INSERT INTO risk_scorings
SELECT chain_id, snapshot_id, argMax(model_version, scored_at), count(), max(scored_at)
FROM risk_scores FINAL
GROUP BY chain_id, snapshot_id;
