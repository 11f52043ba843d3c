-- Generated from ../014_address_communities.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS address_communities_local ON CLUSTER '{cluster}'
(
    chain_id        UInt64,
    snapshot_id     String,
    address         String,
    community       UInt32,
    community_size  UInt32,
    pagerank        Float64,
    component       UInt32,
    component_size  UInt32,
    core_number     UInt32
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/address_communities_local', '{replica}')
ORDER BY (chain_id, snapshot_id, address);

CREATE TABLE IF NOT EXISTS address_communities ON CLUSTER '{cluster}' AS address_communities_local
ENGINE = Distributed('{cluster}', currentDatabase(), address_communities_local, cityHash64(chain_id, snapshot_id, address));
