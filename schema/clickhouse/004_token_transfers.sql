-- Decoded token movements: ERC-20 Transfer, ERC-721 Transfer, ERC-1155 TransferSingle/TransferBatch.
-- One row per moved token; `batch_index` numbers the items of one TransferBatch log (0 otherwise).
CREATE TABLE IF NOT EXISTS token_transfers
(
    chain_id          UInt64,
    block_number      UInt64,
    block_hash        String,
    block_timestamp   DateTime('UTC'),
    transaction_index UInt32,
    transaction_hash  String,
    log_index         UInt32,
    batch_index       UInt32 DEFAULT 0,
    token_address     String,
    token_standard    Enum8('erc20' = 1, 'erc721' = 2, 'erc1155' = 3),
    operator          Nullable(String),
    from_address      String,
    to_address        String,
    token_id          Nullable(UInt256),
    value             UInt256,
    version           UInt64,
    is_deleted        UInt8 DEFAULT 0,
    INDEX idx_token token_address TYPE bloom_filter GRANULARITY 4,
    INDEX idx_from from_address TYPE bloom_filter GRANULARITY 4,
    INDEX idx_to to_address TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplacingMergeTree(version, is_deleted)
PARTITION BY intDiv(block_number, 1000000)
ORDER BY (chain_id, block_number, log_index, batch_index);
