/** A row of `airdrop_campaigns` (see schema/clickhouse/016_airdrop.sql). */
export interface AirdropCampaignRow {
  chain_id: number;
  campaign_id: string;
  name: string;
  snapshot_id: string;
  snapshot_block: number;
  token_symbol: string;
  token_decimals: number;
  budget: bigint;
  allocation_rule: string;
  merkle_root: string;
  /** What the sybil model learned from: 'labels', 'weak', or 'none' (not trained). */
  sybil_labels: string;
  eligible: number;
  recipients: number;
  excluded: number;
  sybil_clusters: number;
  /** The campaign as parsed, JSON. */
  config: string;
  /** Unix milliseconds; the run's targets carry the same. */
  created_at: number;
}

/** A row of `airdrop_targets`. */
export interface AirdropTargetRow {
  chain_id: number;
  campaign_id: string;
  address: string;
  amount: bigint;
  rank: number;
  engagement: number;
  sybil_probability: number;
  cluster_id: string;
  excluded: number;
  reason: string;
  evidence: string[];
  peers: string[];
  created_at: number;
}
