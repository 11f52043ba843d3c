import { Command, InvalidArgumentError } from 'commander';
import { type NodeArchitecture, nodeArchitectures } from '../gnn/models/nodeModelConfig.js';
import { describeContractLabelRisk, type LabelledContracts } from '../tasks/risk/countLabelledContracts.js';
import type { ExplainedRisk } from '../tasks/risk/explainRisk.js';
import type { MetricSpread, RiskModelCard } from '../tasks/risk/RiskModelCard.js';
import type { ScoreRiskResult } from '../tasks/risk/scoreRisk.js';
import type { RiskTrainingProgress } from '../tasks/risk/trainRiskModel.js';
import { formatTable } from '../utils/formatTable.js';
import { openMigratedWarehouse } from '../warehouse/openMigratedWarehouse.js';
import { addTrainingOptions, type TrainingOptionValues, toTrainingSettings } from './addTrainingOptions.js';
import { createProgressReporter } from './createProgressReporter.js';
import { parsePositiveInteger, parseWholeNumber } from './parseOptions.js';
import { runCommand } from './runCommand.js';

/** The options `risk score` and `risk explain` share: which snapshot and which model. */
interface TargetOptions {
  snapshot?: string;
  chainId?: number;
  modelVersion?: number;
  json?: boolean;
}

/** The options of `chaingnn risk train`, as commander parses them. */
interface RiskTrainOptions extends TrainingOptionValues {
  models: NodeArchitecture[];
  graphOnly?: boolean;
  cv?: number;
  categories?: string[];
}

/** `chaingnn risk train|score|explain`: calibrated risk scores of addresses, with reasons. */
export function riskCommand(): Command {
  const risk = new Command('risk').description(
    'risk scores: the calibrated probability that an address is malicious, with reasons',
  );
  const train = risk
    .command('train')
    .description(
      'train graph models and the mlp baseline, select one on validation, calibrate it, save it with its card',
    )
    .option(
      '--models <list>',
      `graph candidates, comma-separated (${nodeArchitectures.filter((a) => a !== 'mlp').join(', ')}); the mlp baseline is always trained`,
      parseArchitectures,
      ['sage', 'gcn', 'gat'],
    )
    .option('--graph-only', 'select among the graph models only (the mlp is still trained and reported)')
    .option(
      '--cv <k>',
      'also run stratified k-fold cross-validation and report mean ± std',
      parsePositiveInteger,
    )
    .option(
      '--categories <list>',
      'label categories that make an address positive, comma-separated (default: every malicious category)',
      (value: string) => value.split(',').map((c) => c.trim()),
    )
    .option(
      '--epochs <n>',
      'most epochs per model (early stopping may end sooner)',
      parsePositiveInteger,
      100,
    );
  addTrainingOptions(train, 'seeds the split, the folds and the weights').action(
    (options: RiskTrainOptions) =>
      runCommand(async (common) => {
        const warehouse = await openMigratedWarehouse(common);
        const reporter = createProgressReporter(common.logger);
        const { trainRiskModel } = await import('../tasks/risk/trainRiskModel.js');
        let current = '';
        const { card, dir } = await trainRiskModel({
          warehouse,
          logger: common.logger,
          dataDir: common.config.dataDir,
          backend: common.config.tfBackend,
          threads: common.config.tfThreads,
          architectures: options.models,
          selectBaseline: !options.graphOnly,
          crossValidation: options.cv,
          categories: options.categories,
          ...toTrainingSettings(options),
          onEpoch: (p: RiskTrainingProgress) => {
            const run = `${p.fold === undefined ? 'final' : `fold ${p.fold + 1}/${options.cv}`} ${p.architecture}`;
            if (current !== '' && current !== run) reporter.done();
            current = run;
            reporter.report(p.epoch === p.epochs, () => ({
              share: p.epoch / p.epochs,
              message: 'training',
              fields: {
                fold: p.fold,
                model: p.architecture,
                epoch: p.epoch,
                loss: p.loss,
                validation: p.validation,
              },
              text:
                `${run} epoch ${p.epoch}/${p.epochs} · loss ${p.loss.toFixed(4)} · validation ${p.metric} ` +
                `${p.validation.toFixed(3)} (best ${p.best.toFixed(3)} at ${p.bestEpoch}) · ${p.seconds.toFixed(1)} s`,
            }));
          },
        });
        reporter.done();
        process.stdout.write(options.json ? `${JSON.stringify(card, null, 2)}\n` : formatRiskCard(card, dir));
      }),
  );
  withTarget(
    risk
      .command('score')
      .description("score every address of a snapshot into risk_scores, with each address's reasons")
      .option(
        '--incremental',
        'rescore only addresses whose neighbourhood changed since the last snapshot this model scored',
      ),
  ).action((options: TargetOptions & { incremental?: boolean }) =>
    runCommand(async (common) => {
      const warehouse = await openMigratedWarehouse(common);
      const reporter = createProgressReporter(common.logger);
      const { scoreRisk } = await import('../tasks/risk/scoreRisk.js');
      const result = await scoreRisk({
        warehouse,
        logger: common.logger,
        dataDir: common.config.dataDir,
        backend: common.config.tfBackend,
        threads: common.config.tfThreads,
        snapshotId: options.snapshot,
        chainId: options.chainId,
        modelVersion: options.modelVersion,
        incremental: options.incremental,
        onProgress: (done, total) =>
          reporter.report(done === total, () => ({
            share: done / total,
            message: 'scoring',
            fields: { done, total },
            text: `scored ${done}/${total} addresses`,
          })),
      });
      reporter.done();
      process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatScoreResult(result));
    }),
  );
  withTarget(
    risk
      .command('explain')
      .description("an address's risk score, category and reasons")
      .argument('<address>', '0x-prefixed 20-byte address'),
  ).action((address: string, options: TargetOptions) =>
    runCommand(async (common) => {
      const warehouse = await openMigratedWarehouse(common);
      const { explainRisk } = await import('../tasks/risk/explainRisk.js');
      const explained = await explainRisk({
        warehouse,
        logger: common.logger,
        dataDir: common.config.dataDir,
        backend: common.config.tfBackend,
        threads: common.config.tfThreads,
        address,
        snapshotId: options.snapshot,
        chainId: options.chainId,
        modelVersion: options.modelVersion,
      });
      process.stdout.write(
        options.json ? `${JSON.stringify(explained, null, 2)}\n` : formatExplanation(explained),
      );
    }),
  );
  return risk;
}

/** Adds the options that pick a snapshot and a model. */
function withTarget(command: Command): Command {
  return command
    .option('--snapshot <id>', 'graph snapshot (default: the latest of the chain)')
    .option('--chain-id <n>', 'chain (default: the only chain in the warehouse)', parseWholeNumber)
    .option(
      '--model-version <n>',
      'risk model version (default: the latest trained by chaingnn risk train)',
      parsePositiveInteger,
    )
    .option('--json', 'print JSON');
}

/** Parses `sage,gcn,gat` into graph architectures. */
function parseArchitectures(value: string): NodeArchitecture[] {
  const names = value.split(',').map((name) => name.trim());
  const graph = nodeArchitectures.filter((a) => a !== 'mlp') as readonly string[];
  const bad = names.filter((name) => !graph.includes(name));
  if (bad.length > 0 || names.length === 0) {
    throw new InvalidArgumentError(`expected some of ${graph.join(', ')}, got ${bad.join(', ') || 'none'}`);
  }
  return names as NodeArchitecture[];
}

/** The card's line on labelled contracts, and its warning when every labelled contract is positive (none on older cards). */
function formatContractLabels(counts: LabelledContracts | undefined): string[] {
  if (!counts) return [];
  const warning = describeContractLabelRisk(counts);
  return [
    `  contracts    ${counts.positive} positive, ${counts.negative} negative (contracts, tokens and pools among the labelled)`,
    ...(warning ? [`  warning      ${warning}`] : []),
  ];
}

const shown = ['rocAuc', 'prAuc', 'f1', 'precision', 'recall', 'ece', 'eceUncalibrated', 'brier'];

/** The card for people: data, split, selection, calibration, every candidate's test metrics, the cross-validation. */
function formatRiskCard(card: RiskModelCard, dir: string): string {
  const { labels, split, selection, calibration } = card;
  const counts = (byCategory: Record<string, number>) =>
    Object.entries(byCategory)
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => `${name} ${n}`)
      .join(', ') || 'none';
  const parts = split.parts as Record<string, { nodes: number; positives: number }>;
  const constant = Object.keys(card.constantFeatures);
  const lines = [
    `risk model v${card.version} (${card.model.architecture}, chosen on validation), saved in ${dir}`,
    `  snapshot     ${card.snapshotId}: ${labels.nodes} nodes, ${card.featureNames.length} features; backend ${card.backend}`,
    `  missing      ${constant.length ? `${constant.join(', ')} (constant in the training data: held at that value when scoring)` : 'no feature group'}`,
    `  positive     ${labels.positive}: ${labels.positives} (${counts(labels.categories.positive)})`,
    `  negative     ${labels.negative}: ${labels.labelledNegatives} labelled (${counts(labels.categories.negative)})` +
      (labels.unlabelledAsNegative ? ` + ${labels.unlabelledNegatives} unlabelled, assumed clean` : ''),
    ...formatContractLabels(card.labelledContracts),
    `  split        ${split.kind}: ${Object.entries(parts)
      .map(([part, p]) => `${part} ${p.nodes} (${p.positives} positive)`)
      .join(', ')}`,
    `  selection    ${selection.by}: ${selection.chosen}`,
    `  calibration  Platt scaling on ${calibration.fittedOn}: σ(${calibration.a.toFixed(3)} · log-odds ${calibration.b < 0 ? '-' : '+'} ${Math.abs(calibration.b).toFixed(3)})`,
    '',
    formatTable(
      [
        { name: 'model' },
        { name: 'validation rocAuc', alignRight: true },
        ...shown.map((name) => ({ name: `test ${name}`, alignRight: true })),
      ],
      selection.candidates.map((c) => [
        `${c.architecture}${c.architecture === selection.chosen ? ' (chosen)' : ''}${c.architecture === 'mlp' ? ' (baseline)' : ''}`,
        c.validation.rocAuc.toFixed(3),
        ...shown.map((name) => c.test[name]!.toFixed(3)),
      ]),
    ),
    'Test metrics use calibrated scores; the F1 threshold is chosen on validation. ece: expected calibration error (10 bins).',
  ];
  const cv = card.crossValidation;
  if (cv) {
    const spread = (s: MetricSpread, name: string) =>
      `${s.mean[name]!.toFixed(3)} ± ${s.std[name]!.toFixed(3)}`;
    const names = ['rocAuc', 'prAuc', 'f1', 'ece'];
    lines.push(
      '',
      `Cross-validation: ${cv.scheme}; mean ± sample std over ${cv.folds} folds (seed ${cv.seed}):`,
      formatTable(
        [{ name: 'model' }, ...names.map((name) => ({ name, alignRight: true }))],
        [
          ...Object.entries(cv.models).map(([architecture, s]) => [
            `${architecture}${architecture === 'mlp' ? ' (baseline)' : ''}`,
            ...names.map((name) => spread(s, name)),
          ]),
          [
            `selected (${cv.perFold.map((f) => f.chosen).join(', ')})`,
            ...names.map((name) => spread(cv.selected, name)),
          ],
        ],
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** What `risk score` did, for people. */
function formatScoreResult(result: ScoreRiskResult): string {
  const changes = result.changes;
  return [
    `Scored snapshot ${result.snapshotId} with risk model v${result.modelVersion} (${result.architecture}) in ${result.seconds.toFixed(1)} s: ` +
      `${result.addresses} addresses, ${result.rescored} scored, ${result.carriedForward} carried forward` +
      (result.previousSnapshotId ? ` from ${result.previousSnapshotId}` : ''),
    ...(changes
      ? [
          `  changed      ${changes.changed} addresses (${changes.added} new; ${changes.edgesChanged} edges new or changed, ${changes.edgesRemoved} gone); rescored within the model's reach of them`,
        ]
      : []),
    `  categories   ${Object.entries(result.categories)
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => `${name} ${n}`)
      .join(', ')}`,
    `  scores       ≥ 0.5: ${result.atLeast['0.5']}, ≥ 0.9: ${result.atLeast['0.9']}`,
    '',
  ].join('\n');
}

/** An explanation for people: the score, the category, one reason per line. */
function formatExplanation(explained: ExplainedRisk): string {
  return [
    `${explained.address} in snapshot ${explained.snapshotId} (risk model v${explained.modelVersion}, ${explained.architecture}): ` +
      `score ${explained.score.toFixed(3)}, category ${explained.category}`,
    ...explained.reasons.map((reason) => `  - ${reason.text}`),
    '',
  ].join('\n');
}
