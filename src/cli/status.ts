import { Command } from 'commander';
import { formatBytes } from '../utils/formatBytes.js';
import { formatTable } from '../utils/formatTable.js';
import { createWarehouse } from '../warehouse/createWarehouse.js';
import { getWarehouseStatus, type WarehouseStatus } from '../warehouse/getWarehouseStatus.js';
import { runCommand } from './runCommand.js';

/** `chaingnn status`: warehouse mode, migrations, tables with row counts, indexer checkpoints. */
export function statusCommand(): Command {
  return new Command('status')
    .description('show the warehouse mode, migrations, tables with row counts and indexer checkpoints')
    .option('--json', 'print the status as JSON')
    .action((options: { json?: boolean }) =>
      runCommand(async (common) => {
        const warehouse = await createWarehouse(common);
        const status = await getWarehouseStatus(warehouse, { cluster: common.config.clickhouse.cluster });
        process.stdout.write(options.json ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status));
      }),
    );
}

function renderStatus(status: WarehouseStatus): string {
  const { applied, pending } = status.migrations;
  const lines = [
    `Warehouse    ${status.mode} · ${status.location} · database ${status.database} · ClickHouse ${status.serverVersion}`,
    `Migrations   ${applied.length} applied, ${pending.length} pending${pending.length ? ` (${pending.join(', ')}): run \`chaingnn migrate\`` : ''}`,
    '',
    status.tables.length
      ? formatTable(
          [{ name: 'table' }, { name: 'rows', alignRight: true }, { name: 'on disk', alignRight: true }],
          status.tables.map((t) => [t.name, t.rows, formatBytes(t.bytesOnDisk)]),
        )
      : 'No tables yet: run `chaingnn migrate`.',
    '',
    status.checkpoints.length
      ? formatTable(
          [
            { name: 'chain', alignRight: true },
            { name: 'indexer' },
            { name: 'block', alignRight: true },
            { name: 'hash' },
            { name: 'updated' },
          ],
          status.checkpoints.map((c) => [c.chainId, c.indexer, c.blockNumber, c.blockHash, c.updatedAt]),
        )
      : 'Checkpoints  none (nothing indexed yet)',
  ];
  return `${lines.join('\n')}\n`;
}
