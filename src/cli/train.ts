import { Command, Option } from 'commander';
import { nodeArchitectures } from '../gnn/models/nodeModelConfig.js';
import { nodeTasks } from '../tasks/training/nodeTasks.js';
import type { TaskModelCard, TrainTaskProgress } from '../tasks/training/trainTask.js';
import { formatTable } from '../utils/formatTable.js';
import { openMigratedWarehouse } from '../warehouse/openMigratedWarehouse.js';
import { addTrainingOptions, type TrainingOptionValues, toTrainingSettings } from './addTrainingOptions.js';
import { createProgressReporter } from './createProgressReporter.js';
import { parsePositiveInteger } from './parseOptions.js';
import { runCommand } from './runCommand.js';

/** The options of `chaingnn train`, as commander parses them. */
interface TrainOptions extends TrainingOptionValues {
  model: (typeof nodeArchitectures)[number];
}

/** `chaingnn train <task>`: trains a task's model and an mlp baseline on a snapshot, saves it, prints the model card. */
export function trainCommand(): Command {
  const command = new Command('train')
    .description(
      'train a task model on a graph snapshot beside an mlp baseline, save it to the registry, print its card',
    )
    .argument(
      '<task>',
      Object.values(nodeTasks)
        .map((task) => `${task.name}: ${task.description}`)
        .join('; '),
    )
    .addOption(
      new Option('--model <name>', 'graph model to train').choices(nodeArchitectures).default('sage'),
    )
    .option('--epochs <n>', 'most epochs (early stopping may end sooner)', parsePositiveInteger, 100);
  return addTrainingOptions(
    command,
    'seeds the split and the weights: the same seed trains the same model',
  ).action((task: string, options: TrainOptions) =>
    runCommand(async (common) => {
      const warehouse = await openMigratedWarehouse(common);
      const reporter = createProgressReporter(common.logger);
      let role: TrainTaskProgress['role'] | undefined;
      const { trainTask } = await import('../tasks/training/trainTask.js');
      const { card, dir } = await trainTask({
        warehouse,
        logger: common.logger,
        dataDir: common.config.dataDir,
        backend: common.config.tfBackend,
        threads: common.config.tfThreads,
        task,
        model: options.model,
        ...toTrainingSettings(options),
        onEpoch: (p) => {
          if (role !== undefined && role !== p.role) reporter.done();
          role = p.role;
          reporter.report(p.epoch === p.epochs, () => ({
            share: p.epoch / p.epochs,
            message: 'training',
            fields: {
              model: p.architecture,
              role: p.role,
              epoch: p.epoch,
              loss: p.loss,
              validation: p.validation,
            },
            text:
              `${p.architecture}${p.role === 'baseline' ? ' (baseline)' : ''} epoch ${p.epoch}/${p.epochs} · ` +
              `loss ${p.loss.toFixed(4)} · validation ${p.metric} ${p.validation.toFixed(3)} ` +
              `(best ${p.best.toFixed(3)} at ${p.bestEpoch}) · ${p.seconds.toFixed(1)} s`,
          }));
        },
      });
      reporter.done();
      process.stdout.write(options.json ? `${JSON.stringify(card, null, 2)}\n` : formatCard(card, dir));
    }),
  );
}

/** The card for people: what was trained on what, how the labels and split were made, metrics beside the baseline's. */
function formatCard(card: TaskModelCard, dir: string): string {
  const { labels, training, split } = card;
  const counts = (byCategory: Record<string, number>) =>
    Object.entries(byCategory)
      .sort((a, b) => b[1] - a[1])
      .map(([name, n]) => `${name} ${n}`)
      .join(', ');
  const unlabelled =
    labels.nodes - labels.positives - labels.labelledNegatives - labels.unlabelledNegatives - labels.excluded;
  const parts = split.parts as Record<string, { nodes: number; positives: number }>;
  const how =
    split.kind === 'time'
      ? `by first-seen block (train to block ${split.trainUntilBlock}, validation to ${split.validationUntilBlock})`
      : `at random, class shares kept (seed ${split.seed})`;
  const lines = [
    `${card.task} model v${card.version} (${card.model.architecture}), saved in ${dir}`,
    `  snapshot  ${card.snapshotId}: ${labels.nodes} nodes, ${card.featureNames.length} features; backend ${card.backend}`,
    `  positive  ${labels.positive}: ${labels.positives} (${counts(labels.categories.positive)})`,
    `  negative  ${labels.negative}: ${labels.labelledNegatives} labelled (${counts(labels.categories.negative)})` +
      (labels.unlabelledAsNegative ? ` + ${labels.unlabelledNegatives} unlabelled, assumed clean` : ''),
    `  left out  ${
      [
        labels.excluded ? `${labels.excluded} labelled ${labels.excludedCategories.join(' or ')}` : '',
        labels.unlabelledAsNegative ? '' : `${unlabelled} unlabelled`,
      ]
        .filter(Boolean)
        .join(', ') || 'none'
    }; ${labels.labelledNotInSnapshot} labelled addresses are not in the snapshot`,
    `  split     ${split.kind} ${how}: ${Object.entries(parts)
      .map(([part, p]) => `${part} ${p.nodes} (${p.positives} positive)`)
      .join(', ')}`,
    `  training  ${training.epochsRun} of ${training.epochs} epochs, best ${training.bestEpoch} ` +
      `(validation ${training.monitor} ${Number(training.bestValidation).toFixed(3)})` +
      `${training.stoppedEarly ? ', stopped early' : ''}, ${Number(training.seconds).toFixed(1)} s`,
    '',
  ];
  const names = Object.keys(card.metrics);
  const table = formatTable(
    [
      { name: 'test metric' },
      { name: card.model.architecture, alignRight: true },
      { name: `${card.baseline?.architecture ?? 'mlp'} (baseline)`, alignRight: true },
    ],
    names.map((name) => [
      name === 'precisionAtK' || name === 'recallAtK' ? `${name} (k ${training.k})` : name,
      card.metrics[name]!.toFixed(3),
      card.baseline?.metrics[name]?.toFixed(3) ?? '',
    ]),
  );
  return `${lines.join('\n')}\n${table}\nThe threshold (F1) is chosen on the validation nodes and applied unchanged to the test nodes.\n`;
}
