-- Generated from ../013_address_features.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS address_features_local ON CLUSTER '{cluster}'
(
    chain_id      UInt64,
    snapshot_id   String,
    address       String,
    node_index    UInt32,
    kind          LowCardinality(String),
    raw           Array(Float64),
    normalized    Array(Float32)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/address_features_local', '{replica}')
ORDER BY (chain_id, snapshot_id, address);

CREATE TABLE IF NOT EXISTS address_features ON CLUSTER '{cluster}' AS address_features_local
ENGINE = Distributed('{cluster}', currentDatabase(), address_features_local, cityHash64(chain_id, snapshot_id, address));
