-- Generated from ../011_dex_pool_events.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS dex_pool_events_local ON CLUSTER '{cluster}'
(
    chain_id          UInt64,
    block_number      UInt64,
    block_hash        String,
    block_timestamp   DateTime('UTC'),
    transaction_index UInt32,
    transaction_hash  String,
    log_index         UInt32,
    protocol          LowCardinality(String),
    pool_address      String,
    event_type        Enum8('sync' = 1, 'mint' = 2, 'burn' = 3),
    sender            Nullable(String),
    owner             Nullable(String),
    token0            String,
    token1            String,
    amount0           UInt256,
    amount1           UInt256,
    liquidity         Nullable(UInt256),
    tick_lower        Nullable(Int32),
    tick_upper        Nullable(Int32),
    version           UInt64,
    is_deleted        UInt8 DEFAULT 0,
    INDEX idx_pool pool_address TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/dex_pool_events_local', '{replica}', version, is_deleted)
PARTITION BY intDiv(block_number, 1000000)
ORDER BY (chain_id, block_number, log_index);

CREATE TABLE IF NOT EXISTS dex_pool_events ON CLUSTER '{cluster}' AS dex_pool_events_local
ENGINE = Distributed('{cluster}', currentDatabase(), dex_pool_events_local, cityHash64(chain_id, block_number, log_index));
