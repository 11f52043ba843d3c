import { resolve } from 'node:path';
import { Command } from 'commander';
import { createWarehouse } from '../warehouse/createWarehouse.js';
import { applyMigrations } from '../warehouse/migrations.js';
import { runCommand } from './runCommand.js';

/** `chaingnn migrate`: applies pending warehouse migrations; refuses if an applied one was edited. */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description('create or update the warehouse tables (schema/clickhouse/NNN_name.sql, in order)')
    .option('--dir <path>', 'apply the NNN_name.sql files of this directory instead of the shipped schema')
    .action((options: { dir?: string }) =>
      runCommand(async (common) => {
        const warehouse = await createWarehouse(common);
        const { cluster } = common.config.clickhouse;
        const dir = options.dir ? resolve(options.dir) : undefined;
        const report = await applyMigrations(warehouse, { dir, cluster, logger: common.logger });
        const where = `${warehouse.mode} warehouse ${warehouse.location} (database ${warehouse.database})`;
        process.stdout.write(
          report.applied.length === 0
            ? `Nothing to apply: ${report.alreadyApplied.length} migrations already applied to the ${where}.\n`
            : `Applied ${report.applied.length} migration(s) to the ${where}:\n${report.applied.map((n) => `  ${n}\n`).join('')}`,
        );
      }),
    );
}
