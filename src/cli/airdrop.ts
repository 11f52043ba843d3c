import { resolve } from 'node:path';
import { Command } from 'commander';
import { formatUnits } from 'viem';
import type { AirdropRun } from '../tasks/airdrop/runAirdrop.js';
import type { AirdropFiles } from '../tasks/airdrop/writeAirdropFiles.js';
import { formatTable } from '../utils/formatTable.js';
import { stringifyJson } from '../utils/stringifyJson.js';
import { toAddress } from '../utils/toAddress.js';
import type { AirdropCampaignRow, AirdropTargetRow } from '../warehouse/airdropRows.js';
import { openMigratedWarehouse } from '../warehouse/openMigratedWarehouse.js';
import { parsePositiveInteger, parseWholeNumber } from './parseOptions.js';
import { runCommand } from './runCommand.js';

/** `chaingnn airdrop run|explain`: sybil-filtered, engagement-ranked airdrop lists with a claimable Merkle tree. */
export function airdropCommand(): Command {
  const airdrop = new Command('airdrop').description(
    'airdrop targeting: sybil clusters, genuine users ranked and allocated, CSV and a claimable Merkle tree',
  );
  airdrop
    .command('run')
    .description(
      'run a campaign file: targets into the warehouse, targets.csv, merkle-tree.json, claims.json, report.json',
    )
    .requiredOption('--campaign <file>', 'the campaign JSON file (see README: Airdrop targeting)')
    .requiredOption('--out <dir>', 'directory for the output files (created if missing)')
    .option('--folds <k>', 'cross-fitting folds of the sybil model', parsePositiveInteger, 5)
    .option('--epochs <n>', 'most epochs per fold of the sybil model', parsePositiveInteger, 60)
    .option('--json', 'print the run summary as JSON')
    .action((options: { campaign: string; out: string; folds: number; epochs: number; json?: boolean }) =>
      runCommand(async (common) => {
        const { loadCampaign } = await import('../tasks/airdrop/loadCampaign.js');
        const campaign = loadCampaign(resolve(options.campaign));
        const warehouse = await openMigratedWarehouse(common);
        const { runAirdrop } = await import('../tasks/airdrop/runAirdrop.js');
        const { writeAirdropFiles } = await import('../tasks/airdrop/writeAirdropFiles.js');
        const run = await runAirdrop({
          campaign,
          warehouse,
          logger: common.logger,
          dataDir: common.config.dataDir,
          backend: common.config.tfBackend,
          threads: common.config.tfThreads,
          folds: options.folds,
          epochs: options.epochs,
        });
        const files = writeAirdropFiles(run, resolve(options.out));
        process.stdout.write(
          options.json
            ? `${stringifyJson({ campaign: run.campaign, files, evaluation: run.evaluation }, 2)}\n`
            : formatRun(run, files),
        );
      }),
    );
  airdrop
    .command('explain')
    .description(
      "an address's outcome in a campaign: amount and rank, or why it was excluded, with the evidence",
    )
    .argument('<address>', '0x-prefixed 20-byte address')
    .requiredOption('--campaign <id>', 'campaign id (as in its file)')
    .option('--chain-id <n>', 'chain (default: the campaign’s latest run on any chain)', parseWholeNumber)
    .option('--json', 'print JSON')
    .action((address: string, options: { campaign: string; chainId?: number; json?: boolean }) =>
      runCommand(async (common) => {
        const wanted = toAddress(address);
        const warehouse = await openMigratedWarehouse(common);
        const { explainAirdropTarget } = await import('../tasks/airdrop/explainAirdropTarget.js');
        const explained = await explainAirdropTarget(warehouse, options.campaign, wanted, options.chainId);
        process.stdout.write(
          options.json
            ? `${stringifyJson(explained, 2)}\n`
            : formatExplanation(explained.campaign, explained.target),
        );
      }),
    );
  return airdrop;
}

/** The run for people: what was written, who was excluded and why, and the evaluation against labels. */
function formatRun(run: AirdropRun, files: AirdropFiles): string {
  const c = run.campaign;
  const reasons = new Map<string, number>();
  for (const t of run.targets) if (t.excluded) reasons.set(t.reason, (reasons.get(t.reason) ?? 0) + 1);
  const model = run.sybilModel;
  const lines = [
    `campaign ${c.campaign_id} (${c.name}) on chain ${c.chain_id}, snapshot ${c.snapshot_id}`,
    `  eligible     ${c.eligible} addresses met the minimum activity`,
    `  excluded     ${c.excluded}: ${[...reasons].map(([r, n]) => `${r} ${n}`).join(', ') || 'none'}; ${c.sybil_clusters} sybil clusters`,
    `  sybil model  ${model.trained ? `${model.folds}-fold out-of-fold, trained on ${model.labels === 'labels' ? 'sybil labels' : 'weak labels (the heuristic clusters)'}: ROC-AUC ${model.rocAuc.toFixed(3)}, PR-AUC ${model.prAuc.toFixed(3)} against them` : `not trained (${model.reason})`}`,
    `  recipients   ${c.recipients}, ${formatUnits(c.budget, c.token_decimals)} ${c.token_symbol} by the ${c.allocation_rule} rule`,
    `  merkle root  ${c.merkle_root || '(no recipients)'}`,
    ...Object.entries(files)
      .filter(([, path]) => path)
      .map(([name, path]) => `  ${name.padEnd(12)} ${path}`),
  ];
  if (run.evaluation) {
    const e = run.evaluation;
    const kinds = Object.keys(e.detectors[0]?.byKind ?? {});
    lines.push(
      '',
      `against the sybil labels (${e.sybils} sybil, ${e.genuine} genuine ${e.population}):`,
      formatTable(
        [
          { name: 'detector' },
          ...['precision', 'recall', 'f1'].map((name) => ({ name, alignRight: true })),
          ...kinds.map((kind) => ({ name: `${kind} P/R/F1`, alignRight: true })),
          { name: 'genuine excluded', alignRight: true },
        ],
        e.detectors.map((d) => [
          d.name,
          d.all.precision.toFixed(3),
          d.all.recall.toFixed(3),
          d.all.f1.toFixed(3),
          ...kinds.map((kind) => {
            const k = d.byKind[kind]!;
            return `${k.precision.toFixed(3)}/${k.recall.toFixed(3)}/${k.f1.toFixed(3)}`;
          }),
          `${d.genuineExcluded.count} (${(100 * d.genuineExcluded.share).toFixed(1)}%)`,
        ]),
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One address's outcome for people. */
function formatExplanation(campaign: AirdropCampaignRow, t: AirdropTargetRow): string {
  const lines = [
    `${t.address} in campaign ${campaign.campaign_id} (snapshot ${campaign.snapshot_id})`,
    t.excluded
      ? `  excluded     ${t.reason}${t.cluster_id ? ` (cluster ${t.cluster_id})` : ''}`
      : `  receives     ${formatUnits(t.amount, campaign.token_decimals)} ${campaign.token_symbol} (rank ${t.rank} of ${campaign.recipients})`,
    `  engagement   ${t.engagement.toFixed(3)}`,
    `  sybil model  ${campaign.sybil_labels === 'none' ? 'not trained' : `P(sybil) ${t.sybil_probability.toFixed(3)} (${campaign.sybil_labels} labels, out of fold)`}`,
    ...t.evidence.map((sentence) => `  - ${sentence}`),
    ...(t.peers.length ? [`  peers        ${t.peers.join(', ')}`] : []),
  ];
  return `${lines.join('\n')}\n`;
}
