import { Command } from 'commander';
import { formatTable } from '../utils/formatTable.js';
import { runCommand } from './runCommand.js';

/** `chaingnn models [task]`: the saved model versions with their held-out metrics beside the baseline's. */
export function modelsCommand(): Command {
  return new Command('models')
    .description('list saved model versions with their metrics and the non-graph baseline beside them')
    .argument('[task]', 'only this task (risk, airdrop, price, …)')
    .option('--json', 'the model cards as JSON')
    .action((task: string | undefined, options: { json?: boolean }) =>
      runCommand(async (common) => {
        const { listModels } = await import('../gnn/registry/listModels.js');
        const models = listModels(common.config.dataDir, task);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(models, null, 2)}\n`);
          return;
        }
        if (models.length === 0) {
          process.stdout.write(
            `No saved models${task ? ` for ${task}` : ''} in ${common.config.dataDir}/models\n`,
          );
          return;
        }
        const metrics = (values: Record<string, number> | undefined) =>
          Object.entries(values ?? {})
            .map(([name, value]) => `${name} ${value.toFixed(3)}`)
            .join(', ');
        const rows = models.map((entry) =>
          'card' in entry
            ? [
                entry.card.task,
                entry.card.version,
                entry.card.model.architecture,
                entry.card.snapshotId,
                metrics(entry.card.metrics),
                entry.card.baseline
                  ? `${entry.card.baseline.architecture}: ${metrics(entry.card.baseline.metrics)}`
                  : '',
                entry.card.createdAt,
              ]
            : [entry.task, entry.version, 'unreadable', '', entry.error, '', ''],
        );
        process.stdout.write(
          `${formatTable(
            [
              { name: 'task' },
              { name: 'version', alignRight: true },
              { name: 'model' },
              { name: 'snapshot' },
              { name: 'metrics (test)' },
              { name: 'baseline (test)' },
              { name: 'created' },
            ],
            rows,
          )}\n`,
        );
      }),
    );
}
