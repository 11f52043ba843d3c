import { Command } from 'commander';
import { writeClusterMigrations } from '../warehouse/buildClusterDdl.js';
import { clusterMigrationsDir, singleNodeMigrationsDir } from '../warehouse/migrations.js';

/** `chaingnn schema cluster`: regenerates the cluster DDL from the single-node migrations. */
export function schemaCommand(): Command {
  const schema = new Command('schema').description('maintain the warehouse schema files');
  schema
    .command('cluster')
    .description('regenerate schema/clickhouse/cluster/ (Replicated + Distributed) from schema/clickhouse/')
    .action(() => {
      const changed = writeClusterMigrations(singleNodeMigrationsDir, clusterMigrationsDir);
      process.stdout.write(
        changed.length
          ? `Wrote ${changed.map((name) => `cluster/${name}`).join(', ')}\n`
          : 'Cluster DDL is up to date.\n',
      );
    });
  return schema;
}
