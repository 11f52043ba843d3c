-- Generated from ../001_blocks.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS blocks_local ON CLUSTER '{cluster}'
(
    chain_id          UInt64,
    number            UInt64,
    hash              String,
    parent_hash       String,
    timestamp         DateTime('UTC'),
    miner             String,
    gas_limit         UInt64,
    gas_used          UInt64,
    base_fee_per_gas  Nullable(UInt256),
    difficulty        UInt256 DEFAULT 0,
    size              UInt64 DEFAULT 0,
    extra_data        String DEFAULT '',
    transaction_count UInt32,
    version           UInt64,
    is_deleted        UInt8 DEFAULT 0,
    INDEX idx_hash hash TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/blocks_local', '{replica}', version, is_deleted)
PARTITION BY intDiv(number, 1000000)
ORDER BY (chain_id, number);

CREATE TABLE IF NOT EXISTS blocks ON CLUSTER '{cluster}' AS blocks_local
ENGINE = Distributed('{cluster}', currentDatabase(), blocks_local, cityHash64(chain_id, number));
