-- One row per risk scoring of a snapshot (chaingnn risk score): the model version that scored it, how many
-- addresses, and when. The API asks for the latest scoring every few seconds: here that reads a row per scoring,
-- where counting it from `risk_scores` read every score. insertRiskScores writes a scoring here after its scores,
-- so a scoring listed here is complete. A scoring writes every address of its snapshot, so the snapshot's newest
-- scoring is its current one (the newest `scored_at` wins), as in `risk_scores`.
CREATE TABLE IF NOT EXISTS risk_scorings
(
    chain_id       UInt64,
    snapshot_id    String,
    model_version  UInt32,
    addresses      UInt64,
    scored_at      DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(scored_at)
ORDER BY (chain_id, snapshot_id);

-- Scorings written before this table existed.
INSERT INTO risk_scorings
SELECT chain_id, snapshot_id, argMax(model_version, scored_at), count(), max(scored_at)
FROM risk_scores FINAL
GROUP BY chain_id, snapshot_id;
