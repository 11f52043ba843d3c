-- API keys for the GraphQL API (chaingnn apikey create|list|revoke). This table holds no chain data, so, unlike
-- every other table, it has no `chain_id`. It never holds a key itself: a key is `cgn_<key_id>_<secret>`, shown
-- once when created, and only the hex SHA-256 of its secret is stored here (`key_hash`). `role` is `reader` or
-- `admin`. Revoking a key writes its row again with `is_revoked = 1` and a later `updated_at`: the newest
-- `updated_at` wins.
CREATE TABLE IF NOT EXISTS api_keys
(
    key_id      String,
    name        String,
    role        LowCardinality(String),
    key_hash    String,
    created_at  DateTime64(3, 'UTC'),
    updated_at  DateTime64(3, 'UTC') DEFAULT now64(3),
    is_revoked  UInt8 DEFAULT 0
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY key_id;
