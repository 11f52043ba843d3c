import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { datasetsDir } from '../setup/mainnetFixtures.js';
import { runCli } from '../setup/spawnProcess.js';
import { useTempDir } from '../setup/testWarehouse.js';

const fixtures = join(datasetsDir, 'rpc-fixtures', 'test_export_blocks_job');
const blocks = ['blocks_with_transactions', 'block_with_logs'].map((d) =>
  join(fixtures, d, 'expected_blocks.csv'),
);
const transactions = join(fixtures, 'block_with_logs', 'expected_transactions.csv');

describe('chaingnn import and labels import', () => {
  const tmp = useTempDir('chaingnn-e2e-import-');
  const env = () => ({ CHAINGNN_DATA_DIR: join(tmp(), 'data') });
  const sqlJson = async (query: string) => {
    const result = await runCli(['sql', query, '-f', 'json'], env());
    expect(result.code).toBe(0);
    return result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  };

  beforeAll(async () => {
    expect((await runCli(['migrate'], env())).code).toBe(0);
  });

  it('imports ethereum-etl files and prints rows per file and the time taken', async () => {
    const result = await runCli(['import', '--format', 'ethereum-etl', '--kind', 'blocks', ...blocks], env());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Imported 3 rows into blocks in \d+\.\d\d s \(\d+ rows\/s\):\n/);
    expect(result.stdout).toContain(`  ${blocks[0]}  2 rows\n`);
    expect(result.stdout).toMatch(new RegExp(`\n  ${blocks[1]} +1 row\n$`));

    const txs = await runCli(
      ['import', '--format', 'ethereum-etl', '--kind', 'transactions', '--chain-id', '1', transactions],
      env(),
    );
    expect(txs.code).toBe(0);
    expect(await sqlJson('SELECT count() AS n, toString(sum(value)) AS wei FROM transactions')).toEqual([
      { n: '4', wei: '1541220060000000000' },
    ]);
  });

  it('a failing import exits 1 with file:line, column and what was expected, and writes nothing', async () => {
    const lines = readFileSync(transactions, 'utf8').split('\n');
    lines[2] = lines[2]!.replace('0x9b22a80d5c7b3374a05b446081f97d0a34079e7f', 'not-an-address');
    const bad = join(tmp(), 'bad_transactions.csv');
    writeFileSync(bad, lines.join('\n'));
    const dataEnv = { CHAINGNN_DATA_DIR: join(tmp(), 'failing') };
    expect((await runCli(['migrate'], dataEnv)).code).toBe(0);
    const result = await runCli(
      ['import', '--format', 'ethereum-etl', '--kind', 'transactions', bad],
      dataEnv,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      new RegExp(
        `^error: ${bad}:3 from_address: expected a 0x-prefixed 20-byte hex address, got 'not-an-address'\n`,
      ),
    );
    expect(result.stderr).toContain('Nothing was imported');
    const count = await runCli(['sql', 'SELECT count() AS n FROM transactions', '-f', 'json'], dataEnv);
    expect(count.stdout).toBe('{"n":"0"}\n');

    const usage = await runCli(['import', bad], dataEnv);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toMatch(/^error: import needs --format, --kind and at least one file\n/);
  });

  it('imports the phishing-eth1 dataset from its default folder, into a data directory never migrated', async () => {
    const fresh = { CHAINGNN_DATA_DIR: join(tmp(), 'fresh') };
    const result = await runCli(['import', 'phishing-eth1'], fresh);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Imported phishing-eth1 from \.\.\/shared\/datasets\/phishing-eth1 in \d+\.\d\d s \(\d+ rows\/s\):\n {2}transactions {4}5569 \(5597 rows in 700 files; each transaction once\)\n {2}address_labels {2}700 \(350 phishing, 350 organic\)\n$/,
    );
  });

  it('labels import: a list with --source, then a bad one refused by file:line', async () => {
    const list = join(tmp(), 'labels.csv');
    writeFileSync(
      list,
      'address,label,category\n0xAB5801A7D398351B8BE11C439E05C5B3259AEC9B,Fake_Phishing12,phishing\n0x098b716b8aaf21512996dc57eb0615e2383e2f96,Drainer,drainer\n',
    );
    const result = await runCli(['labels', 'import', list, '--source', 'etherscan'], env());
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^Imported 2 labels from etherscan into address_labels in \\d+\\.\\d\\d s:\\n  ${list}  2 rows\\n$`,
      ),
    );
    expect(
      await sqlJson(
        "SELECT address, category FROM address_labels WHERE source = 'etherscan' ORDER BY address",
      ),
    ).toEqual([
      { address: '0x098b716b8aaf21512996dc57eb0615e2383e2f96', category: 'drainer' },
      { address: '0xab5801a7d398351b8be11c439e05c5b3259aec9b', category: 'phishing' },
    ]);

    const bad = join(tmp(), 'bad_labels.csv');
    writeFileSync(bad, '0x098b716b8aaf21512996dc57eb0615e2383e2f96,ok\n0xnope,bad\n');
    const refused = await runCli(['labels', 'import', bad, '--source', 'other'], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      new RegExp(`^error: ${bad}:2 address: expected a 0x-prefixed 20-byte hex address, got '0xnope'\n`),
    );
    expect(await sqlJson("SELECT count() AS n FROM address_labels WHERE source = 'other'")).toEqual([
      { n: '0' },
    ]);

    const noSource = await runCli(['labels', 'import', list], env());
    expect(noSource.code).toBe(1);
    expect(noSource.stderr).toContain("required option '--source <name>' not specified");
  });
});
