import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetsDir } from '../../test/setup/mainnetFixtures.js';
import { queryRows, useTempDir, useTestWarehouse } from '../../test/setup/testWarehouse.js';
import type { Warehouse } from './createWarehouse.js';
import { ImportError } from './importStaging.js';
import { importTable } from './importTable.js';

const fixtures = join(datasetsDir, 'rpc-fixtures');
const etl = {
  blocks: [
    'test_export_blocks_job/blocks_with_transactions/expected_blocks.csv',
    'test_export_blocks_job/block_with_logs/expected_blocks.csv',
    'test_export_blocks_job/block_without_transactions/expected_blocks.csv',
  ].map((f) => join(fixtures, f)),
  transactions: [
    'test_export_blocks_job/blocks_with_transactions/expected_transactions.csv',
    'test_export_blocks_job/block_with_logs/expected_transactions.csv',
    // Genesis has no transactions: ethereum-etl wrote an empty file.
    'test_export_blocks_job/block_without_transactions/expected_transactions.csv',
  ].map((f) => join(fixtures, f)),
  logs: [join(fixtures, 'test_export_receipts_job/receipts_with_logs/expected_logs.csv')],
  receipts: join(fixtures, 'test_export_receipts_job/receipts_with_logs/expected_receipts.csv'),
  tokenTransfers: [
    join(fixtures, 'test_export_token_transfers_job/block_with_transfers/expected_token_transfers.csv'),
  ],
};

/** The ethereum-etl columns the expectations read by name. */
type EtlField =
  | 'number'
  | 'hash'
  | 'block_number'
  | 'transaction_index'
  | 'log_index'
  | 'nonce'
  | 'from_address'
  | 'to_address'
  | 'value'
  | 'gas'
  | 'gas_price'
  | 'input'
  | 'transaction_type'
  | 'transaction_hash'
  | 'address'
  | 'data'
  | 'topics'
  | 'cumulative_gas_used'
  | 'gas_used'
  | 'contract_address'
  | 'root'
  | 'status'
  | 'effective_gas_price';
type EtlRow = Record<string, string> & Record<EtlField, string>;

/** A small independent CSV reader for the expectations (quoted fields, no quoted newlines). */
function readCsv(path: string): EtlRow[] {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim());
  const split = (line: string) =>
    [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) =>
      m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"'),
    );
  const [header, ...rows] = lines.map(split);
  return rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i] ?? ''])) as EtlRow);
}

/** The CSV's rows projected on `columns`, in the order of `key`. */
function expectedRows(paths: readonly string[], columns: readonly string[], key: (r: EtlRow) => number) {
  return paths
    .flatMap(readCsv)
    .sort((a, b) => key(a) - key(b))
    .map((row) => Object.fromEntries(columns.map((c) => [c, row[c]!])));
}

/** Warehouse rows with every column as the text ethereum-etl writes (NULL as '', times as unix seconds). */
async function storedRows(
  warehouse: Warehouse,
  table: string,
  columns: Record<string, string>,
  order: string,
) {
  const select = Object.entries(columns)
    .map(([name, sql]) => `${sql} AS ${name}`)
    .join(', ');
  return queryRows<Record<string, string>>(warehouse, `SELECT ${select} FROM ${table} ORDER BY ${order}`);
}

const text = (column: string) => `ifNull(toString(${column}), '')`;
const columnsOf = (names: string[], overrides: Record<string, string> = {}) =>
  Object.fromEntries(names.map((n) => [n, overrides[n] ?? text(n)]));

const blockColumns = columnsOf(
  [
    'number',
    'hash',
    'parent_hash',
    'miner',
    'difficulty',
    'size',
    'extra_data',
    'gas_limit',
    'gas_used',
    'timestamp',
    'transaction_count',
    'base_fee_per_gas',
  ],
  { timestamp: 'toString(toUnixTimestamp(timestamp))' },
);
const transactionColumns = columnsOf(
  [
    'hash',
    'nonce',
    'block_hash',
    'block_number',
    'transaction_index',
    'from_address',
    'to_address',
    'value',
    'gas',
    'gas_price',
    'input',
    'block_timestamp',
    'max_fee_per_gas',
    'max_priority_fee_per_gas',
    'transaction_type',
  ],
  { block_timestamp: 'toString(toUnixTimestamp(block_timestamp))' },
);
const logColumns = columnsOf(
  [
    'log_index',
    'transaction_hash',
    'transaction_index',
    'block_hash',
    'block_number',
    'address',
    'data',
    'topics',
  ],
  { topics: "arrayStringConcat(topics, ',')" },
);
const transferColumns = columnsOf([
  'token_address',
  'from_address',
  'to_address',
  'value',
  'transaction_hash',
  'log_index',
  'block_number',
]);

describe('importTable', () => {
  const warehouse = useTestWarehouse();
  const tmp = useTempDir('chaingnn-import-');

  it('imports ethereum-etl blocks, transactions, logs and token transfers with exactly the CSV values', async () => {
    const blocks = await importTable(warehouse(), {
      format: 'ethereum-etl',
      kind: 'blocks',
      paths: etl.blocks,
    });
    expect(blocks.rows).toBe(4);
    expect(blocks.files.map((f) => f.rows)).toEqual([2, 1, 1]);
    const transactions = await importTable(warehouse(), {
      format: 'ethereum-etl',
      kind: 'transactions',
      paths: etl.transactions,
    });
    expect(transactions.files.map((f) => f.rows)).toEqual([4, 4, 0]);
    await importTable(warehouse(), { format: 'ethereum-etl', kind: 'logs', paths: etl.logs });
    await importTable(warehouse(), {
      format: 'ethereum-etl',
      kind: 'token_transfers',
      paths: etl.tokenTransfers,
    });

    expect(await storedRows(warehouse(), 'blocks', blockColumns, 'number')).toEqual(
      expectedRows(etl.blocks, Object.keys(blockColumns), (r) => Number(r.number)),
    );
    const txs = await storedRows(
      warehouse(),
      'transactions',
      transactionColumns,
      'block_number, transaction_index',
    );
    expect(txs).toEqual(
      expectedRows(
        etl.transactions,
        Object.keys(transactionColumns),
        (r) => Number(r.block_number) * 1000 + Number(r.transaction_index),
      ),
    );
    // 110 ETH is more than 2^64 wei: UInt256 keeps it exact.
    expect(txs[0]!.value).toBe('110000000000000000000');
    // These files carry no receipts: every receipt column stays NULL.
    const [receipts] = await queryRows<{ n: string }>(
      warehouse(),
      `SELECT count() AS n FROM transactions WHERE status IS NULL AND gas_used IS NULL AND cumulative_gas_used IS NULL
         AND effective_gas_price IS NULL AND contract_address IS NULL`,
    );
    expect(receipts!.n).toBe('8');

    // ethereum-etl's logs have no block_timestamp: it comes from the blocks imported above.
    const logs = await storedRows(
      warehouse(),
      'logs',
      { ...logColumns, time: 'toString(toUnixTimestamp(block_timestamp))' },
      'log_index',
    );
    expect(logs).toEqual(
      expectedRows(etl.logs, Object.keys(logColumns), (r) => Number(r.log_index)).map((r) => ({
        ...r,
        time: '1446561880',
      })),
    );
    // Its token transfers lack block hash, time and transaction index: taken from blocks and transactions.
    const transfers = await storedRows(
      warehouse(),
      'token_transfers',
      {
        ...transferColumns,
        transaction_index: 'toString(transaction_index)',
        block_hash: 'block_hash',
        standard: 'toString(token_standard)',
      },
      'log_index',
    );
    expect(transfers).toEqual(
      expectedRows(etl.tokenTransfers, Object.keys(transferColumns), (r) => Number(r.log_index)).map(
        (r, i) => ({
          ...r,
          transaction_index: String(i),
          block_hash: '0x246edb4b351d93c27926f4649bcf6c24366e2a7c7c718dc9158eea20c03bc6ae',
          standard: 'erc20',
        }),
      ),
    );
  });

  it('reads the receipt columns of enriched ethereum-etl transactions', async () => {
    // ethereum-etl's enriched transactions = the transactions of block 483,920 with its receipts' columns.
    const receipts = new Map(readCsv(etl.receipts).map((r) => [r.transaction_hash, r]));
    const source = readCsv(
      join(fixtures, 'test_export_blocks_job/block_with_logs/expected_transactions.csv'),
    );
    const extra = [
      'receipt_cumulative_gas_used',
      'receipt_gas_used',
      'receipt_contract_address',
      'receipt_root',
      'receipt_status',
      'receipt_effective_gas_price',
    ];
    const names = [...Object.keys(source[0]!), ...extra];
    const lines = source.map((t) => {
      const r = receipts.get(t.hash)!;
      return [
        ...Object.values(t),
        r.cumulative_gas_used,
        r.gas_used,
        r.contract_address,
        r.root,
        r.status,
        r.effective_gas_price,
      ].join(',');
    });
    const file = join(tmp(), 'enriched_transactions.csv');
    writeFileSync(file, `${names.join(',')}\n${lines.join('\n')}\n`);
    await importTable(warehouse(), { format: 'ethereum-etl', kind: 'transactions', paths: [file] });
    const rows = await queryRows(
      warehouse(),
      'SELECT transaction_index, status, gas_used, cumulative_gas_used, effective_gas_price, contract_address FROM transactions ORDER BY transaction_index',
    );
    expect(rows).toEqual([
      {
        transaction_index: 0,
        status: null,
        gas_used: '50853',
        cumulative_gas_used: '50853',
        effective_gas_price: '50000000000',
        contract_address: null,
      },
      {
        transaction_index: 1,
        status: null,
        gas_used: '50853',
        cumulative_gas_used: '101706',
        effective_gas_price: '50000000000',
        contract_address: null,
      },
      {
        transaction_index: 2,
        status: null,
        gas_used: '21000',
        cumulative_gas_used: '122706',
        effective_gas_price: '50000000000',
        contract_address: null,
      },
      {
        transaction_index: 3,
        status: null,
        gas_used: '21000',
        cumulative_gas_used: '143706',
        effective_gas_price: '50000000000',
        contract_address: null,
      },
    ]);
  });

  it('re-importing the same files leaves each key once', async () => {
    for (let round = 0; round < 2; round += 1) {
      await importTable(warehouse(), { format: 'ethereum-etl', kind: 'blocks', paths: etl.blocks });
      await importTable(warehouse(), {
        format: 'ethereum-etl',
        kind: 'transactions',
        paths: etl.transactions,
      });
      await importTable(warehouse(), { format: 'ethereum-etl', kind: 'logs', paths: etl.logs });
    }
    const [counts] = await queryRows(
      warehouse(),
      `SELECT
         (SELECT count() FROM blocks) AS blocks, (SELECT uniqExact(chain_id, number) FROM blocks) AS block_keys,
         (SELECT count() FROM transactions) AS txs, (SELECT uniqExact(block_number, transaction_index) FROM transactions) AS tx_keys,
         (SELECT count() FROM logs) AS logs,
         (SELECT count() FROM transactions SETTINGS final = 0) AS stored_txs`,
    );
    expect(counts).toEqual({
      blocks: '4',
      block_keys: '4',
      txs: '8',
      tx_keys: '8',
      logs: '2',
      stored_txs: '16',
    });
    const tables = await queryRows(
      warehouse(),
      "SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE '\\_import%'",
    );
    expect(tables).toEqual([]);
  });

  it('refuses a bad address with file, line and column, accepts checksummed ones, and writes nothing', async () => {
    const source = readFileSync(etl.transactions[1]!, 'utf8').split('\n');
    // Line 2 (the first row) gets a checksummed (mixed-case) sender, which is fine; line 3 a short one.
    source[1] = source[1]!.replace(
      '0x1b63142628311395ceafeea5667e7c9026c862ca',
      '0x1B63142628311395ceAFEEA5667e7c9026c862cA',
    );
    const good = join(tmp(), 'checksummed.csv');
    writeFileSync(good, source.join('\n'));
    source[2] = source[2]!.replace(
      '0x9b22a80d5c7b3374a05b446081f97d0a34079e7f',
      '0x9b22a80d5c7b3374a05b446081f97d0a34079e7',
    );
    const bad = join(tmp(), 'bad_address.csv');
    writeFileSync(bad, source.join('\n'));

    const error = await importTable(warehouse(), {
      format: 'ethereum-etl',
      kind: 'transactions',
      paths: [good, bad],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).shortMessage).toBe(
      `${bad}:3 from_address: expected a 0x-prefixed 20-byte hex address, got '0x9b22a80d5c7b3374a05b446081f97d0a34079e7'`,
    );
    expect((error as ImportError).details).toContain('1 invalid row in total');
    // The good file was staged too, but nothing reached the table.
    expect(await queryRows(warehouse(), 'SELECT count() AS n FROM transactions')).toEqual([{ n: '0' }]);

    await importTable(warehouse(), { format: 'ethereum-etl', kind: 'transactions', paths: [good] });
    const [first] = await queryRows(
      warehouse(),
      'SELECT from_address FROM transactions ORDER BY transaction_index LIMIT 1',
    );
    expect(first).toEqual({ from_address: '0x1b63142628311395ceafeea5667e7c9026c862ca' });
  });

  it('reports every kind of bad value by its column: hashes, numbers, overflow', async () => {
    const source = readFileSync(etl.transactions[0]!, 'utf8').split('\n');
    source[1] = source[1]!.replace(',110000000000000000000,', ',1.1e20,'); // line 2: a float, not wei
    source[2] = source[2]!.replace('0x95844e6c', '0x95844e6'); // line 3: a 63-digit hash
    source[4] = source[4]!.replace(/,21000,/, `,${2n ** 64n},`); // line 5: gas above UInt64
    const file = join(tmp(), 'many_bad.csv');
    writeFileSync(file, source.join('\n'));
    const error = (await importTable(warehouse(), {
      format: 'ethereum-etl',
      kind: 'transactions',
      paths: [file],
    }).catch((e: unknown) => e)) as ImportError;
    expect(error.shortMessage).toBe(
      `${file}:2 value: expected an unsigned integer below 2^256, got '1.1e20'`,
    );
    expect(error.details).toContain(
      `${file}:3 hash: expected a 0x-prefixed 32-byte hex hash, got '0x95844e6`,
    );
    expect(error.details).toContain(
      `${file}:5 gas: expected an unsigned integer below 2^64, got '18446744073709551616'`,
    );
    expect(error.details).toContain('3 invalid rows in total');
  });

  it('refuses a truncated CSV with the file and line ClickHouse stopped at, and writes nothing', async () => {
    const text = readFileSync(etl.transactions[0]!, 'utf8');
    const cut = join(tmp(), 'truncated.csv');
    writeFileSync(cut, text.slice(0, text.lastIndexOf('0x32be343b')));
    const error = (await importTable(warehouse(), {
      format: 'ethereum-etl',
      kind: 'transactions',
      paths: [etl.transactions[1]!, cut],
    }).catch((e: unknown) => e)) as ImportError;
    expect(error).toBeInstanceOf(ImportError);
    expect(error.shortMessage).toMatch(
      new RegExp(`^${cut}:5: cannot parse the record: .*less columns than expected`),
    );
    expect(error.details).toContain('Expected 15 comma-separated fields');

    // Cut inside a quoted field (the topics of a log): the quote never closes.
    const logs = readFileSync(etl.logs[0]!, 'utf8');
    const cutLogs = join(tmp(), 'truncated_logs.csv');
    writeFileSync(cutLogs, logs.slice(0, logs.lastIndexOf(',0x0000000000000000000000009b22a80d')));
    const quoteError = (await importTable(warehouse(), {
      format: 'ethereum-etl',
      kind: 'logs',
      paths: [cutLogs],
    }).catch((e: unknown) => e)) as ImportError;
    expect(quoteError.shortMessage).toBe(
      `${cutLogs}:3: a quoted field is not closed before the end of the file (a truncated file, or a stray quote)`,
    );
    const [counts] = await queryRows(
      warehouse(),
      'SELECT (SELECT count() FROM transactions) AS t, (SELECT count() FROM logs) AS l',
    );
    expect(counts).toEqual({ t: '0', l: '0' });
  });

  it('refuses a file without a required column, naming it', async () => {
    const file = join(tmp(), 'no_value.csv');
    writeFileSync(file, 'hash,block_number,transaction_index,from_address,to_address\n');
    await expect(
      importTable(warehouse(), { format: 'ethereum-etl', kind: 'transactions', paths: [file] }),
    ).rejects.toThrow(`${file}: no column value`);
  });

  it('round-trips our own CSV (as `chaingnn sql -f csv` writes it), and checks its chain_id', async () => {
    await importTable(warehouse(), { format: 'ethereum-etl', kind: 'blocks', paths: etl.blocks });
    await importTable(warehouse(), { format: 'ethereum-etl', kind: 'logs', paths: etl.logs });
    for (const table of ['blocks', 'logs']) {
      const result = await warehouse().client.query({
        query: `SELECT * FROM ${table}`,
        format: 'CSVWithNames',
      });
      writeFileSync(join(tmp(), `${table}.csv`), await result.text());
    }
    const before = await queryRows(warehouse(), 'SELECT * EXCEPT version FROM logs ORDER BY log_index');
    const blocksBefore = await queryRows(warehouse(), 'SELECT * EXCEPT version FROM blocks ORDER BY number');

    const wrongChain = await importTable(warehouse(), {
      format: 'csv',
      kind: 'logs',
      chainId: 5,
      paths: [join(tmp(), 'logs.csv')],
    }).catch((e: unknown) => e);
    expect((wrongChain as ImportError).shortMessage).toBe(
      `${join(tmp(), 'logs.csv')}:2 chain_id: expected 5 (the chain being imported; pass --chain-id), got '1'`,
    );

    await warehouse().client.command({ query: 'TRUNCATE TABLE logs' });
    await warehouse().client.command({ query: 'TRUNCATE TABLE blocks' });
    await importTable(warehouse(), { format: 'csv', kind: 'blocks', paths: [join(tmp(), 'blocks.csv')] });
    await importTable(warehouse(), { format: 'csv', kind: 'logs', paths: [join(tmp(), 'logs.csv')] });
    expect(await queryRows(warehouse(), 'SELECT * EXCEPT version FROM logs ORDER BY log_index')).toEqual(
      before,
    );
    expect(await queryRows(warehouse(), 'SELECT * EXCEPT version FROM blocks ORDER BY number')).toEqual(
      blocksBefore,
    );
  });

  it('imports cryo transactions Parquet: binary hashes and addresses, u256 as binary and string', async () => {
    await importTable(warehouse(), { format: 'ethereum-etl', kind: 'blocks', paths: etl.blocks });
    const rows = etl.transactions.slice(0, 2).flatMap(readCsv);
    // The cryo `transactions` dataset's columns and types (binary columns, u256 as _binary/_string/_f64).
    const values = rows
      .map(
        (
          t,
          i,
        ) => `(${t.block_number}, ${t.transaction_index}, unhex('${t.hash.slice(2)}'), ${t.nonce}, unhex('${t.from_address.slice(2)}'),
          ${i === 3 ? 'NULL' : `unhex('${t.to_address.slice(2)}')`}, unhex('${BigInt(t.value).toString(16).padStart(64, '0')}'), '${t.value}',
          toFloat64('${t.value}'), unhex('${t.input.slice(2)}'), ${t.gas}, ${t.gas_price}, ${t.transaction_type}, NULL, NULL, 1)`,
      )
      .join(',\n');
    const file = join(tmp(), 'ethereum__transactions__00047218_to_00483920.parquet');
    await warehouse().client.command({
      query: `SELECT * FROM values(
          'block_number UInt32, transaction_index UInt64, transaction_hash String, nonce UInt64, from_address String,
           to_address Nullable(String), value_binary String, value_string String, value_f64 Float64, input String,
           gas_limit UInt64, gas_price Nullable(UInt64), transaction_type Nullable(UInt32),
           max_priority_fee_per_gas Nullable(UInt64), max_fee_per_gas Nullable(UInt64), chain_id UInt64',
          ${values})
        INTO OUTFILE '${file}' FORMAT Parquet`,
    });
    // cryo writes one file per block range; a directory of them is one import (one staging table).
    const dir = join(tmp(), 'cryo_transactions');
    mkdirSync(dir);
    const parts = [
      join(dir, 'part_00047218_to_00047219.parquet'),
      join(dir, 'part_00483920_to_00483920.parquet'),
    ];
    for (const [i, part] of parts.entries()) {
      await warehouse().client.command({
        query: `SELECT * FROM file('${file}', Parquet) WHERE (block_number > 100000) = ${i} INTO OUTFILE '${part}' FORMAT Parquet`,
      });
    }
    const report = await importTable(warehouse(), { format: 'cryo', kind: 'transactions', paths: [dir] });
    expect(report.files).toEqual([
      { path: parts[0], rows: 4 },
      { path: parts[1], rows: 4 },
    ]);

    const stored = await storedRows(
      warehouse(),
      'transactions',
      transactionColumns,
      'block_number, transaction_index',
    );
    const expected = expectedRows(
      etl.transactions.slice(0, 2),
      Object.keys(transactionColumns),
      (r) => Number(r.block_number) * 1000 + Number(r.transaction_index),
    );
    // cryo has no block hash or time: both come from the blocks in the warehouse. Row 3 was made a creation.
    expect(stored).toEqual(expected.map((r, i) => (i === 3 ? { ...r, to_address: '' } : r)));
    expect(stored[0]!.value).toBe('110000000000000000000');

    // Without value_string, the 32-byte big-endian value_binary is read; a float alone is refused.
    const binaryOnly = join(tmp(), 'binary_only.parquet');
    await warehouse().client.command({
      query: `SELECT * EXCEPT (value_string, value_f64) FROM file('${file}', Parquet) INTO OUTFILE '${binaryOnly}' FORMAT Parquet`,
    });
    await warehouse().client.command({ query: 'TRUNCATE TABLE transactions' });
    await importTable(warehouse(), { format: 'cryo', kind: 'transactions', paths: [binaryOnly] });
    expect(await queryRows(warehouse(), 'SELECT toString(sum(value)) AS total FROM transactions')).toEqual([
      { total: String(rows.reduce((sum, t) => sum + BigInt(t.value), 0n)) },
    ]);
    const floatOnly = join(tmp(), 'float_only.parquet');
    await warehouse().client.command({
      query: `SELECT * EXCEPT (value_string, value_binary) FROM file('${file}', Parquet) INTO OUTFILE '${floatOnly}' FORMAT Parquet`,
    });
    await expect(
      importTable(warehouse(), { format: 'cryo', kind: 'transactions', paths: [floatOnly] }),
    ).rejects.toThrow(`${floatOnly}: no column value`);
  });

  it('imports cryo logs (topic0..topic3) and refuses a bad row by its Parquet row number', async () => {
    await importTable(warehouse(), { format: 'ethereum-etl', kind: 'blocks', paths: etl.blocks });
    const logs = readCsv(etl.logs[0]!);
    const values = logs
      .map((l) => {
        const topics = l.topics.split(',').map((t) => `unhex('${t.slice(2)}')`);
        return `(${l.block_number}, ${l.transaction_index}, ${l.log_index}, unhex('${l.transaction_hash.slice(2)}'), unhex('${l.address.slice(2)}'),
          ${topics.join(', ')}, NULL, unhex('${l.data.slice(2)}'), 1)`;
      })
      .join(',\n');
    const structure = `'block_number UInt32, transaction_index UInt32, log_index UInt32, transaction_hash String, address String,
      topic0 Nullable(String), topic1 Nullable(String), topic2 Nullable(String), topic3 Nullable(String), data String, chain_id UInt64'`;
    const file = join(tmp(), 'logs.parquet');
    await warehouse().client.command({
      query: `SELECT * FROM values(${structure}, ${values}) INTO OUTFILE '${file}' FORMAT Parquet`,
    });
    await importTable(warehouse(), { format: 'cryo', kind: 'logs', paths: [file] });
    expect(await storedRows(warehouse(), 'logs', logColumns, 'log_index')).toEqual(
      expectedRows(etl.logs, Object.keys(logColumns), (r) => Number(r.log_index)),
    );

    const bad = join(tmp(), 'bad_logs.parquet');
    await warehouse().client.command({
      query: `SELECT * REPLACE (if(log_index = 1, unhex('abcd'), address) AS address) FROM file('${file}', Parquet) INTO OUTFILE '${bad}' FORMAT Parquet`,
    });
    await warehouse().client.command({ query: 'TRUNCATE TABLE logs' });
    // The good file is staged first, in the same staging table: the bad row is still named by its own file.
    await expect(
      importTable(warehouse(), { format: 'cryo', kind: 'logs', paths: [file, bad] }),
    ).rejects.toThrow(`${bad}:row 2 address: expected a 0x-prefixed 20-byte hex address, got '0xabcd'`);
    expect(await queryRows(warehouse(), 'SELECT count() AS n FROM logs')).toEqual([{ n: '0' }]);
  });
});
