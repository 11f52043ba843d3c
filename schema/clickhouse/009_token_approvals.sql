-- Decoded approvals: ERC-20 Approval (an allowance), ERC-721 Approval (one token) and ApprovalForAll
-- (an operator for all of an owner's ERC-721 / ERC-1155 tokens; the event does not say which).
-- `value` is what was granted: the ERC-20 allowance, 1 for an ERC-721 approval or a granted
-- ApprovalForAll, 0 when it was cleared (approved = the zero address) or revoked.
CREATE TABLE IF NOT EXISTS token_approvals
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
ENGINE = ReplacingMergeTree(version, is_deleted)
PARTITION BY intDiv(block_number, 1000000)
ORDER BY (chain_id, block_number, log_index);
