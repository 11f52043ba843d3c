-- One row per canonical block. Re-inserting a block, or rewriting it after a reorg with a higher
-- `version`, leaves one current row per (chain_id, number); `is_deleted = 1` removes an orphaned block.
CREATE TABLE IF NOT EXISTS blocks
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
ENGINE = ReplacingMergeTree(version, is_deleted)
PARTITION BY intDiv(number, 1000000)
ORDER BY (chain_id, number);
