-- Generated from ../002_transactions.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS transactions_local ON CLUSTER '{cluster}'
(
    chain_id                 UInt64,
    block_number             UInt64,
    block_hash               String,
    block_timestamp          DateTime('UTC'),
    transaction_index        UInt32,
    hash                     String,
    nonce                    UInt64,
    from_address             String,
    to_address               Nullable(String),
    value                    UInt256,
    gas                      UInt64,
    gas_price                Nullable(UInt256),
    max_fee_per_gas          Nullable(UInt256),
    max_priority_fee_per_gas Nullable(UInt256),
    transaction_type         UInt8 DEFAULT 0,
    input                    String CODEC(ZSTD(3)),
    method_id                String MATERIALIZED if(length(input) >= 10, substring(input, 1, 10), ''),
    status                   Nullable(UInt8),
    gas_used                 Nullable(UInt64),
    cumulative_gas_used      Nullable(UInt64),
    effective_gas_price      Nullable(UInt256),
    contract_address         Nullable(String),
    version                  UInt64,
    is_deleted               UInt8 DEFAULT 0,
    INDEX idx_hash hash TYPE bloom_filter GRANULARITY 4,
    INDEX idx_from from_address TYPE bloom_filter GRANULARITY 4,
    INDEX idx_to to_address TYPE bloom_filter GRANULARITY 4
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/transactions_local', '{replica}', version, is_deleted)
PARTITION BY intDiv(block_number, 1000000)
ORDER BY (chain_id, block_number, transaction_index);

CREATE TABLE IF NOT EXISTS transactions ON CLUSTER '{cluster}' AS transactions_local
ENGINE = Distributed('{cluster}', currentDatabase(), transactions_local, cityHash64(chain_id, block_number, transaction_index));
