import { createHash } from 'node:crypto';
import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { NonRetryableError } from '../internal/errors.js';
import type { Warehouse } from './createWarehouse.js';
import { getTableNames } from './getTableNames.js';
import { splitStatements } from './splitStatements.js';

/** One migration file: `NNN_name.sql`, its statements and the checksum recorded when it is applied. */
export interface Migration {
  name: string;
  path: string;
  checksum: string;
  statements: string[];
}

/** A row of `schema_migrations`. */
export interface AppliedMigration {
  name: string;
  checksum: string;
  applied_at: string;
}

/** Raised for a broken migration set: a bad file name, an edited or missing applied file, a failing statement. */
export class MigrationError extends NonRetryableError {
  override name = 'MigrationError';
}

/** The single-node migrations shipped with chaingnn. */
export const singleNodeMigrationsDir = fileURLToPath(new URL('../../schema/clickhouse/', import.meta.url));
/** The cluster (Replicated + Distributed) migrations, generated from the single-node ones. */
export const clusterMigrationsDir = join(singleNodeMigrationsDir, 'cluster');

const fileNamePattern = /^(\d{3})_([a-z0-9_]+)\.sql$/;
const migrationsTable = 'schema_migrations';

/** Reads `NNN_name.sql` files in order; other `.sql` names and duplicate numbers are refused. */
export function readMigrations(dir: string): Migration[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (cause) {
    throw new MigrationError(`Cannot read the migrations directory ${displayPath(dir)}`, {
      code: 'MIGRATION_INVALID',
      details: `${(cause as Error).message}\nExpected a directory of NNN_name.sql files.`,
      cause,
    });
  }
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.sql'))
    .map((entry) => entry.name)
    .sort();
  const seen = new Map<string, string>();
  return files.map((name) => {
    const path = join(dir, name);
    const match = fileNamePattern.exec(name);
    if (!match) {
      throw new MigrationError(`Bad migration file name: ${displayPath(path)}`, {
        code: 'MIGRATION_INVALID',
        details: 'Expected NNN_name.sql: three digits, an underscore, then lower-case letters, digits and _.',
      });
    }
    const prior = seen.get(match[1]!);
    if (prior) {
      throw new MigrationError(`Two migrations share the number ${match[1]}: ${prior} and ${name}`, {
        code: 'MIGRATION_INVALID',
        details: `In ${displayPath(dir)}; renumber the newer one.`,
      });
    }
    seen.set(match[1]!, name);
    const text = readFileSync(path, 'utf8').replace(/\r\n/g, '\n');
    let statements: string[];
    try {
      statements = splitStatements(text);
    } catch (cause) {
      throw new MigrationError(`Cannot parse ${displayPath(path)}`, {
        code: 'MIGRATION_INVALID',
        details: (cause as Error).message,
        cause,
      });
    }
    return { name, path, checksum: createHash('sha256').update(text).digest('hex'), statements };
  });
}

/** The migrations recorded as applied in this warehouse (none when `schema_migrations` does not exist yet). */
export async function getAppliedMigrations(warehouse: Warehouse): Promise<AppliedMigration[]> {
  if (!(await getTableNames(warehouse)).has(migrationsTable)) return [];
  const result = await warehouse.client.query({
    query: `SELECT name, checksum, toString(applied_at) AS applied_at FROM ${migrationsTable} ORDER BY name`,
    format: 'JSONEachRow',
  });
  return result.json<AppliedMigration>();
}

/** Options for {@link applyMigrations}. */
export interface ApplyMigrationsOptions {
  /** Directory of `NNN_name.sql` files (default: the single-node or, with a cluster configured, cluster set). */
  dir?: string | undefined;
  /** `ON CLUSTER` name for the bookkeeping table in cluster mode. */
  cluster?: string | undefined;
  logger?: Logger;
}

/** What {@link applyMigrations} did. */
export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

/**
 * Applies pending migrations in order and records each in `schema_migrations` after all its statements
 * succeed. Before applying anything it checks that every applied migration's file still exists with the
 * same checksum: applied migrations are immutable. Statements must be idempotent (`IF NOT EXISTS`), so a
 * migration interrupted half-way is simply run again.
 */
export async function applyMigrations(
  warehouse: Warehouse,
  options: ApplyMigrationsOptions = {},
): Promise<MigrationReport> {
  const dir = options.dir ?? (options.cluster ? clusterMigrationsDir : singleNodeMigrationsDir);
  const migrations = readMigrations(dir);
  const applied = await getAppliedMigrations(warehouse);
  verifyApplied(migrations, applied, dir);
  await ensureMigrationsTable(warehouse, options.cluster);

  const done = new Set(applied.map((row) => row.name));
  const report: MigrationReport = { applied: [], alreadyApplied: [...done] };
  for (const migration of migrations) {
    if (done.has(migration.name)) continue;
    const started = performance.now();
    for (const [index, statement] of migration.statements.entries()) {
      try {
        await warehouse.client.command({ query: withCluster(statement, options.cluster) });
      } catch (cause) {
        throw new MigrationError(
          `Migration ${displayPath(migration.path)} failed at statement ${index + 1}`,
          {
            code: 'MIGRATION_FAILED',
            cause,
            details: `${(cause as Error).message}\nStatement:\n${statement}\nNothing was recorded for this migration; fix it and run migrate again.`,
          },
        );
      }
    }
    await warehouse.client.insert({
      table: migrationsTable,
      values: [{ name: migration.name, checksum: migration.checksum }],
      format: 'JSONEachRow',
    });
    report.applied.push(migration.name);
    options.logger?.debug(
      { migration: migration.name, ms: Math.round(performance.now() - started) },
      'applied migration',
    );
  }
  return report;
}

function verifyApplied(migrations: Migration[], applied: AppliedMigration[], dir: string): void {
  const byName = new Map(migrations.map((m) => [m.name, m]));
  for (const row of applied) {
    const migration = byName.get(row.name);
    if (!migration) {
      throw new MigrationError(`Applied migration ${row.name} is missing from ${displayPath(dir)}`, {
        code: 'MIGRATION_MISSING',
        details: `It was applied at ${row.applied_at}. Restore the file: applied migrations must stay in place.`,
      });
    }
    if (migration.checksum !== row.checksum) {
      throw new MigrationError(`Migration ${displayPath(migration.path)} was edited after it was applied`, {
        code: 'MIGRATION_CHECKSUM_MISMATCH',
        details: [
          `Applied at ${row.applied_at} with checksum ${row.checksum.slice(0, 12)}…; the file now has ${migration.checksum.slice(0, 12)}….`,
          'Applied migrations are immutable: revert the edit and put the change in a new NNN_name.sql file.',
        ].join('\n'),
      });
    }
  }
}

async function ensureMigrationsTable(warehouse: Warehouse, cluster: string | undefined): Promise<void> {
  const onCluster = cluster ? ` ON CLUSTER '${cluster}'` : '';
  const engine = cluster
    ? `ReplicatedReplacingMergeTree('/clickhouse/tables/{database}/${migrationsTable}', '{replica}', applied_at)`
    : 'ReplacingMergeTree(applied_at)';
  await warehouse.client.command({
    query: `CREATE TABLE IF NOT EXISTS ${migrationsTable}${onCluster}
      (name String, checksum String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
      ENGINE = ${engine} ORDER BY name`,
  });
}

/** Cluster DDL names its cluster `{cluster}`; the configured name replaces it when applied. */
function withCluster(statement: string, cluster: string | undefined): string {
  return cluster ? statement.replaceAll("'{cluster}'", `'${cluster}'`) : statement;
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}
