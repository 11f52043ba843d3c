-- The risk scores of `risk_scores` without their reasons, as a key-value store for point lookups: the API reads
-- the scores of up to 1,000 addresses at once, and a MergeTree answers that by scanning every address of the
-- snapshot (the addresses asked are spread over all of its granules), while a key-value store reads only the
-- keys asked, however many addresses the snapshot holds. `key` is '<chain_id>/<snapshot_id>/<address>'; writing a
-- key again replaces its row, so the last scoring of a snapshot written wins. insertRiskScores writes a scoring
-- here before it writes `risk_scores`, so every score the API learns of (from `risk_scores`) is already here.
-- The cluster variant is a ReplicatedReplacingMergeTree ordered by `key` (EmbeddedRocksDB is not replicated):
-- the same rows and the same last-write-wins, without the point lookups.
CREATE TABLE IF NOT EXISTS risk_score_lookup
(
    key                 String,
    chain_id            UInt64,
    snapshot_id         String,
    address             String,
    score               Float64,
    category            LowCardinality(String),
    model_version       UInt32,
    architecture        LowCardinality(String),
    scored_snapshot_id  String,
    scored_at           DateTime64(3, 'UTC')
)
ENGINE = EmbeddedRocksDB
PRIMARY KEY key;

-- Scores written before this table existed.
INSERT INTO risk_score_lookup
SELECT concat(toString(chain_id), '/', snapshot_id, '/', address), chain_id, snapshot_id, address, score, category,
       model_version, architecture, scored_snapshot_id, scored_at
FROM risk_scores FINAL;
