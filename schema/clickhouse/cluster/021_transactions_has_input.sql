-- Generated from ../021_transactions_has_input.sql by `chaingnn schema cluster`. Do not edit: edit the source.

ALTER TABLE transactions_local ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS has_input UInt8 MATERIALIZED input != '0x' AFTER method_id;

ALTER TABLE transactions ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS has_input UInt8 MATERIALIZED input != '0x' AFTER method_id;

ALTER TABLE transactions_local ON CLUSTER '{cluster}' MATERIALIZE COLUMN has_input;
