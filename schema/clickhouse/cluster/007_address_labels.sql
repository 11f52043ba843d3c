-- Generated from ../007_address_labels.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS address_labels_local ON CLUSTER '{cluster}'
(
    chain_id   UInt64,
    address    String,
    label      String,
    category   LowCardinality(String),
    source     LowCardinality(String),
    confidence Float32 DEFAULT 1,
    added_at   DateTime64(3, 'UTC') DEFAULT now64(3),
    is_deleted UInt8 DEFAULT 0
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/address_labels_local', '{replica}', added_at, is_deleted)
ORDER BY (chain_id, address, source, category);

CREATE TABLE IF NOT EXISTS address_labels ON CLUSTER '{cluster}' AS address_labels_local
ENGINE = Distributed('{cluster}', currentDatabase(), address_labels_local, cityHash64(chain_id, address, source, category));
