import type { Logger } from 'pino';
import { getRiskScoredSnapshots } from '../../warehouse/getRiskScoredSnapshots.js';
import { getRiskScores } from '../../warehouse/getRiskScores.js';
import { insertRiskScores, type RiskScoreRow } from '../../warehouse/insertRiskScores.js';
import { loadSnapshot } from '../graphs/loadSnapshot.js';
import { createRiskExplainer, type RiskExplainerContext } from './createRiskExplainer.js';
import { findRescoreNodes, type RescoreNodes } from './findRescoreNodes.js';
import { type LoadRiskContextOptions, loadRiskContext } from './loadRiskContext.js';

/** Options for {@link scoreRisk}. */
export interface ScoreRiskOptions extends LoadRiskContextOptions {
  /**
   * Rescore only the addresses whose neighbourhood changed since the newest earlier snapshot this model version
   * scored, carrying the other scores forward (every address is scored when there is none).
   */
  incremental?: boolean | undefined;
  /** After every address scored. */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/** What {@link scoreRisk} wrote. */
export interface ScoreRiskResult {
  chainId: number;
  snapshotId: string;
  modelVersion: number;
  architecture: string;
  /** Every address of the snapshot got a row: rescored, or carried forward from `previousSnapshotId`. */
  addresses: number;
  rescored: number;
  carriedForward: number;
  previousSnapshotId?: string;
  /** What changed since the previous snapshot (incremental scoring only). */
  changes?: Omit<RescoreNodes, 'rescore'>;
  /** Addresses per category, and with a score of at least 0.5 and 0.9. */
  categories: Record<string, number>;
  atLeast: { '0.5': number; '0.9': number };
  seconds: number;
}

/**
 * Scores every address of a snapshot with the calibrated risk model into `risk_scores` (score, category, model
 * version, reasons): all of them, or with `incremental` only those within the model's reach of a change since the
 * previous snapshot it scored (see findRescoreNodes), the others' rows carried forward with the snapshot they were
 * computed on.
 */
export async function scoreRisk(options: ScoreRiskOptions): Promise<ScoreRiskResult> {
  const started = performance.now();
  const context = await loadRiskContext(options);
  try {
    const { card, content } = context;
    const { snapshot } = content;
    const chainId = snapshot.point.chainId;
    const carried = options.incremental ? await findCarried(options, context) : undefined;
    const rescore = carried?.rescore ?? Uint32Array.from(snapshot.nodes.addresses, (_, v) => v);
    const explainer = createRiskExplainer(context);
    const scoredAt = Date.now();
    const rows: RiskScoreRow[] = [];
    const architecture = card.model.architecture;
    for (const [i, v] of rescore.entries()) {
      const explained = explainer.explain(v);
      rows.push({
        chain_id: chainId,
        snapshot_id: snapshot.id,
        address: explained.address,
        score: explained.score,
        category: explained.category,
        model_version: card.version,
        architecture,
        scored_snapshot_id: snapshot.id,
        scored_at: scoredAt,
        reasons: explained.reasons.map((reason) => reason.text),
      });
      options.onProgress?.(i + 1, rescore.length);
    }
    for (const row of carried?.rows ?? []) {
      rows.push({ ...row, snapshot_id: snapshot.id, scored_at: scoredAt });
    }
    await insertRiskScores(options.warehouse, rows);
    const categories: Record<string, number> = {};
    for (const row of rows) categories[row.category] = (categories[row.category] ?? 0) + 1;
    const result: ScoreRiskResult = {
      chainId,
      snapshotId: snapshot.id,
      modelVersion: card.version,
      architecture,
      addresses: rows.length,
      rescored: rescore.length,
      carriedForward: rows.length - rescore.length,
      ...(carried?.previousSnapshotId
        ? { previousSnapshotId: carried.previousSnapshotId, changes: carried.changes }
        : {}),
      categories,
      atLeast: {
        '0.5': rows.filter((r) => r.score >= 0.5).length,
        '0.9': rows.filter((r) => r.score >= 0.9).length,
      },
      seconds: (performance.now() - started) / 1000,
    };
    options.logger.info(result, 'risk scores written');
    return result;
  } finally {
    context.model.dispose();
  }
}

/**
 * For incremental scoring: the newest other snapshot, at or before this one, that this model version scored; the
 * nodes to rescore (within the model's reach of a change, and any without a previous score) and the rows to carry
 * forward. Undefined when there is no such snapshot.
 */
async function findCarried(
  options: ScoreRiskOptions & { logger: Logger },
  context: RiskExplainerContext,
): Promise<
  | {
      previousSnapshotId: string;
      rescore: Uint32Array;
      rows: RiskScoreRow[];
      changes: Omit<RescoreNodes, 'rescore'>;
    }
  | undefined
> {
  const { card, content } = context;
  const { snapshot } = content;
  const chainId = snapshot.point.chainId;
  const previous = (await getRiskScoredSnapshots(options.warehouse, chainId)).find(
    (s) =>
      s.modelVersion === card.version &&
      s.snapshotId !== snapshot.id &&
      s.asOfBlock <= snapshot.point.asOfBlock,
  );
  if (previous === undefined) {
    options.logger.info(
      { snapshot: snapshot.id, modelVersion: card.version },
      'no earlier snapshot scored by this model version: scoring every address',
    );
    return undefined;
  }
  const before = await loadSnapshot(options.warehouse, options.dataDir, {
    snapshotId: previous.snapshotId,
    chainId,
  });
  const { rescore, ...changes } = findRescoreNodes(before.content, content, context.model.convs.length);
  const scores = new Map(
    (await getRiskScores(options.warehouse, chainId, previous.snapshotId))
      .filter((row) => row.model_version === card.version)
      .map((row) => [row.address, row]),
  );
  const marked = new Uint8Array(snapshot.nodes.addresses.length);
  for (const v of rescore) marked[v] = 1;
  const rows: RiskScoreRow[] = [];
  const nodes: number[] = [];
  for (const [v, address] of snapshot.nodes.addresses.entries()) {
    const row = marked[v] ? undefined : scores.get(address);
    if (row === undefined) nodes.push(v);
    else rows.push(row);
  }
  return { previousSnapshotId: previous.snapshotId, rescore: Uint32Array.from(nodes), rows, changes };
}
