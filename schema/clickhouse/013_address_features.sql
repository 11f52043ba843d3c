-- The node features of each address in a snapshot, raw (as computed) and normalized (log1p + robust scaling
-- fitted on the snapshot the normalizer was fitted on), in the order of graph_snapshots.feature_names.
CREATE TABLE IF NOT EXISTS address_features
(
    chain_id      UInt64,
    snapshot_id   String,
    address       String,
    node_index    UInt32,
    kind          LowCardinality(String),
    raw           Array(Float64),
    normalized    Array(Float32)
)
ENGINE = ReplacingMergeTree
ORDER BY (chain_id, snapshot_id, address);
