-- Generated from ../003_logs.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS logs_local ON CLUSTER '{cluster}'
(
    chain_id          UInt64,
    block_number      UInt64,
    block_hash        String,
    block_timestamp   DateTime('UTC'),
    transaction_index UInt32,
    transaction_hash  String,
    log_index         UInt32,
    address           String,
    topics            Array(String),
    data              String CODEC(ZSTD(3)),
    topic0            String MATERIALIZED if(empty(topics), '', topics[1]),
    version           UInt64,
    is_deleted        UInt8 DEFAULT 0,
    INDEX idx_address address TYPE bloom_filter GRANULARITY 4,
    INDEX idx_topic0 topic0 TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/logs_local', '{replica}', version, is_deleted)
PARTITION BY intDiv(block_number, 1000000)
ORDER BY (chain_id, block_number, log_index);

CREATE TABLE IF NOT EXISTS logs ON CLUSTER '{cluster}' AS logs_local
ENGINE = Distributed('{cluster}', currentDatabase(), logs_local, cityHash64(chain_id, block_number, log_index));
