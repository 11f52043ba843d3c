import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CreateTable, parseCreateTable } from './parseCreateTable.js';
import { splitStatements } from './splitStatements.js';

/** The suffix of the replicated per-shard table behind each Distributed table. */
export const localSuffix = '_local';

/**
 * Rewrites single-node DDL for a cluster: each `CREATE TABLE t` becomes a `t_local` table on every node
 * with the Replicated variant of its engine (same columns, keys and partitioning), plus a Distributed
 * table `t` over it, sharded by a hash of the sorting key so that every version of a row lands on the
 * same shard (Replacing engines only deduplicate within a shard); each `ALTER TABLE t` runs on `t_local` (and
 * on `t` when it adds a column); a materialized view of `s` reads `s_local` on every node. `{cluster}` is replaced by the
 * configured cluster name at migrate time; `{shard}` and `{replica}` are the servers' own macros.
 */
export function buildClusterDdl(sql: string, sourceName: string): string {
  const out = [
    `-- Generated from ../${sourceName} by \`chaingnn schema cluster\`. Do not edit: edit the source.`,
  ];
  for (const statement of splitStatements(sql)) {
    const alter = alterTablePattern.exec(statement);
    if (alter) {
      out.push(...clusterAlter(alter[1]!, alter[2]!));
      continue;
    }
    const view = materializedViewPattern.exec(statement);
    if (view) {
      out.push(clusterMaterializedView(view[1]!, view[2]!, view[3]!));
      continue;
    }
    const table = parseCreateTable(statement);
    if (!table) {
      out.push(`${statement};`);
      continue;
    }
    const local = `${table.name}${localSuffix}`;
    const { engine, engineArgs, tail, orderBy } = asMergeTree(table);
    const replicatedArgs = [`'/clickhouse/tables/{shard}/{database}/${local}'`, `'{replica}'`];
    if (engineArgs) replicatedArgs.push(engineArgs);
    const shardingKey = `cityHash64(${orderBy.join(', ')})`;
    out.push(
      [
        `CREATE TABLE IF NOT EXISTS ${local} ON CLUSTER '{cluster}'`,
        `(${table.body})`,
        `ENGINE = Replicated${engine}(${replicatedArgs.join(', ')})`,
        `${tail};`,
      ].join('\n'),
      [
        `CREATE TABLE IF NOT EXISTS ${table.name} ON CLUSTER '{cluster}' AS ${local}`,
        `ENGINE = Distributed('{cluster}', currentDatabase(), ${local}, ${shardingKey});`,
      ].join('\n'),
    );
  }
  return `${out.join('\n\n')}\n`;
}

const alterTablePattern = /^ALTER\s+TABLE\s+([A-Za-z_][A-Za-z0-9_]*)\s+([\s\S]*)$/i;

/**
 * An `ALTER TABLE` for a cluster: on every node's local table, and, for a new column, on the Distributed table
 * too (its columns are its own metadata). Other alterations are refused until someone writes their rewrite.
 */
function clusterAlter(table: string, action: string): string[] {
  const onLocal = `ALTER TABLE ${table}${localSuffix} ON CLUSTER '{cluster}' ${action};`;
  if (/^ADD\s+COLUMN\b/i.test(action))
    return [onLocal, `ALTER TABLE ${table} ON CLUSTER '{cluster}' ${action};`];
  if (/^MATERIALIZE\s+COLUMN\b/i.test(action)) return [onLocal];
  throw new Error(
    `ALTER TABLE ${table} ${action.split(/\s+/).slice(0, 2).join(' ')}: no cluster rewrite for it (expected ADD COLUMN or MATERIALIZE COLUMN)`,
  );
}

const materializedViewPattern =
  /^CREATE\s+MATERIALIZED\s+VIEW\s+IF\s+NOT\s+EXISTS\s+([A-Za-z_]\w*)\s+TO\s+([A-Za-z_]\w*)\s+AS\s+([\s\S]*)$/i;

/**
 * A materialized view for a cluster, on every node. A view fires on the inserts into the table it reads, and on a
 * cluster those land in each shard's local table (the Distributed table forwards them), so it reads the local
 * table; it still writes to the Distributed target, which shards the view's rows by their own key. One source
 * table only: a view that joins would see only its shard's part of the other table.
 */
function clusterMaterializedView(name: string, target: string, select: string): string {
  const sources = [...select.matchAll(/\b(FROM|JOIN)\s+([A-Za-z_]\w*)/gi)];
  if (sources.length !== 1 || sources[0]![1]!.toUpperCase() !== 'FROM')
    throw new Error(
      `CREATE MATERIALIZED VIEW ${name}: no cluster rewrite for it (expected a SELECT from one table, without JOIN)`,
    );
  const local = select.replace(sources[0]![0]!, `FROM ${sources[0]![2]}${localSuffix}`);
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${name} ON CLUSTER '{cluster}' TO ${target} AS\n${local};`;
}

/**
 * The MergeTree-family table that keeps `table`'s semantics on a cluster: the table itself, except an
 * EmbeddedRocksDB key-value store, which has no replicated variant: writing a key again replaces its row, as a
 * ReplacingMergeTree ordered by that key without a version column does (the last insert wins).
 */
export function asMergeTree(
  table: CreateTable,
): Pick<CreateTable, 'engine' | 'engineArgs' | 'tail' | 'orderBy'> {
  if (table.engine !== 'EmbeddedRocksDB') return table;
  const key = /^PRIMARY\s+KEY\s+([A-Za-z_][A-Za-z0-9_]*)$/i.exec(table.tail)?.[1];
  if (!key)
    throw new Error(
      `CREATE TABLE ${table.name}: expected PRIMARY KEY <column> after ENGINE = EmbeddedRocksDB`,
    );
  return { engine: 'ReplacingMergeTree', engineArgs: '', tail: `ORDER BY ${key}`, orderBy: [key] };
}

/** The cluster file each single-node migration should have, by file name. */
export function buildClusterMigrations(singleNodeDir: string): Map<string, string> {
  const files = readdirSync(singleNodeDir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  return new Map(
    files.map((name) => [name, buildClusterDdl(readFileSync(join(singleNodeDir, name), 'utf8'), name)]),
  );
}

/** Regenerates `clusterDir` from `singleNodeDir`; returns the files whose content changed. */
export function writeClusterMigrations(singleNodeDir: string, clusterDir: string): string[] {
  const changed: string[] = [];
  for (const [name, text] of buildClusterMigrations(singleNodeDir)) {
    const path = join(clusterDir, name);
    let prior: string | undefined;
    try {
      prior = readFileSync(path, 'utf8');
    } catch {
      prior = undefined;
    }
    if (prior !== text) {
      writeFileSync(path, text);
      changed.push(name);
    }
  }
  return changed;
}
