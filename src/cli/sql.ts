import { Command, Option } from 'commander';
import { NonRetryableError } from '../internal/errors.js';
import { formatTable } from '../utils/formatTable.js';
import { createWarehouse, type Warehouse } from '../warehouse/createWarehouse.js';
import { runCommand } from './runCommand.js';

const formats = ['table', 'json', 'csv'] as const;
type OutputFormat = (typeof formats)[number];
const numericType = /^(Nullable\()?(U?Int|Float|Decimal)/;

/** `chaingnn sql "<query>"`: an ad-hoc query for analysts, printed as a table, JSON lines or CSV. */
export function sqlCommand(): Command {
  return new Command('sql')
    .description('run a SQL query against the warehouse (read-only unless --write)')
    .argument('<query>', 'the SQL to run, e.g. "SELECT count() FROM blocks"')
    .addOption(new Option('-f, --format <format>', 'output format').choices(formats).default('table'))
    .option('--write', 'allow statements that change data or schema')
    .action((query: string, options: { format: OutputFormat; write?: boolean }) =>
      runCommand(async (common) => {
        const warehouse = await createWarehouse(common);
        const sql = query.trim().replace(/;+\s*$/, '');
        if (!sql) {
          throw new NonRetryableError('Empty query', {
            details: 'Expected SQL such as "SELECT count() FROM blocks".',
          });
        }
        const settings = options.write ? {} : { readonly: '2' as const };
        try {
          if (!returnsRows(sql)) await runStatement(warehouse, sql, settings);
          else if (options.format === 'table') await printTable(warehouse, sql, settings);
          else
            await printRows(
              warehouse,
              sql,
              options.format === 'json' ? 'JSONEachRow' : 'CSVWithNames',
              settings,
            );
        } catch (error) {
          if (!options.write && /readonly mode/i.test((error as Error).message)) {
            throw new NonRetryableError('The query changes data or schema, and `chaingnn sql` is read-only', {
              code: 'READ_ONLY',
              details: 'Pass --write to run statements that modify the warehouse.',
              cause: error,
            });
          }
          throw error;
        }
      }),
    );
}

type QuerySettings = { readonly?: '2' };

const rowReturningStatement = /^(SELECT|WITH|SHOW|DESCRIBE|DESC|EXPLAIN|EXISTS|CHECK|VALUES)\b/i;

/** Whether a statement answers with rows (SELECT and friends) rather than doing something (INSERT, ALTER…). */
function returnsRows(sql: string): boolean {
  const start = sql.replace(/^(\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/)+/, '').replace(/^\(+\s*/, '');
  return rowReturningStatement.test(start);
}

async function runStatement(warehouse: Warehouse, query: string, settings: QuerySettings): Promise<void> {
  const started = performance.now();
  const result = await warehouse.client.command({ query, clickhouse_settings: settings });
  const written = Number(result.summary?.written_rows ?? 0);
  const seconds = ((performance.now() - started) / 1000).toFixed(3);
  process.stderr.write(`OK${written ? `, ${written} row(s) written` : ''} in ${seconds} s\n`);
}

async function printTable(warehouse: Warehouse, query: string, settings: QuerySettings): Promise<void> {
  const started = performance.now();
  const result = await warehouse.client.query({
    query,
    format: 'JSONCompact',
    clickhouse_settings: settings,
  });
  const body = await result.json<unknown[]>();
  const columns = (body.meta ?? []).map((column) => ({
    name: column.name,
    alignRight: numericType.test(column.type),
  }));
  if (columns.length > 0) process.stdout.write(`${formatTable(columns, body.data)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(3);
  process.stderr.write(`${body.rows ?? body.data.length} row(s) in ${seconds} s\n`);
}

async function printRows(
  warehouse: Warehouse,
  query: string,
  format: 'JSONEachRow' | 'CSVWithNames',
  settings: QuerySettings,
): Promise<void> {
  const result = await warehouse.client.query({ query, format, clickhouse_settings: settings });
  for await (const rows of result.stream()) {
    for (const row of rows) process.stdout.write(`${row.text}\n`);
  }
}
