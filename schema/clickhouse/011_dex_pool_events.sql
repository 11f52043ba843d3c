-- Liquidity events of DEX pools, one row per log: Uniswap V2 Sync (`amount0`/`amount1` = the reserves
-- after it), V2 and V3 Mint and Burn (the amounts added or removed), with the pool's tokens.
-- `sender` is the caller (V2 Mint/Burn, V3 Mint), `owner` receives the tokens (V2 Burn) or owns the
-- position (V3); `liquidity` and the ticks are V3's and NULL for V2.
CREATE TABLE IF NOT EXISTS dex_pool_events
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
ENGINE = ReplacingMergeTree(version, is_deleted)
PARTITION BY intDiv(block_number, 1000000)
ORDER BY (chain_id, block_number, log_index);
