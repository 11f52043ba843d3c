-- Generated from ../006_contracts.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS contracts_local ON CLUSTER '{cluster}'
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/contracts_local', '{replica}', version, is_deleted)
ORDER BY (chain_id, address);

CREATE TABLE IF NOT EXISTS contracts ON CLUSTER '{cluster}' AS contracts_local
ENGINE = Distributed('{cluster}', currentDatabase(), contracts_local, cityHash64(chain_id, address));
