-- One row per interaction-graph snapshot: the chain, the point it was taken at (every row it read is at or
-- before `as_of_block`), the optional window start, its size, and where its typed arrays are stored.
CREATE TABLE IF NOT EXISTS graph_snapshots
(
    chain_id         UInt64,
    snapshot_id      String,
    as_of_block      UInt64,
    as_of_time       DateTime('UTC'),
    from_block       UInt64,
    nodes            UInt64,
    edges            UInt64,
    communities      UInt64,
    feature_names    Array(String),
    files            String,
    created_at       DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(created_at)
ORDER BY (chain_id, snapshot_id);
