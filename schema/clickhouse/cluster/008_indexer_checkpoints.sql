-- Generated from ../008_indexer_checkpoints.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS indexer_checkpoints_local ON CLUSTER '{cluster}'
(
    chain_id     UInt64,
    indexer      String DEFAULT 'default',
    block_number UInt64,
    block_hash   String,
    updated_at   DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/indexer_checkpoints_local', '{replica}', updated_at)
ORDER BY (chain_id, indexer);

CREATE TABLE IF NOT EXISTS indexer_checkpoints ON CLUSTER '{cluster}' AS indexer_checkpoints_local
ENGINE = Distributed('{cluster}', currentDatabase(), indexer_checkpoints_local, cityHash64(chain_id, indexer));
