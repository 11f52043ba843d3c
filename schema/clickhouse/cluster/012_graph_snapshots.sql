-- Generated from ../012_graph_snapshots.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS graph_snapshots_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/graph_snapshots_local', '{replica}', created_at)
ORDER BY (chain_id, snapshot_id);

CREATE TABLE IF NOT EXISTS graph_snapshots ON CLUSTER '{cluster}' AS graph_snapshots_local
ENGINE = Distributed('{cluster}', currentDatabase(), graph_snapshots_local, cityHash64(chain_id, snapshot_id));
