-- Contracts by address: who created them, when, their code size and hash, and the detected standard
-- (erc20, erc721, erc1155, uniswap_v2_pair, uniswap_v3_pool, unknown).
CREATE TABLE IF NOT EXISTS contracts
(
    chain_id         UInt64,
    address          String,
    creator_address  String,
    transaction_hash String,
    block_number     UInt64,
    block_hash       String,
    block_timestamp  DateTime('UTC'),
    code_size        UInt32 DEFAULT 0,
    code_hash        String DEFAULT '',
    standard         LowCardinality(String) DEFAULT 'unknown',
    version          UInt64,
    is_deleted       UInt8 DEFAULT 0
)
ENGINE = ReplacingMergeTree(version, is_deleted)
ORDER BY (chain_id, address);
