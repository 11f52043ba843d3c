-- Graph analytics per address in a snapshot: Louvain community (undirected transfer + funding edges),
-- PageRank (directed, all edge types), weakly connected component and k-core number.
CREATE TABLE IF NOT EXISTS address_communities
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
ENGINE = ReplacingMergeTree
ORDER BY (chain_id, snapshot_id, address);
