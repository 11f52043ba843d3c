import { Command } from 'commander';
import { importLabels } from '../warehouse/importLabels.js';
import { openMigratedWarehouse } from '../warehouse/openMigratedWarehouse.js';
import { rowCount } from './import.js';
import { parsePositiveInteger } from './parseOptions.js';
import { runCommand } from './runCommand.js';

/** `chaingnn labels import`: address label lists into `address_labels`, validated, all or nothing. */
export function labelsCommand(): Command {
  const labels = new Command('labels').description('address labels: what a source says about addresses');
  labels
    .command('import')
    .description('import label lists address[,label,category,confidence] (CSV, header optional)')
    .argument('<paths...>', 'CSV files')
    .requiredOption(
      '--source <name>',
      'who says so (address_labels.source), e.g. etherscan, chainabuse, ofac',
    )
    .option('--chain-id <n>', 'chain id of the addresses', parsePositiveInteger, 1)
    .action((paths: string[], options: { source: string; chainId: number }) =>
      runCommand(async (common) => {
        const warehouse = await openMigratedWarehouse(common);
        const report = await importLabels(warehouse, {
          paths,
          source: options.source,
          chainId: options.chainId,
        });
        const width = Math.max(...report.files.map((f) => f.path.length), 0);
        process.stdout.write(
          `Imported ${report.rows} labels from ${options.source} into address_labels in ${report.seconds.toFixed(2)} s:\n` +
            report.files.map((f) => `  ${f.path.padEnd(width)}  ${rowCount(f.rows)}\n`).join('') +
            (report.ignoredColumns.length ? `Ignored columns: ${report.ignoredColumns.join(', ')}\n` : ''),
        );
      }),
    );
  return labels;
}
