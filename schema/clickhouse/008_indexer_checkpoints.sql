-- How far each indexer has written, per chain: advanced only after the rows it covers are stored.
CREATE TABLE IF NOT EXISTS indexer_checkpoints
(
    chain_id     UInt64,
    indexer      String DEFAULT 'default',
    block_number UInt64,
    block_hash   String,
    updated_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (chain_id, indexer);
