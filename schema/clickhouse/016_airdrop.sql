-- Airdrop campaigns (chaingnn airdrop run): one row per run of a campaign file. The newest `created_at` wins, so
-- running a campaign again replaces its row; `config` is the campaign as parsed (JSON), `sybil_labels` says what the
-- sybil GNN learned from ('labels': sybil labels in address_labels; 'weak': the heuristics' own clusters).
CREATE TABLE IF NOT EXISTS airdrop_campaigns
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
ENGINE = ReplacingMergeTree(created_at)
ORDER BY (chain_id, campaign_id);

-- Every address that met a campaign's minimum activity: its allocation (0 when excluded), rank among recipients
-- (0 when excluded), engagement score, GNN sybil probability, sybil cluster ('' when none), and why it was excluded:
-- `reason` is one of sybil_cluster, sybil_model, risk, list ('' for recipients) and `evidence` says
-- which rules fired with which peers, as sentences. Rows of one run share their campaign row's `created_at`, and
-- reads take only those: a run writes its targets first and its campaign row last, so an interrupted run leaves
-- the previous one in place, and addresses a new run no longer lists are not read.
CREATE TABLE IF NOT EXISTS airdrop_targets
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
ENGINE = ReplacingMergeTree(created_at)
ORDER BY (chain_id, campaign_id, address);
