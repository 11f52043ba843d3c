-- Decoded DEX swaps (Uniswap V2 Swap, Uniswap V3 Swap), normalised to one token in and one token out.
CREATE TABLE IF NOT EXISTS dex_swaps
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
    sender            String,
    recipient         String,
    token_in          String,
    token_out         String,
    amount_in         UInt256,
    amount_out        UInt256,
    version           UInt64,
    is_deleted        UInt8 DEFAULT 0,
    INDEX idx_pool pool_address TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplacingMergeTree(version, is_deleted)
PARTITION BY intDiv(block_number, 1000000)
ORDER BY (chain_id, block_number, log_index);
