import { appendFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readMigrations, singleNodeMigrationsDir } from '../../src/warehouse/migrations.js';
import { runCli } from '../setup/spawnProcess.js';
import { useTempDir } from '../setup/testWarehouse.js';

describe('chaingnn CLI on an empty data directory', () => {
  const tmp = useTempDir();
  const env = () => ({ CHAINGNN_DATA_DIR: join(tmp(), 'data') });

  it('migrate twice: the first run applies every migration, the second applies nothing', async () => {
    const first = await runCli(['migrate'], env());
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const shipped = readMigrations(singleNodeMigrationsDir).length;
    expect(first.stdout).toMatch(
      /^Applied \d+ migration\(s\) to the embedded warehouse .*data\/warehouse \(database chaingnn\):\n {2}001_blocks\.sql\n/,
    );
    expect(first.stdout).toContain(`Applied ${shipped} migration(s)`);
    const second = await runCli(['migrate'], env());
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(new RegExp(`^Nothing to apply: ${shipped} migrations already applied`));
  });

  it('sql "SELECT count() FROM blocks" prints 0, as a table, JSON or CSV', async () => {
    const table = await runCli(['sql', 'SELECT count() FROM blocks'], env());
    expect(table.code).toBe(0);
    expect(table.stdout).toBe('count()\n───────\n      0\n');
    expect(table.stderr).toMatch(/^1 row\(s\) in \d+\.\d{3} s\n$/);
    const json = await runCli(['sql', 'SELECT count() AS n FROM blocks;', '--format', 'json'], env());
    expect(json.stdout).toBe('{"n":"0"}\n');
    const csv = await runCli(['sql', 'SELECT count() AS n, 1 AS one FROM blocks', '-f', 'csv'], env());
    expect(csv.stdout).toBe('"n","one"\n0,1\n');
  });

  it('sql is read-only unless --write, and says so', async () => {
    const insert =
      "INSERT INTO address_labels (chain_id, address, label, category, source) VALUES (1, '0x01', 'x', 'phishing', 'cli')";
    const refused = await runCli(['sql', insert], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'error: The query changes data or schema, and `chaingnn sql` is read-only',
    );
    const allowed = await runCli(['sql', insert, '--write'], env());
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toMatch(/^OK.* in \d+\.\d{3} s\n$/);
    const count = await runCli(['sql', 'SELECT count() AS n FROM address_labels', '-f', 'json'], env());
    expect(count.stdout).toBe('{"n":"1"}\n');
  });

  it('sql reports a bad query with the engine message and a non-zero exit', async () => {
    const result = await runCli(['sql', 'SELEC 1'], env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*Syntax error: failed at position \d+/);
    expect(result.stdout).toBe('');
  });

  it('status shows the mode, the migrations, tables with row counts and checkpoints', async () => {
    const result = await runCli(['status'], env());
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Warehouse {4}embedded · .*data\/warehouse · database chaingnn · ClickHouse 26\./,
    );
    expect(result.stdout).toContain(
      `Migrations   ${readMigrations(singleNodeMigrationsDir).length} applied, 0 pending`,
    );
    expect(result.stdout).toMatch(/\naddress_labels +1 +/);
    expect(result.stdout).toMatch(/\nblocks +0 +0 B\n/);
    expect(result.stdout).toContain('Checkpoints  none');
    const json = JSON.parse((await runCli(['status', '--json'], env())).stdout) as {
      tables: { name: string }[];
    };
    expect(json.tables.map((t) => t.name)).toContain('transactions');
  });

  it('migrate exits non-zero, naming the file, when an applied migration was tampered with', async () => {
    const dir = join(tmp(), 'migrations');
    cpSync(singleNodeMigrationsDir, dir, { recursive: true, filter: (src) => !src.includes('cluster') });
    const dataEnv = { CHAINGNN_DATA_DIR: join(tmp(), 'tamper') };
    expect((await runCli(['migrate', '--dir', dir], dataEnv)).code).toBe(0);
    appendFileSync(join(dir, '002_transactions.sql'), '\n-- tampered\n');
    const result = await runCli(['migrate', '--dir', dir], dataEnv);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error: Migration ${join(dir, '002_transactions.sql')} was edited after it was applied`,
    );
  });

  it('refuses an invalid configuration with every problem listed, before touching anything', async () => {
    const result = await runCli(['status'], {
      ...env(),
      CLICKHOUSE_URL: 'localhost:8123',
      LOG_LEVEL: 'chatty',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: Invalid configuration: 2 problems');
    expect(result.stderr).toContain('CLICKHOUSE_URL (clickhouse.url): expected a http/https URL');
    expect(result.stderr).toContain('LOG_LEVEL (logLevel): expected one of');
  });
});
