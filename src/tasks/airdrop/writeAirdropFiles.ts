import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatUnits } from 'viem';
import { stringifyJson } from '../../utils/stringifyJson.js';
import { openAtomicFile, writeFileAtomic } from '../../utils/writeFileAtomic.js';
import type { AirdropRun } from './runAirdrop.js';
import { writeClaimTreeFiles } from './writeClaimTreeFiles.js';

/** The columns of `targets.csv`. */
export const targetsCsvColumns = [
  'rank',
  'address',
  'amount',
  'amount_tokens',
  'engagement',
  'sybil_probability',
  'cluster_id',
  'excluded',
  'reason',
] as const;

/** The files a run wrote, by name. */
export type AirdropFiles = Record<'targets' | 'report' | 'merkleTree' | 'claims', string | undefined>;

/**
 * Writes a run's files into `dir`: `targets.csv` (every eligible address: recipients by rank, then the excluded),
 * `merkle-tree.json` (OpenZeppelin StandardMerkleTree dump) and `claims.json` (root, amount and proof per address)
 * when anyone receives, and `report.json` (the campaign row, clusters, the sybil model and the evaluation). Each file
 * is written to a temporary name and renamed into place.
 */
export function writeAirdropFiles(run: AirdropRun, dir: string): AirdropFiles {
  mkdirSync(dir, { recursive: true });
  const decimals = run.campaign.token_decimals;
  const targets = join(dir, 'targets.csv');
  const csv = openAtomicFile(targets);
  try {
    const lines = [targetsCsvColumns.join(',')];
    for (const t of run.targets) {
      lines.push(
        [
          t.rank,
          t.address,
          t.amount,
          formatUnits(t.amount, decimals),
          t.engagement.toFixed(6),
          t.sybil_probability.toFixed(6),
          t.cluster_id,
          t.excluded,
          t.reason,
        ].join(','),
      );
      if (lines.length >= 10_000) csv.write(Buffer.from(`${lines.splice(0).join('\n')}\n`));
    }
    if (lines.length) csv.write(Buffer.from(`${lines.join('\n')}\n`));
    csv.commit();
  } catch (error) {
    csv.abort();
    throw error;
  }
  const tree = run.tree ? writeClaimTreeFiles(run.tree, dir) : undefined;
  const report = join(dir, 'report.json');
  const { sybilModel } = run;
  writeFileAtomic(
    report,
    stringifyJson({
      campaign: { ...run.campaign, config: JSON.parse(run.campaign.config) },
      clusters: run.clusters.map((c) => ({ id: c.id, size: c.members.length, links: c.links })),
      sybilModel: sybilModel.trained
        ? {
            labels: sybilModel.labels,
            folds: sybilModel.folds,
            rocAuc: sybilModel.rocAuc,
            prAuc: sybilModel.prAuc,
          }
        : sybilModel,
      evaluation: run.evaluation,
    }),
  );
  return { targets, report, merkleTree: tree?.merkleTree.path, claims: tree?.claims.path };
}
