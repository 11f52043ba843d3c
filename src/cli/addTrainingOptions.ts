import { type Command, Option } from 'commander';
import { type TaskSplitKind, taskSplitKinds } from '../tasks/training/buildTaskSplit.js';
import { parsePositiveInteger, parsePositiveNumber, parseWholeNumber } from './parseOptions.js';

/** What commander parses from the shared training options (each command adds its own `--epochs`). */
export interface TrainingOptionValues {
  epochs: number;
  patience: number;
  learningRate: number;
  hidden?: number;
  layers?: number;
  seed: number;
  split: TaskSplitKind;
  snapshot?: string;
  chainId?: number;
  labelSource?: string[];
  unlabelledAsNegative?: boolean;
  minPerClass: number;
  k?: number;
  json?: boolean;
}

/** The shared training options as the training pipelines (trainTask, trainRiskModel) name them. */
export function toTrainingSettings(options: TrainingOptionValues) {
  return {
    epochs: options.epochs,
    patience: options.patience,
    learningRate: options.learningRate,
    hiddenChannels: options.hidden,
    numLayers: options.layers,
    seed: options.seed,
    split: options.split,
    snapshotId: options.snapshot,
    chainId: options.chainId,
    labelSources: options.labelSource,
    unlabelledAsNegative: options.unlabelledAsNegative,
    minPerClass: options.minPerClass,
    k: options.k,
  };
}

/**
 * Adds the options `chaingnn train` and `chaingnn risk train` share: training settings, the split, the snapshot
 * and which labels count. `seedHelp` says what the seed decides in that command.
 */
export function addTrainingOptions(command: Command, seedHelp: string): Command {
  return command
    .option(
      '--patience <n>',
      'epochs without a better validation ROC-AUC before stopping',
      parsePositiveInteger,
      20,
    )
    .option('--learning-rate <x>', 'AdamW step size', parsePositiveNumber, 0.01)
    .option('--hidden <n>', 'hidden channels (default 64)', parsePositiveInteger)
    .option('--layers <n>', 'message-passing layers (default 2)', parsePositiveInteger)
    .option('--seed <n>', seedHelp, parseWholeNumber, 1)
    .addOption(
      new Option('--split <kind>', 'stratified (random, class shares kept) or time (newest addresses test)')
        .choices(taskSplitKinds)
        .default('stratified'),
    )
    .option('--snapshot <id>', 'graph snapshot (default: the latest of the chain)')
    .option('--chain-id <n>', 'chain (default: the only chain in the warehouse)', parseWholeNumber)
    .option('--label-source <name...>', 'only labels from these address_labels sources (default: all)')
    .option(
      '--unlabelled-as-negative',
      'use unlabelled nodes as negatives (assumed clean; stated in the card)',
    )
    .option('--min-per-class <n>', 'labelled nodes needed in each class', parsePositiveInteger, 10)
    .option('--k <n>', 'k of precision@k (default: the number of test positives)', parsePositiveInteger)
    .option('--json', 'print the whole model card as JSON');
}
