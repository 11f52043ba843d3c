/**
 * The rows of the core warehouse tables as JavaScript writes them (schema/clickhouse/*.sql is the
 * source of truth; schema/clickhouse/README.md documents each column). Addresses and hashes are
 * lower-case 0x-hex strings; token amounts are bigint (UInt256); times are unix seconds. `version`
 * orders rewrites of the same key (the highest wins) and `is_deleted = 1` removes the key.
 */

/** Fields every chain-data row carries for deduplication and reorgs. */
export interface Versioned {
  chain_id: number;
  version: number | bigint;
  is_deleted?: 0 | 1;
}

/** Fields every row derived from a block carries. */
export interface InBlock extends Versioned {
  block_number: number;
  block_hash: string;
  block_timestamp: number;
}

/** A row of `blocks`. */
export interface BlockRow extends Versioned {
  number: number;
  hash: string;
  parent_hash: string;
  timestamp: number;
  miner: string;
  gas_limit: number | bigint;
  gas_used: number | bigint;
  base_fee_per_gas: bigint | null;
  difficulty?: bigint;
  size?: number;
  extra_data?: string;
  transaction_count: number;
}

/** A row of `transactions` (receipt fields are null when the source had no receipt). */
export interface TransactionRow extends InBlock {
  transaction_index: number;
  hash: string;
  nonce: number | bigint;
  from_address: string;
  to_address: string | null;
  value: bigint;
  gas: number | bigint;
  gas_price: bigint | null;
  max_fee_per_gas: bigint | null;
  max_priority_fee_per_gas: bigint | null;
  transaction_type: number;
  input: string;
  status: 0 | 1 | null;
  gas_used: number | bigint | null;
  cumulative_gas_used: number | bigint | null;
  effective_gas_price: bigint | null;
  contract_address: string | null;
}

/** A row of `logs`. */
export interface LogRow extends InBlock {
  transaction_index: number;
  transaction_hash: string;
  log_index: number;
  address: string;
  topics: string[];
  data: string;
}

/** A row of `token_transfers`. */
export interface TokenTransferRow extends InBlock {
  transaction_index: number;
  transaction_hash: string;
  log_index: number;
  batch_index: number;
  token_address: string;
  token_standard: 'erc20' | 'erc721' | 'erc1155';
  operator: string | null;
  from_address: string;
  to_address: string;
  token_id: bigint | null;
  value: bigint;
}

/** A row of `dex_swaps`. */
export interface DexSwapRow extends InBlock {
  transaction_index: number;
  transaction_hash: string;
  log_index: number;
  protocol: string;
  pool_address: string;
  sender: string;
  recipient: string;
  token_in: string;
  token_out: string;
  amount_in: bigint;
  amount_out: bigint;
}

/** A row of `contracts`. */
export interface ContractRow extends InBlock {
  address: string;
  creator_address: string;
  transaction_hash: string;
  code_size: number;
  code_hash: string;
  standard: string;
}

/** A row of `address_labels`; `added_at` (unix milliseconds) orders rewrites. */
export interface AddressLabelRow {
  chain_id: number;
  address: string;
  label: string;
  category: string;
  source: string;
  confidence: number;
  added_at?: number;
  is_deleted?: 0 | 1;
}

/** A row of `indexer_checkpoints`; `updated_at` (unix milliseconds) orders rewrites. */
export interface IndexerCheckpointRow {
  chain_id: number;
  indexer: string;
  block_number: number;
  block_hash: string;
  updated_at?: number;
}

/**
 * A row of `token_approvals`. `spender_address` is the ERC-20 spender, the ERC-721 approved address or the
 * ApprovalForAll operator; `value` is what was granted: the ERC-20 allowance, 1 for an ERC-721 approval or
 * a granted ApprovalForAll, 0 when it was cleared (approved = zero address) or revoked.
 */
export interface TokenApprovalRow extends InBlock {
  transaction_index: number;
  transaction_hash: string;
  log_index: number;
  token_address: string;
  approval_type: 'erc20' | 'erc721' | 'approval_for_all';
  owner_address: string;
  spender_address: string;
  token_id: bigint | null;
  value: bigint;
}

/** A row of `dex_pools`: a pool as its factory announced it (block fields: where it was created). */
export interface DexPoolRow extends InBlock {
  transaction_index: number;
  transaction_hash: string;
  log_index: number;
  pool_address: string;
  protocol: 'uniswap_v2' | 'uniswap_v3';
  factory_address: string;
  token0: string;
  token1: string;
  /** V3 fee tier in hundredths of a basis point (3000 = 0.3%); null for V2, whose fee is fixed. */
  fee: number | null;
}

/**
 * A row of `dex_pool_events`: a pool's Sync (`amount0`/`amount1` = reserves after it), Mint or Burn
 * (amounts added or removed). `sender` is the caller (V2 Mint/Burn, V3 Mint); `owner` receives the tokens
 * (V2 Burn `to`) or owns the position (V3); `liquidity` and the ticks are V3's.
 */
export interface DexPoolEventRow extends InBlock {
  transaction_index: number;
  transaction_hash: string;
  log_index: number;
  protocol: 'uniswap_v2' | 'uniswap_v3';
  pool_address: string;
  event_type: 'sync' | 'mint' | 'burn';
  sender: string | null;
  owner: string | null;
  token0: string;
  token1: string;
  amount0: bigint;
  amount1: bigint;
  liquidity: bigint | null;
  tick_lower: number | null;
  tick_upper: number | null;
}

/** A row of `graph_snapshots`. */
export interface GraphSnapshotRow {
  chain_id: number;
  snapshot_id: string;
  as_of_block: number;
  as_of_time: number;
  from_block: number;
  nodes: number;
  edges: number;
  communities: number;
  feature_names: string[];
  files: string;
}

/** A row of `address_features`. */
export interface AddressFeatureRow {
  chain_id: number;
  snapshot_id: string;
  address: string;
  node_index: number;
  kind: string;
  raw: number[];
  normalized: number[];
}

/** A row of `address_communities`. */
export interface AddressCommunityRow {
  chain_id: number;
  snapshot_id: string;
  address: string;
  community: number;
  community_size: number;
  pagerank: number;
  component: number;
  component_size: number;
  core_number: number;
}

/** Each core table and the row type it takes. */
export interface TableRows {
  blocks: BlockRow;
  transactions: TransactionRow;
  logs: LogRow;
  token_transfers: TokenTransferRow;
  dex_swaps: DexSwapRow;
  contracts: ContractRow;
  address_labels: AddressLabelRow;
  indexer_checkpoints: IndexerCheckpointRow;
  token_approvals: TokenApprovalRow;
  dex_pools: DexPoolRow;
  dex_pool_events: DexPoolEventRow;
  graph_snapshots: GraphSnapshotRow;
  address_features: AddressFeatureRow;
  address_communities: AddressCommunityRow;
}
