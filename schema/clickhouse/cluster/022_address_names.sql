-- Generated from ../022_address_names.sql by `chaingnn schema cluster`. Do not edit: edit the source.

CREATE TABLE IF NOT EXISTS address_names_local ON CLUSTER '{cluster}'
(
    chain_id  UInt64,
    key       UInt64,
    address   String
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/address_names_local', '{replica}')
ORDER BY (chain_id, key, address);

CREATE TABLE IF NOT EXISTS address_names ON CLUSTER '{cluster}' AS address_names_local
ENGINE = Distributed('{cluster}', currentDatabase(), address_names_local, cityHash64(chain_id, key, address));

CREATE MATERIALIZED VIEW IF NOT EXISTS address_names_of_transactions ON CLUSTER '{cluster}' TO address_names AS
SELECT DISTINCT chain_id, cityHash64(address) AS key, address
FROM transactions_local
ARRAY JOIN [from_address, ifNull(to_address, from_address)] AS address;

CREATE MATERIALIZED VIEW IF NOT EXISTS address_names_of_token_transfers ON CLUSTER '{cluster}' TO address_names AS
SELECT DISTINCT chain_id, cityHash64(address) AS key, address
FROM token_transfers_local
ARRAY JOIN [from_address, to_address, token_address] AS address;

CREATE MATERIALIZED VIEW IF NOT EXISTS address_names_of_dex_swaps ON CLUSTER '{cluster}' TO address_names AS
SELECT DISTINCT chain_id, cityHash64(address) AS key, address
FROM dex_swaps_local
ARRAY JOIN [recipient, pool_address] AS address;

CREATE MATERIALIZED VIEW IF NOT EXISTS address_names_of_contracts ON CLUSTER '{cluster}' TO address_names AS
SELECT DISTINCT chain_id, cityHash64(address) AS key, address
FROM contracts_local;

INSERT INTO address_names
SELECT DISTINCT chain_id, cityHash64(address) AS key, address
FROM (
    SELECT chain_id, [from_address, ifNull(to_address, from_address)] AS addresses FROM transactions
    UNION ALL
    SELECT chain_id, [from_address, to_address, token_address] FROM token_transfers
    UNION ALL
    SELECT chain_id, [recipient, pool_address] FROM dex_swaps
    UNION ALL
    SELECT chain_id, [address] FROM contracts
)
ARRAY JOIN addresses AS address;
