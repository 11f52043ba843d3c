-- Generated from ../009_token_approvals.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS token_approvals_local ON CLUSTER '{cluster}'
(
    chain_id          UInt64,
    block_number      UInt64,
    block_hash        String,
    block_timestamp   DateTime('UTC'),
    transaction_index UInt32,
    transaction_hash  String,
    log_index         UInt32,
    token_address     String,
    approval_type     Enum8('erc20' = 1, 'erc721' = 2, 'approval_for_all' = 3),
    owner_address     String,
    spender_address   String,
    token_id          Nullable(UInt256),
    value             UInt256,
    version           UInt64,
    is_deleted        UInt8 DEFAULT 0,
    INDEX idx_token token_address TYPE bloom_filter GRANULARITY 4,
    INDEX idx_owner owner_address TYPE bloom_filter GRANULARITY 4,
    INDEX idx_spender spender_address TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/token_approvals_local', '{replica}', version, is_deleted)
PARTITION BY intDiv(block_number, 1000000)
ORDER BY (chain_id, block_number, log_index);

CREATE TABLE IF NOT EXISTS token_approvals ON CLUSTER '{cluster}' AS token_approvals_local
ENGINE = Distributed('{cluster}', currentDatabase(), token_approvals_local, cityHash64(chain_id, block_number, log_index));
