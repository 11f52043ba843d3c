import { appendFileSync, cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryRows, useTempDir, useTestWarehouse } from '../../test/setup/testWarehouse.js';
import { getRiskScoreSummaries } from './getRiskScores.js';
import {
  applyMigrations,
  getAppliedMigrations,
  MigrationError,
  readMigrations,
  singleNodeMigrationsDir,
} from './migrations.js';

const coreTables = [
  'address_communities',
  'address_features',
  'address_labels',
  'address_names',
  'address_names_of_contracts',
  'address_names_of_dex_swaps',
  'address_names_of_token_transfers',
  'address_names_of_transactions',
  'airdrop_campaigns',
  'airdrop_targets',
  'api_keys',
  'blocks',
  'contracts',
  'dex_pool_events',
  'dex_pools',
  'dex_swaps',
  'graph_snapshots',
  'indexer_checkpoints',
  'logs',
  'price_predictions',
  'risk_score_lookup',
  'risk_scores',
  'risk_scorings',
  'schema_migrations',
  'token_approvals',
  'token_transfers',
  'transactions',
];

describe('migrations', () => {
  const warehouse = useTestWarehouse({ migrate: false });
  const tmp = useTempDir();
  let copies = 0;

  /** A private copy of the shipped migrations that a test may edit. */
  function copyOfMigrations(): string {
    copies += 1;
    const dir = join(tmp(), `migrations-${copies}`);
    cpSync(singleNodeMigrationsDir, dir, { recursive: true, filter: (src) => !src.includes('cluster') });
    return dir;
  }

  async function tableNames(): Promise<string[]> {
    const rows = await queryRows<{ name: string }>(
      warehouse(),
      'SELECT name FROM system.tables WHERE database = currentDatabase() ORDER BY name',
    );
    return rows.map((row) => row.name);
  }

  it('applies every migration in order, then applies nothing the second time', async () => {
    const first = await applyMigrations(warehouse());
    expect(first.applied).toEqual(readMigrations(singleNodeMigrationsDir).map((m) => m.name));
    expect(first.applied[0]).toBe('001_blocks.sql');
    expect(await tableNames()).toEqual(coreTables);

    const second = await applyMigrations(warehouse());
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied });
    const recorded = await getAppliedMigrations(warehouse());
    expect(recorded.map((m) => m.name)).toEqual(first.applied);
  });

  it('applies only the new migration when one is added later', async () => {
    const dir = copyOfMigrations();
    await applyMigrations(warehouse(), { dir });
    writeFileSync(
      join(dir, '900_extra.sql'),
      'CREATE TABLE IF NOT EXISTS extra (x UInt8) ENGINE = MergeTree ORDER BY x;',
    );
    const report = await applyMigrations(warehouse(), { dir });
    expect(report.applied).toEqual(['900_extra.sql']);
    expect(await tableNames()).toContain('extra');
  });

  it('fills the risk score lookup and the scorings with the scores written before they existed', async () => {
    const dir = copyOfMigrations();
    const added = ['019_risk_score_lookup.sql', '020_risk_scorings.sql'];
    for (const name of added) renameSync(join(dir, name), join(tmp(), name));
    await applyMigrations(warehouse(), { dir });
    const score = (snapshot_id: string, address: string, model_version: number, scored_at: number) => ({
      chain_id: 1,
      snapshot_id,
      address,
      score: 0.25,
      category: 'phishing',
      model_version,
      architecture: 'sage',
      scored_snapshot_id: snapshot_id,
      scored_at,
      reasons: ['a reason'],
    });
    const [a, b] = [`0x${'e'.repeat(40)}`, `0x${'f'.repeat(40)}`];
    const scores = [score('s1', a, 1, 1_700_000_000_000), score('s2', a, 1, 1_700_000_000_000)];
    // s2 scored again, by version 2: its current scoring.
    const rescored = [score('s2', a, 2, 1_700_000_005_000), score('s2', b, 2, 1_700_000_005_000)];
    for (const rows of [scores, rescored]) await warehouse().insert('risk_scores', rows);
    for (const name of added) renameSync(join(tmp(), name), join(dir, name));

    expect((await applyMigrations(warehouse(), { dir })).applied).toEqual(added);
    for (const { reasons: _, ...summary } of [scores[0]!, ...rescored])
      expect(await getRiskScoreSummaries(warehouse(), 1, summary.snapshot_id, [summary.address])).toEqual([
        summary,
      ]);
    expect(
      await queryRows(
        warehouse(),
        `SELECT snapshot_id, model_version, addresses, toUnixTimestamp64Milli(scored_at) AS scored_at
         FROM risk_scorings ORDER BY snapshot_id`,
      ),
    ).toEqual([
      { snapshot_id: 's1', model_version: 1, addresses: '1', scored_at: '1700000000000' },
      { snapshot_id: 's2', model_version: 2, addresses: '2', scored_at: '1700000005000' },
    ]);
  });

  it('derives whether each transaction stored before the column existed carries calldata', async () => {
    const dir = copyOfMigrations();
    const added = '021_transactions_has_input.sql';
    renameSync(join(dir, added), join(tmp(), added));
    await applyMigrations(warehouse(), { dir });
    const inputs = ['0x', '0xa9059cbb', '0x00', '0x12345678'.padEnd(138, 'f')];
    await warehouse().insert(
      'transactions',
      inputs.map((input, transaction_index) => ({
        chain_id: 1,
        block_number: 1,
        transaction_index,
        hash: `0x${transaction_index}`,
        from_address: `0x${'a'.repeat(40)}`,
        to_address: `0x${'b'.repeat(40)}`,
        input,
        version: 1,
      })),
    );
    renameSync(join(tmp(), added), join(dir, added));

    expect((await applyMigrations(warehouse(), { dir })).applied).toEqual([added]);
    const rows = await queryRows<{ has_input: number }>(
      warehouse(),
      'SELECT has_input FROM transactions ORDER BY transaction_index',
    );
    expect(rows.map((row) => row.has_input)).toEqual([0, 1, 1, 1]);
    const mutations = await queryRows<{ command: string }>(
      warehouse(),
      "SELECT command FROM system.mutations WHERE database = currentDatabase() AND table = 'transactions'",
    );
    expect(mutations.map((m) => m.command)).toEqual(['(MATERIALIZE COLUMN has_input)']);
  });

  it('names every address stored before address_names existed, and, through its views, every one inserted after', async () => {
    const dir = copyOfMigrations();
    const added = '022_address_names.sql';
    renameSync(join(dir, added), join(tmp(), added));
    await applyMigrations(warehouse(), { dir });
    const address = (letter: string) => `0x${letter.repeat(40)}`;
    const transaction = (index: number, from: string, to: string | null) => ({
      chain_id: 1,
      block_number: 1,
      transaction_index: index,
      hash: `0x${index}`,
      from_address: address(from),
      to_address: to && address(to),
      version: 1,
    });
    // A creation (no recipient), a transfer of token t from a to b, a swap in pool p for r, a created contract c.
    await warehouse().insert('transactions', [transaction(0, 'a', null), transaction(1, 'a', 'b')]);
    await warehouse().insert('token_transfers', [
      {
        chain_id: 1,
        block_number: 1,
        log_index: 0,
        token_address: address('d'),
        from_address: address('a'),
        to_address: address('b'),
        value: '1',
        version: 1,
      },
    ]);
    await warehouse().insert('dex_swaps', [
      {
        chain_id: 1,
        block_number: 1,
        log_index: 1,
        pool_address: address('e'),
        sender: address('9'),
        recipient: address('f'),
        version: 1,
      },
    ]);
    await warehouse().insert('contracts', [
      { chain_id: 2, address: address('c'), block_number: 1, version: 1 },
    ]);
    renameSync(join(tmp(), added), join(dir, added));

    expect((await applyMigrations(warehouse(), { dir })).applied).toEqual([added]);
    const names = async () =>
      queryRows<{ chain: number; address: string; hashed: number }>(
        warehouse(),
        'SELECT toUInt8(chain_id) AS chain, address, key = cityHash64(address) AS hashed FROM address_names ORDER BY chain, address',
      );
    const named = (chain: number, letters: string) =>
      [...letters].map((letter) => ({ chain, address: address(letter), hashed: 1 }));
    // The swap's sender (a router) is not an endpoint of the graph: not named.
    expect(await names()).toEqual([...named(1, 'abdef'), ...named(2, 'c')]);
    await warehouse().insert('transactions', [transaction(2, '1', 'a')]);
    expect(await names()).toEqual([...named(1, '1abdef'), ...named(2, 'c')]);
  });

  it('refuses to run when an applied migration file was edited, naming the file, and changes nothing', async () => {
    const dir = copyOfMigrations();
    await applyMigrations(warehouse(), { dir });
    appendFileSync(join(dir, '003_logs.sql'), '\n-- a harmless-looking edit\n');
    writeFileSync(
      join(dir, '900_extra.sql'),
      'CREATE TABLE IF NOT EXISTS extra (x UInt8) ENGINE = MergeTree ORDER BY x;',
    );
    const error = (await applyMigrations(warehouse(), { dir }).catch((e: unknown) => e)) as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.code).toBe('MIGRATION_CHECKSUM_MISMATCH');
    expect(error.shortMessage).toMatch(/Migration .*003_logs\.sql was edited after it was applied/);
    expect(await tableNames()).not.toContain('extra');
  });

  it('refuses to run when an applied migration file is gone', async () => {
    const dir = copyOfMigrations();
    await applyMigrations(warehouse(), { dir });
    renameSync(join(dir, '008_indexer_checkpoints.sql'), join(tmp(), 'moved.sql'));
    await expect(applyMigrations(warehouse(), { dir })).rejects.toThrow(
      /Applied migration 008_indexer_checkpoints\.sql is missing from/,
    );
  });

  it('does not record a migration whose statement fails, and applies it once fixed', async () => {
    const dir = copyOfMigrations();
    const broken = join(dir, '900_broken.sql');
    writeFileSync(
      broken,
      'CREATE TABLE IF NOT EXISTS first_half (x UInt8) ENGINE = MergeTree ORDER BY x;\nCREATE TABLE IF NOT EXISTS second_half (x UInt8) ENGINE = NoSuchEngine;',
    );
    const error = (await applyMigrations(warehouse(), { dir }).catch((e: unknown) => e)) as MigrationError;
    expect(error).toBeInstanceOf(MigrationError);
    expect(error.shortMessage).toMatch(/Migration .*900_broken\.sql failed at statement 2/);
    expect(error.details).toContain('NoSuchEngine');
    expect((await getAppliedMigrations(warehouse())).map((m) => m.name)).not.toContain('900_broken.sql');

    writeFileSync(
      broken,
      'CREATE TABLE IF NOT EXISTS first_half (x UInt8) ENGINE = MergeTree ORDER BY x;\nCREATE TABLE IF NOT EXISTS second_half (x UInt8) ENGINE = MergeTree ORDER BY x;',
    );
    const report = await applyMigrations(warehouse(), { dir });
    expect(report.applied).toEqual(['900_broken.sql']);
    expect(await tableNames()).toEqual(expect.arrayContaining(['first_half', 'second_half']));
  });

  it('refuses badly named files and duplicate numbers before touching the warehouse', async () => {
    const badName = join(tmp(), 'bad-name');
    mkdirSync(badName);
    writeFileSync(join(badName, '1_blocks.sql'), 'SELECT 1');
    await expect(applyMigrations(warehouse(), { dir: badName })).rejects.toThrow(
      /Bad migration file name: .*1_blocks\.sql/,
    );

    const duplicate = copyOfMigrations();
    writeFileSync(join(duplicate, '002_other.sql'), 'SELECT 1');
    await expect(applyMigrations(warehouse(), { dir: duplicate })).rejects.toThrow(
      'Two migrations share the number 002: 002_other.sql and 002_transactions.sql',
    );
    expect(await tableNames()).toEqual([]);
  });

  it('reports a missing migrations directory clearly', async () => {
    const missing = join(tmp(), 'nowhere');
    rmSync(missing, { force: true, recursive: true });
    await expect(applyMigrations(warehouse(), { dir: missing })).rejects.toThrow(
      /Cannot read the migrations directory .*nowhere/,
    );
  });

  it('every shipped CREATE and ADD COLUMN is idempotent (IF NOT EXISTS), so an interrupted migration can simply run again', () => {
    for (const migration of readMigrations(singleNodeMigrationsDir)) {
      for (const statement of migration.statements) {
        if (/^CREATE\b/i.test(statement))
          expect(statement, migration.name).toMatch(/^CREATE (MATERIALIZED )?\w+ IF NOT EXISTS /i);
        if (/\bADD COLUMN\b/i.test(statement))
          expect(statement, migration.name).toMatch(/\bADD COLUMN IF NOT EXISTS /i);
      }
    }
  });
});
