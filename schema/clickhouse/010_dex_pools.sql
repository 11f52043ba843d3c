-- DEX pools by address, as their factory announced them (Uniswap V2 PairCreated, V3 PoolCreated): the
-- tokens in the pool's own order, the factory, the V3 fee tier (NULL for V2) and where it was created.
CREATE TABLE IF NOT EXISTS dex_pools
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
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (chain_id, pool_address);
