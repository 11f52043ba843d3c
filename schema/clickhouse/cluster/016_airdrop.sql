-- Generated from ../016_airdrop.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS airdrop_campaigns_local ON CLUSTER '{cluster}'
(
    chain_id        UInt64,
    campaign_id     String,
    name            String,
    snapshot_id     String,
    snapshot_block  UInt64,
    token_symbol    String,
    token_decimals  UInt8,
    budget          UInt256,
    allocation_rule LowCardinality(String),
    merkle_root     String,
    sybil_labels    LowCardinality(String),
    eligible        UInt32,
    recipients      UInt32,
    excluded        UInt32,
    sybil_clusters  UInt32,
    config          String,
    created_at      DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/airdrop_campaigns_local', '{replica}', created_at)
ORDER BY (chain_id, campaign_id);

CREATE TABLE IF NOT EXISTS airdrop_campaigns ON CLUSTER '{cluster}' AS airdrop_campaigns_local
ENGINE = Distributed('{cluster}', currentDatabase(), airdrop_campaigns_local, cityHash64(chain_id, campaign_id));

CREATE TABLE IF NOT EXISTS airdrop_targets_local ON CLUSTER '{cluster}'
(
    chain_id          UInt64,
    campaign_id       String,
    address           String,
    amount            UInt256,
    rank              UInt32,
    engagement        Float64,
    sybil_probability Float64,
    cluster_id        String,
    excluded          UInt8,
    reason            LowCardinality(String),
    evidence          Array(String),
    peers             Array(String),
    created_at        DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/airdrop_targets_local', '{replica}', created_at)
ORDER BY (chain_id, campaign_id, address);

CREATE TABLE IF NOT EXISTS airdrop_targets ON CLUSTER '{cluster}' AS airdrop_targets_local
ENGINE = Distributed('{cluster}', currentDatabase(), airdrop_targets_local, cityHash64(chain_id, campaign_id, address));
