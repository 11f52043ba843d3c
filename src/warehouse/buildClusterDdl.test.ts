import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryRows, useTestWarehouse } from '../../test/setup/testWarehouse.js';
import { asMergeTree, buildClusterDdl, buildClusterMigrations, localSuffix } from './buildClusterDdl.js';
import { clusterMigrationsDir, readMigrations, singleNodeMigrationsDir } from './migrations.js';
import { type ColumnDeclaration, type CreateTable, parseCreateTable } from './parseCreateTable.js';

function createTables(dir: string): CreateTable[] {
  return readMigrations(dir).flatMap((m) =>
    m.statements.map(parseCreateTable).filter((t) => t !== undefined),
  );
}

const addColumnPattern =
  /^ALTER TABLE (\w+) ADD COLUMN IF NOT EXISTS (\w+) (.+?)(?: (?:DEFAULT|MATERIALIZED|ALIAS|CODEC|COMMENT)\b.*?)?(?: AFTER (\w+))?$/s;

/** The single-node tables' columns after every migration: each CREATE's, with the columns later ALTERs added. */
function migratedColumns(dir: string): Map<string, ColumnDeclaration[]> {
  const tables = new Map<string, ColumnDeclaration[]>();
  for (const statement of readMigrations(dir).flatMap((m) => m.statements)) {
    const created = parseCreateTable(statement);
    if (created) tables.set(created.name, [...created.columns]);
    const added = addColumnPattern.exec(statement);
    if (!added) continue;
    const [, table, name, type, after] = added;
    const columns = tables.get(table!)!;
    const at = after ? columns.findIndex((column) => column.name === after) + 1 : columns.length;
    columns.splice(at, 0, { name: name!, type: type! });
  }
  return tables;
}

const distributedPattern =
  /^CREATE TABLE IF NOT EXISTS (\w+) ON CLUSTER '\{cluster\}' AS (\w+)\s+ENGINE = Distributed\('\{cluster\}', currentDatabase\(\), (\w+), cityHash64\((.*)\)\)$/;

describe('cluster DDL', () => {
  const warehouse = useTestWarehouse();

  it('the checked-in cluster files are exactly what `chaingnn schema cluster` generates', () => {
    const expected = buildClusterMigrations(singleNodeMigrationsDir);
    const actual = readdirSync(clusterMigrationsDir)
      .filter((name) => name.endsWith('.sql'))
      .sort();
    expect(actual, 'run `npm run schema:cluster` after changing schema/clickhouse/').toEqual([
      ...expected.keys(),
    ]);
    for (const [name, text] of expected) {
      expect(readFileSync(join(clusterMigrationsDir, name), 'utf8'), `cluster/${name} is stale`).toBe(text);
    }
  });

  it('the column parser agrees with the engine about every single-node table', async () => {
    const tables = migratedColumns(singleNodeMigrationsDir);
    expect(tables.get('transactions')?.map((column) => column.name)).toContain('has_input');
    for (const [name, columns] of tables) {
      const described = await queryRows<{ name: string; type: string }>(
        warehouse(),
        `DESCRIBE TABLE ${name}`,
      );
      expect(columns, name).toEqual(described.map(({ name, type }) => ({ name, type })));
    }
  });

  it('has, for every single-node table, a replicated local table with the same columns and a Distributed table over it', () => {
    const single = createTables(singleNodeMigrationsDir);
    const cluster = createTables(clusterMigrationsDir);
    const clusterByName = new Map(cluster.map((t) => [t.name, t]));
    expect(cluster.map((t) => t.name).sort()).toEqual(single.map((t) => `${t.name}${localSuffix}`).sort());
    const distributed = readMigrations(clusterMigrationsDir)
      .flatMap((m) => m.statements)
      .map((statement) => distributedPattern.exec(statement))
      .filter((match) => match !== null)
      .map(([, name, as, over, key]) => ({ name, as, over, key }));
    for (const table of single) {
      const local = `${table.name}${localSuffix}`;
      const replicated = clusterByName.get(local)!;
      const mergeTree = asMergeTree(table);
      expect(replicated.columns, table.name).toEqual(table.columns);
      expect(replicated.engine).toBe(`Replicated${mergeTree.engine}`);
      expect(replicated.orderBy).toEqual(mergeTree.orderBy);
      expect(distributed).toContainEqual({
        name: table.name,
        as: local,
        over: local,
        key: mergeTree.orderBy.join(', '),
      });
    }
    expect(distributed).toHaveLength(single.length);
  });

  it('keeps engine arguments after the replication path and shards by the whole sorting key', () => {
    const ddl = buildClusterDdl(
      'CREATE TABLE IF NOT EXISTS t (k UInt8, v UInt64, d UInt8) ENGINE = ReplacingMergeTree(v, d) ORDER BY (k, v);',
      '999_t.sql',
    );
    expect(ddl).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/t_local', '{replica}', v, d)",
    );
    expect(ddl).toContain("ENGINE = Distributed('{cluster}', currentDatabase(), t_local, cityHash64(k, v));");
  });

  it('replicates a key-value table as a ReplacingMergeTree ordered by its key (last write wins in both)', () => {
    const ddl = buildClusterDdl(
      'CREATE TABLE IF NOT EXISTS kv (k String, v UInt64) ENGINE = EmbeddedRocksDB PRIMARY KEY k;',
      '999_kv.sql',
    );
    expect(ddl).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/kv_local', '{replica}')\nORDER BY k;",
    );
    expect(ddl).toContain("ENGINE = Distributed('{cluster}', currentDatabase(), kv_local, cityHash64(k));");
    expect(() =>
      buildClusterDdl('CREATE TABLE IF NOT EXISTS kv (k String) ENGINE = EmbeddedRocksDB;', '999_kv.sql'),
    ).toThrow('CREATE TABLE kv: expected PRIMARY KEY <column> after ENGINE = EmbeddedRocksDB');
  });

  it('makes a materialized view read the local table on every node and write to the Distributed target', () => {
    const ddl = buildClusterDdl(
      'CREATE MATERIALIZED VIEW IF NOT EXISTS v TO t AS\nSELECT DISTINCT k, cityHash64(a) AS h\nFROM s\nARRAY JOIN [x, y] AS a;',
      '999_v.sql',
    );
    expect(ddl.split('\n\n').slice(1)).toEqual([
      "CREATE MATERIALIZED VIEW IF NOT EXISTS v ON CLUSTER '{cluster}' TO t AS\nSELECT DISTINCT k, cityHash64(a) AS h\nFROM s_local\nARRAY JOIN [x, y] AS a;\n",
    ]);
    expect(() =>
      buildClusterDdl(
        'CREATE MATERIALIZED VIEW IF NOT EXISTS v TO t AS SELECT k FROM s JOIN u USING k;',
        '999_v.sql',
      ),
    ).toThrow(
      'CREATE MATERIALIZED VIEW v: no cluster rewrite for it (expected a SELECT from one table, without JOIN)',
    );
  });

  it('adds a column on the local tables and on the Distributed table, and materializes it on the local tables only', () => {
    const ddl = buildClusterDdl(
      "ALTER TABLE t ADD COLUMN IF NOT EXISTS c UInt8 MATERIALIZED k != '' AFTER k;\nALTER TABLE t MATERIALIZE COLUMN c;",
      '999_t.sql',
    );
    expect(ddl.split('\n\n').slice(1)).toEqual([
      "ALTER TABLE t_local ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS c UInt8 MATERIALIZED k != '' AFTER k;",
      "ALTER TABLE t ON CLUSTER '{cluster}' ADD COLUMN IF NOT EXISTS c UInt8 MATERIALIZED k != '' AFTER k;",
      "ALTER TABLE t_local ON CLUSTER '{cluster}' MATERIALIZE COLUMN c;\n",
    ]);
    expect(() => buildClusterDdl('ALTER TABLE t DROP COLUMN c;', '999_t.sql')).toThrow(
      'ALTER TABLE t DROP COLUMN: no cluster rewrite for it (expected ADD COLUMN or MATERIALIZE COLUMN)',
    );
  });
});
