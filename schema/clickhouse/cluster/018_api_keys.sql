-- Generated from ../018_api_keys.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS api_keys_local ON CLUSTER '{cluster}'
(
    key_id      String,
    name        String,
    role        LowCardinality(String),
    key_hash    String,
    created_at  DateTime64(3, 'UTC'),
    updated_at  DateTime64(3, 'UTC') DEFAULT now64(3),
    is_revoked  UInt8 DEFAULT 0
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/api_keys_local', '{replica}', updated_at)
ORDER BY key_id;

CREATE TABLE IF NOT EXISTS api_keys ON CLUSTER '{cluster}' AS api_keys_local
ENGINE = Distributed('{cluster}', currentDatabase(), api_keys_local, cityHash64(key_id));
