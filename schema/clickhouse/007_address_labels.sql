-- What each source says about an address: one current row per (chain_id, address, source, category);
-- the newest `added_at` wins, and `is_deleted = 1` withdraws a label.
CREATE TABLE IF NOT EXISTS address_labels
(
    chain_id   UInt64,
    address    String,
    label      String,
    category   LowCardinality(String),
    source     LowCardinality(String),
    confidence Float32 DEFAULT 1,
    added_at   DateTime64(3, 'UTC') DEFAULT now64(3),
    is_deleted UInt8 DEFAULT 0
)
ENGINE = ReplacingMergeTree(added_at, is_deleted)
ORDER BY (chain_id, address, source, category);
