-- Raw event logs, in block order. `topic0` (the event signature) is derived for filtering.
CREATE TABLE IF NOT EXISTS logs
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
ENGINE = ReplacingMergeTree(version, is_deleted)
PARTITION BY intDiv(block_number, 1000000)
ORDER BY (chain_id, block_number, log_index);
