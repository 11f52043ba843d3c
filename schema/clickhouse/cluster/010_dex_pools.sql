-- Generated from ../010_dex_pools.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS dex_pools_local ON CLUSTER '{cluster}'
(
    chain_id          UInt64,
    pool_address      String,
    protocol          LowCardinality(String),
    factory_address   String,
    token0            String,
    token1            String,
    fee               Nullable(UInt32),
    block_number      UInt64,
    block_hash        String,
    block_timestamp   DateTime('UTC'),
    transaction_index UInt32,
    transaction_hash  String,
    log_index         UInt32,
    version           UInt64,
    is_deleted        UInt8 DEFAULT 0,
    INDEX idx_token0 token0 TYPE bloom_filter GRANULARITY 4,
    INDEX idx_token1 token1 TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/dex_pools_local', '{replica}', version, is_deleted)
ORDER BY (chain_id, pool_address);

CREATE TABLE IF NOT EXISTS dex_pools ON CLUSTER '{cluster}' AS dex_pools_local
ENGINE = Distributed('{cluster}', currentDatabase(), dex_pools_local, cityHash64(chain_id, pool_address));
