import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createVersionClock } from '../utils/createVersionClock.js';
import type { Warehouse } from './createWarehouse.js';
import { csvText, type FieldSource, type ImportField, selectStage, validateStage } from './importFields.js';
import { createImportStaging, ImportError, type Stage, stageColumn } from './importStaging.js';
import { importFields } from './importTable.js';
import { readFirstCsvRecord } from './scanCsv.js';

/** The `address_labels.source` of the dataset's labels. */
export const phishingDatasetSource = 'phishing-eth1';

/** The columns of the dataset's `transactions/<index>.csv` files (the first, unnamed, is a row number). */
const expectedHeader = [
  '',
  'blockNumber',
  'timestamp',
  'transactionHash',
  'from',
  'to',
  'fromIsContract',
  'toIsContract',
  'callType',
  'callingFunction',
  'value',
  'isError',
];

/** Options for {@link importPhishingDataset}. */
export interface ImportPhishingDatasetOptions {
  /** The dataset folder: `labels.txt` and `transactions/<index>.csv`. */
  dir: string;
  /** The rows' `version` and the labels' `added_at` (default: now, unix milliseconds). */
  version?: number;
}

/** What {@link importPhishingDataset} wrote. */
export interface PhishingDatasetReport {
  /** Labelled target accounts, and how many of them are phishing. */
  labels: number;
  phishing: number;
  files: number;
  /** Rows in the files, and distinct transactions among them (the neighbourhoods overlap). */
  rows: number;
  transactions: number;
  seconds: number;
}

/**
 * SQL turning an ETH amount written as a decimal string (`1.5`, `0.009000000000000001`, `9.11e-16`) into
 * wei as decimal text, exactly: the digits are shifted by string operations, never through a float. An
 * amount with more than 18 decimals (the dataset has 12: float artefacts such as `0.0007059999999999999`)
 * is rounded to the nearest wei, halves up, in integer arithmetic. NULL when the text is not a number.
 */
export function ethToWeiSql(value: string): string {
  const pattern = `'^([0-9]*)(?:[.]([0-9]*))?(?:[eE]([-+]?[0-9]+))?$'`;
  const integer = `regexpExtract(${value}, ${pattern}, 1)`;
  const fraction = `regexpExtract(${value}, ${pattern}, 2)`;
  const exponent = `toInt32OrZero(replaceOne(regexpExtract(${value}, ${pattern}, 3), '+', ''))`;
  const digits = `concat(${integer}, ${fraction})`;
  const shift = `(18 - toInt32(length(${fraction})) + ${exponent})`;
  const up = `toUInt32(greatest(${shift}, 0))`;
  const kept = `toInt64(length(${digits})) + least(${shift}, 0)`;
  const whole = `substring(${digits}, 1, toUInt64(greatest(${kept}, 0)))`;
  const firstDropped = `substring(${digits}, toUInt64(greatest(${kept}, 0)) + 1, 1)`;
  const rounded = `toString(toUInt256OrZero(${whole}) + toUInt256(${firstDropped} >= '5'))`;
  const wei = `if(${shift} >= 0, concat(${digits}, repeat('0', ${up})), if(${kept} > 76, NULL, ${rounded}))`;
  return `if(NOT match(${value}, ${pattern}) OR ${digits} = '' OR abs(${shift}) > 100, NULL, replaceRegexpOne(${wei}, '^0+(.)', '\\\\1'))`;
}

/**
 * The dataset's transactions carry no transaction index (and no block hash). A stable one is derived from
 * the hash so that the key (chain_id, block_number, transaction_index) is unique and a re-import replaces
 * the same rows: 2^31 + (the hash's first four bytes, big-endian, mod 2^31). Real indexes are far below 2^31,
 * so these never collide with indexed transactions; two dataset transactions of one block collide with
 * probability ~2^-31. Such rows are recognisable by `block_hash = ''` and `transaction_index >= 2^31`.
 */
export function derivedTransactionIndexSql(hash: string): string {
  return `toString(2147483648 + reinterpretAsUInt32(reverse(unhex(substring(${hash}, 3, 8)))) % 2147483648)`;
}

/**
 * Imports the phishing-eth1 dataset (TSGN's Ethereum1_TN, see ../shared/datasets/README.md): every
 * `transactions/<index>.csv` into `transactions` (each transaction once: the neighbourhoods overlap) and
 * `labels.txt` into `address_labels` (source `phishing-eth1`, category `phishing` for label 1, `organic`
 * for 0; chain 1). Both are validated completely before anything is written. Mapping: `value` (ETH) → wei
 * exactly (to the nearest wei beyond 18 decimals); `isError` (None/0/1) → `status` (NULL/1/0); `callingFunction` (the 4-byte selector, all the input
 * the dataset has) → `input`; `block_hash` ''; nonce and gas 0; fee and receipt fields NULL.
 */
export async function importPhishingDataset(
  warehouse: Warehouse,
  options: ImportPhishingDatasetOptions,
): Promise<PhishingDatasetReport> {
  const started = performance.now();
  const version = options.version ?? createVersionClock()();
  const labelsPath = join(options.dir, 'labels.txt');
  const transactionsDir = join(options.dir, 'transactions');
  let names: string[];
  try {
    names = (await readdir(transactionsDir)).filter((name) => /^\d+\.csv$/.test(name));
  } catch (error) {
    throw new ImportError(`Cannot read ${transactionsDir}`, {
      code: 'IMPORT_READ',
      cause: error,
      details: `${(error as Error).message}\nExpected the phishing-eth1 folder: labels.txt and transactions/<index>.csv.`,
    });
  }
  const files = names
    .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10))
    .map((name) => join(transactionsDir, name));
  for (const file of files) {
    const header = await readFirstCsvRecord(file);
    if (JSON.stringify(header) !== JSON.stringify(expectedHeader)) {
      throw new ImportError(`${file}:1: unexpected header`, {
        code: 'IMPORT_INVALID',
        details: `Expected ${expectedHeader.join(',')}\nGot ${header?.join(',') ?? 'an empty file'}\nNothing was imported.`,
      });
    }
  }

  const staging = createImportStaging(warehouse);
  try {
    const labels = await staging.loadCsv([labelsPath], {
      names: ['address', 'index', 'label'],
      header: false,
      delimiter: ' ',
    });
    const labelFields: ImportField[] = [
      { column: 'address', kind: 'address', empty: 'error' },
      { column: 'index', kind: 'uint32', empty: 'error' },
      { column: 'label', kind: 'status', empty: 'error' },
    ];
    const labelSources = new Map<string, FieldSource | undefined>(
      labelFields.map((f) => [f.column, csvText(stageColumn(labels, f.column)!, f.kind)]),
    );
    labelSources.set('label', { ...labelSources.get('label')!, expected: '1 (phishing) or 0 (normal)' });
    await validateStage(warehouse, labels, labelFields, labelSources);

    const transactions = await staging.loadCsv(files, { names: expectedHeader, header: true });
    const { fields, sources } = transactionMapping(transactions);
    await validateStage(warehouse, transactions, fields, sources);

    const select = selectStage(transactions, fields, sources);
    await warehouse.client.command({
      query: `INSERT INTO transactions (${fields.map((f) => f.column).join(', ')}, chain_id, version)
        SELECT s.*, 1, ${version} FROM (${select}) AS s LIMIT 1 BY s.hash`,
    });
    await warehouse.client.command({
      query: `INSERT INTO address_labels (chain_id, address, label, category, source, confidence, added_at)
        SELECT 1, lower(c0), concat('target ', c1), if(c2 = '1', 'phishing', 'organic'), '${phishingDatasetSource}', 1,
               fromUnixTimestamp64Milli(toInt64(${version}), 'UTC')
        FROM ${labels.table}`,
    });

    const [counts] = await (
      await warehouse.client.query({
        query: `SELECT
          (SELECT count() FROM ${labels.table}) AS labels,
          (SELECT countIf(c2 = '1') FROM ${labels.table}) AS phishing,
          (SELECT uniqExact(lower(${stageColumn(transactions, 'transactionHash')!.column})) FROM ${transactions.table}) AS transactions`,
        format: 'JSONEachRow',
      })
    ).json<{ labels: string; phishing: string; transactions: string }>();
    return {
      labels: Number(counts!.labels),
      phishing: Number(counts!.phishing),
      files: files.length,
      rows: transactions.rows.reduce((a, b) => a + b, 0),
      transactions: Number(counts!.transactions),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await staging.drop();
  }
}

/** The `transactions` fields and where the dataset's columns put them. */
function transactionMapping(stage: Stage) {
  const column = (name: string) => stageColumn(stage, name)!;
  const fields = importFields.transactions.map((f): ImportField => {
    if (f.column === 'block_hash') return { ...f, empty: { default: '' } };
    if (f.column === 'block_timestamp') return { ...f, empty: 'error' };
    return f;
  });
  const hash = csvText(column('transactionHash'), 'hash');
  const value = csvText(column('value'), 'text');
  const isError = csvText(column('isError'), 'text');
  const sources = new Map<string, FieldSource | undefined>([
    ['block_number', csvText(column('blockNumber'), 'uint64')],
    ['block_timestamp', csvText(column('timestamp'), 'timestamp')],
    ['hash', hash],
    [
      'transaction_index',
      { name: 'transactionHash', text: derivedTransactionIndexSql(hash.text), shown: hash.shown, check: '1' },
    ],
    ['from_address', csvText(column('from'), 'address')],
    ['to_address', csvText(column('to'), 'address')],
    [
      'value',
      {
        name: 'value',
        text: ethToWeiSql(value.text),
        shown: value.shown,
        expected: 'an amount of ETH as a decimal number (1.5, 9.11e-16)',
      },
    ],
    ['input', csvText(column('callingFunction'), 'hex')],
    [
      'status',
      {
        name: 'isError',
        text: `multiIf(${isError.text} = 'None', NULL, ${isError.text} = '0', '1', ${isError.text} = '1', '0', ${isError.text})`,
        shown: isError.shown,
        expected: 'None, 0 or 1',
      },
    ],
  ]);
  return { fields, sources };
}
