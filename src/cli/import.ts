import { Command, InvalidArgumentError, Option } from 'commander';
import { NonRetryableError } from '../internal/errors.js';
import { importPhishingDataset } from '../warehouse/importPhishingDataset.js';
import {
  type ImportFormat,
  type ImportKind,
  type ImportReport,
  importFormats,
  importKinds,
  importTable,
} from '../warehouse/importTable.js';
import { openMigratedWarehouse } from '../warehouse/openMigratedWarehouse.js';
import { parsePositiveInteger } from './parseOptions.js';
import { runCommand } from './runCommand.js';

/** The phishing-eth1 dataset's folder when none is given (the shared datasets beside the clone). */
const defaultPhishingDir = '../shared/datasets/phishing-eth1';

/**
 * `chaingnn import`: bulk-loads ethereum-etl CSV, cryo Parquet or our own CSV files into one table, and
 * `chaingnn import phishing-eth1` the labelled phishing dataset. Each import is validated completely and
 * written by one INSERT, or not at all.
 */
export function importCommand(): Command {
  const command = new Command('import')
    .description(
      'bulk-import files into the warehouse (validated, all or nothing): ethereum-etl CSV, cryo Parquet or our own CSV',
    )
    .addOption(new Option('--format <format>', 'file format').choices(importFormats))
    .addOption(new Option('--kind <kind>', 'the table to fill').choices(importKinds))
    .option('--chain-id <n>', 'chain id of the rows', parsePositiveInteger, 1)
    .option(
      '--row-version <n>',
      "the rows' version (default: now in unix microseconds, as the indexer); the highest wins",
      parseVersion,
    )
    .argument('[paths...]', 'files, or directories of .csv (.parquet for cryo) files')
    .action(
      (
        paths: string[],
        options: { format?: ImportFormat; kind?: ImportKind; chainId: number; rowVersion?: bigint },
      ) =>
        runCommand(async (common) => {
          if (!options.format || !options.kind || paths.length === 0) {
            throw new NonRetryableError('import needs --format, --kind and at least one file', {
              code: 'USAGE',
              details:
                `Expected: chaingnn import --format ${importFormats.join('|')} --kind ${importKinds.join('|')} [--chain-id N] PATH...\n` +
                'or: chaingnn import phishing-eth1 [DIR]',
            });
          }
          const warehouse = await openMigratedWarehouse(common);
          const report = await importTable(warehouse, {
            format: options.format,
            kind: options.kind,
            paths,
            chainId: options.chainId,
            ...(options.rowVersion !== undefined ? { version: options.rowVersion } : {}),
          });
          process.stdout.write(formatReport(report));
        }),
    );
  command
    .command('phishing-eth1')
    .description('import the phishing-eth1 dataset: its transactions and its 700 labelled accounts (chain 1)')
    .argument('[dir]', 'the dataset folder (labels.txt, transactions/)', defaultPhishingDir)
    .action((dir: string) =>
      runCommand(async (common) => {
        const warehouse = await openMigratedWarehouse(common);
        const report = await importPhishingDataset(warehouse, { dir });
        process.stdout.write(
          `Imported phishing-eth1 from ${dir} in ${report.seconds.toFixed(2)} s ` +
            `(${Math.round(report.rows / report.seconds)} rows/s):\n` +
            `  transactions    ${report.transactions} (${report.rows} rows in ${report.files} files; each transaction once)\n` +
            `  address_labels  ${report.labels} (${report.phishing} phishing, ${report.labels - report.phishing} organic)\n`,
        );
      }),
    );
  return command;
}

/** The lines `chaingnn import` prints: the total, then rows per file. */
export function formatReport(report: ImportReport): string {
  const width = Math.max(...report.files.map((f) => f.path.length));
  const rate = report.seconds > 0 ? ` (${Math.round(report.rows / report.seconds)} rows/s)` : '';
  return (
    `Imported ${report.rows} rows into ${report.table} in ${report.seconds.toFixed(2)} s${rate}:\n` +
    report.files.map((f) => `  ${f.path.padEnd(width)}  ${rowCount(f.rows)}\n`).join('')
  );
}

/** `1 row`, `2 rows`. */
export function rowCount(n: number): string {
  return `${n} row${n === 1 ? '' : 's'}`;
}

function parseVersion(value: string): bigint {
  if (!/^\d{1,20}$/.test(value) || BigInt(value) >= 2n ** 64n) {
    throw new InvalidArgumentError('expected an unsigned 64-bit integer');
  }
  return BigInt(value);
}
