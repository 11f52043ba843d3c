-- The risk score of every address of a snapshot (chaingnn risk score): the calibrated probability that it is
-- malicious, its most likely malicious category, the model version that scored it, and the reasons as
-- sentences. `scored_snapshot_id` is the snapshot the score was computed on: the row's own snapshot, or, after
-- incremental scoring, the earlier snapshot whose score was carried forward because nothing within the model's
-- reach of the address changed. Scoring a snapshot again replaces its rows (the newest `scored_at` wins).
CREATE TABLE IF NOT EXISTS risk_scores
(
    chain_id            UInt64,
    snapshot_id         String,
    address             String,
    score               Float64,
    category            LowCardinality(String),
    model_version       UInt32,
    architecture        LowCardinality(String),
    scored_snapshot_id  String,
    scored_at           DateTime64(3, 'UTC') DEFAULT now64(3),
    reasons             Array(String)
)
ENGINE = ReplacingMergeTree(scored_at)
ORDER BY (chain_id, snapshot_id, address);
