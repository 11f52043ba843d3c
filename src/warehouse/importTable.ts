import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createVersionClock } from '../utils/createVersionClock.js';
import type { Warehouse } from './createWarehouse.js';
import {
  csvText,
  type FieldKind,
  type FieldSource,
  type ImportField,
  type RowCheck,
  selectStage,
  validateStage,
} from './importFields.js';
import {
  createImportStaging,
  ImportError,
  type Stage,
  type StageColumn,
  sqlName,
  stageColumn,
} from './importStaging.js';
import { readFirstCsvRecord } from './scanCsv.js';

/** File formats `importTable` reads. */
export const importFormats = ['ethereum-etl', 'cryo', 'csv'] as const;
export type ImportFormat = (typeof importFormats)[number];

/** Tables `importTable` fills. */
export const importKinds = ['blocks', 'transactions', 'logs', 'token_transfers'] as const;
export type ImportKind = (typeof importKinds)[number];

const block = (extra: ImportField[]): ImportField[] => [
  { column: 'block_number', kind: 'uint64', empty: 'error' },
  { column: 'block_hash', kind: 'hash', optional: true, empty: 'lookup' },
  { column: 'block_timestamp', kind: 'timestamp', optional: true, empty: 'lookup' },
  ...extra,
];

/**
 * The columns of each table an import fills, and what an empty or absent value becomes. `lookup` columns
 * (block hash and time, a transfer's transaction index) come from the file when it has them, else from the
 * rows already in the warehouse (`blocks`, `transactions`), else '' / 1970-01-01 / 0.
 */
export const importFields: Record<ImportKind, ImportField[]> = {
  blocks: [
    { column: 'number', kind: 'uint64', empty: 'error' },
    { column: 'hash', kind: 'hash', empty: 'error' },
    { column: 'parent_hash', kind: 'hash', optional: true, empty: { default: '' } },
    { column: 'timestamp', kind: 'timestamp', empty: 'error' },
    { column: 'miner', kind: 'address', optional: true, empty: { default: '' } },
    { column: 'gas_limit', kind: 'uint64', optional: true, empty: { default: '0' } },
    { column: 'gas_used', kind: 'uint64', optional: true, empty: { default: '0' } },
    { column: 'base_fee_per_gas', kind: 'uint256', optional: true, empty: 'null' },
    { column: 'difficulty', kind: 'uint256', optional: true, empty: { default: '0' } },
    { column: 'size', kind: 'uint64', optional: true, empty: { default: '0' } },
    { column: 'extra_data', kind: 'hex', optional: true, empty: { default: '' } },
    { column: 'transaction_count', kind: 'uint32', optional: true, empty: { default: '0' } },
  ],
  transactions: block([
    { column: 'transaction_index', kind: 'uint32', empty: 'error' },
    { column: 'hash', kind: 'hash', empty: 'error' },
    { column: 'nonce', kind: 'uint64', optional: true, empty: { default: '0' } },
    { column: 'from_address', kind: 'address', empty: 'error' },
    { column: 'to_address', kind: 'address', empty: 'null' },
    { column: 'value', kind: 'uint256', empty: 'error' },
    { column: 'gas', kind: 'uint64', optional: true, empty: { default: '0' } },
    { column: 'gas_price', kind: 'uint256', optional: true, empty: 'null' },
    { column: 'max_fee_per_gas', kind: 'uint256', optional: true, empty: 'null' },
    { column: 'max_priority_fee_per_gas', kind: 'uint256', optional: true, empty: 'null' },
    { column: 'transaction_type', kind: 'uint8', optional: true, empty: { default: '0' } },
    { column: 'input', kind: 'hex', optional: true, empty: { default: '' } },
    { column: 'status', kind: 'status', optional: true, empty: 'null' },
    { column: 'gas_used', kind: 'uint64', optional: true, empty: 'null' },
    { column: 'cumulative_gas_used', kind: 'uint64', optional: true, empty: 'null' },
    { column: 'effective_gas_price', kind: 'uint256', optional: true, empty: 'null' },
    { column: 'contract_address', kind: 'address', optional: true, empty: 'null' },
  ]),
  logs: block([
    { column: 'transaction_index', kind: 'uint32', empty: 'error' },
    { column: 'transaction_hash', kind: 'hash', empty: 'error' },
    { column: 'log_index', kind: 'uint32', empty: 'error' },
    { column: 'address', kind: 'address', empty: 'error' },
    { column: 'topics', kind: 'topics', empty: { default: '' } },
    { column: 'data', kind: 'hex', optional: true, empty: { default: '0x' } },
  ]),
  token_transfers: block([
    { column: 'transaction_index', kind: 'uint32', optional: true, empty: 'lookup' },
    { column: 'transaction_hash', kind: 'hash', empty: 'error' },
    { column: 'log_index', kind: 'uint32', empty: 'error' },
    { column: 'batch_index', kind: 'uint32', optional: true, empty: { default: '0' } },
    { column: 'token_address', kind: 'address', empty: 'error' },
    { column: 'token_standard', kind: 'token_standard', optional: true, empty: { default: 'erc20' } },
    { column: 'operator', kind: 'address', optional: true, empty: 'null' },
    { column: 'from_address', kind: 'address', empty: 'error' },
    { column: 'to_address', kind: 'address', empty: 'error' },
    { column: 'token_id', kind: 'uint256', optional: true, empty: 'null' },
    { column: 'value', kind: 'uint256', empty: 'error' },
  ]),
};

/**
 * Source column names per format where they differ from ours (the first name the file has wins).
 * ethereum-etl: its CSV exports (export_blocks_and_transactions, export_receipts_and_logs,
 * export_token_transfers; transactions enriched with `receipt_*` columns are read too). Its token_transfers
 * are ERC-20 Transfer logs (3 topics), so they are stored as `erc20`.
 * cryo (Parquet): blocks `block_number, block_hash, parent_hash, author, timestamp, gas_limit, gas_used,
 * base_fee_per_gas, difficulty, size, extra_data`; transactions `block_number, transaction_index,
 * transaction_hash, nonce, from_address, to_address, value_*, gas_limit, gas_price, max_fee_per_gas,
 * max_priority_fee_per_gas, transaction_type, input, gas_used, success`; logs `block_number,
 * transaction_index, log_index, transaction_hash, address, topic0..topic3, data`; erc20_transfers
 * `block_number, transaction_index, log_index, transaction_hash, erc20, from_address, to_address, value_*`
 * and erc721_transfers (`erc721`, `token_id_*`, value 1). Binary columns (cryo's default) become
 * `0x` + lower-case hex; `--hex` output is read as it is. u256 columns are read from `<name>_string`,
 * `<name>_binary` (32 bytes big-endian), `<name>_d128` or `<name>`; float variants (`_f64`, `_f32`) are
 * refused because they have already lost precision. A `chain_id` column must match the import's chain.
 */
const sourceNames: Record<ImportFormat, Record<ImportKind, Record<string, readonly string[]>>> = {
  'ethereum-etl': {
    blocks: {},
    transactions: {
      status: ['receipt_status'],
      gas_used: ['receipt_gas_used'],
      cumulative_gas_used: ['receipt_cumulative_gas_used'],
      effective_gas_price: ['receipt_effective_gas_price'],
      contract_address: ['receipt_contract_address'],
    },
    logs: {},
    token_transfers: {},
  },
  cryo: {
    blocks: { number: ['block_number'], hash: ['block_hash'], miner: ['author', 'miner'] },
    transactions: {
      block_timestamp: ['block_timestamp', 'timestamp'],
      hash: ['transaction_hash'],
      gas: ['gas_limit'],
      status: ['success'],
      contract_address: [],
      cumulative_gas_used: [],
      effective_gas_price: [],
    },
    logs: { block_timestamp: ['block_timestamp', 'timestamp'] },
    token_transfers: {
      block_timestamp: ['block_timestamp', 'timestamp'],
      token_address: ['erc20', 'erc721'],
      token_standard: [],
      batch_index: [],
      operator: [],
    },
  },
  csv: { blocks: {}, transactions: {}, logs: {}, token_transfers: {} },
};

/** Columns of our own tables that a `csv` import accepts but does not read (derived or set by the import). */
const csvIgnored = new Set(['chain_id', 'version', 'is_deleted', 'method_id', 'has_input', 'topic0']);

/** Options for {@link importTable}. */
export interface ImportTableOptions {
  format: ImportFormat;
  kind: ImportKind;
  /** Files (or directories: their `.csv` / `.parquet` files, sorted by name). */
  paths: readonly string[];
  /** Default 1. */
  chainId?: number;
  /** The rows' `version` (default: now, on the indexer's clock: unix microseconds); a later write with a higher one replaces rows. */
  version?: number | bigint;
}

/** What an import wrote. */
export interface ImportReport {
  table: ImportKind;
  files: { path: string; rows: number }[];
  rows: number;
  seconds: number;
}

/**
 * Imports ethereum-etl CSV, cryo Parquet or our own CSV files into one table, atomically: every file is
 * loaded as it is into a staging table (ClickHouse's own CSV and Parquet readers), every row is validated
 * in SQL, and only then ONE `INSERT INTO <table> SELECT …` writes them: a bad file, row or value leaves the
 * table as it was. (ClickHouse commits a large INSERT block by block, so one cut short by the server itself
 * can leave part of its rows; running the import again completes it.) Re-importing leaves one row per key
 * (Replacing tables).
 */
export async function importTable(warehouse: Warehouse, options: ImportTableOptions): Promise<ImportReport> {
  const started = performance.now();
  const { format, kind } = options;
  const chainId = options.chainId ?? 1;
  const version = options.version ?? createVersionClock()();
  const files = await expandPaths(options.paths, format === 'cryo' ? '.parquet' : '.csv');
  const fields = importFields[kind];
  const staging = createImportStaging(warehouse);
  try {
    const stages: Stage[] = [];
    const empty: string[] = [];
    if (format === 'cryo') {
      stages.push(...(await staging.loadParquet(files)));
    } else {
      for (const group of await groupByHeader(files, empty)) {
        for (const file of group.files) checkCsvHeader(file, group.names, format, kind);
        stages.push(await staging.loadCsv(group.files, { names: group.names, header: true }));
      }
    }
    const prepared: { stage: Stage; sources: Map<string, FieldSource | undefined> }[] = [];
    for (const stage of stages) {
      const sources = await resolveSources(warehouse, stage, format, kind);
      const extra: RowCheck[] = [];
      const chain = stageColumn(stage, 'chain_id');
      if (chain) {
        const text = stage.format === 'csv' ? chain.column : `toString(${chain.column})`;
        extra.push({
          name: 'chain_id',
          ok: `ifNull(${text} = '${chainId}', 0)`,
          shown: text,
          expected: `${chainId} (the chain being imported; pass --chain-id)`,
        });
      }
      await validateStage(warehouse, stage, fields, sources, extra);
      prepared.push({ stage, sources });
    }
    const rows = stages.reduce((sum, stage) => sum + stage.rows.reduce((a, b) => a + b, 0), 0);
    if (rows > 0) {
      const branches = prepared.map(({ stage, sources }) => selectStage(stage, fields, sources));
      const lookups = fields.filter(
        (f) => f.empty === 'lookup' && prepared.some(({ sources }) => !sources.get(f.column)),
      );
      await warehouse.client.command({
        query: await buildInsert(warehouse, kind, fields, branches, lookups, chainId, version),
      });
    }
    const counts = new Map<string, number>(empty.map((path) => [path, 0]));
    for (const stage of stages)
      for (const [i, path] of stage.files.entries()) counts.set(path, stage.rows[i]!);
    return {
      table: kind,
      files: files.map((path) => ({ path, rows: counts.get(path) ?? 0 })),
      rows,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await staging.drop();
  }
}

/** Files as given, directories replaced by their files with `extension`, sorted by name. */
async function expandPaths(paths: readonly string[], extension: string): Promise<string[]> {
  if (paths.length === 0) {
    throw new ImportError('No files to import', { code: 'IMPORT_READ', details: 'Pass one or more files.' });
  }
  const files: string[] = [];
  for (const path of paths) {
    let isDirectory = false;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      throw new ImportError(`Cannot read ${path}`, {
        code: 'IMPORT_READ',
        cause: error,
        details: `${(error as Error).message}\nNothing was imported.`,
      });
    }
    if (!isDirectory) files.push(path);
    else {
      const names = (await readdir(path)).filter((name) => name.endsWith(extension)).sort();
      files.push(...names.map((name) => join(path, name)));
    }
  }
  return files;
}

/** CSV files grouped by identical header, in order of first appearance; empty files go to `empty`. */
async function groupByHeader(
  files: readonly string[],
  empty: string[],
): Promise<{ names: string[]; files: string[] }[]> {
  const groups = new Map<string, { names: string[]; files: string[] }>();
  for (const file of files) {
    let header: string[] | null;
    try {
      header = await readFirstCsvRecord(file);
    } catch (error) {
      throw new ImportError(`Cannot read ${file}`, {
        code: 'IMPORT_READ',
        cause: error,
        details: `${(error as Error).message}\nNothing was imported.`,
      });
    }
    if (!header) {
      // An empty export (ethereum-etl writes one for a range without rows): nothing to import.
      empty.push(file);
      continue;
    }
    const names = header.map((name) => name.trim());
    const key = JSON.stringify(names);
    const group = groups.get(key) ?? { names, files: [] };
    group.files.push(file);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** Candidate source names of a field in a format. */
function namesOf(format: ImportFormat, kind: ImportKind, column: string): readonly string[] {
  return sourceNames[format][kind][column] ?? [column];
}

/** Refuses a CSV header without a required column (or, for our own format, with unknown ones). */
function checkCsvHeader(file: string, names: readonly string[], format: ImportFormat, kind: ImportKind) {
  const present = new Set(names);
  for (const field of importFields[kind]) {
    if (field.optional || field.empty === 'lookup') continue;
    const candidates = namesOf(format, kind, field.column);
    if (!candidates.some((name) => present.has(name))) {
      throw new ImportError(`${file}: no column ${candidates.join(' or ')}`, {
        code: 'IMPORT_INVALID',
        details: `A ${format} ${kind} file needs ${describeRequired(format, kind)}; the header has: ${names.join(', ')}.\nNothing was imported.`,
      });
    }
  }
  if (format === 'csv') {
    const known = new Set(importFields[kind].map((f) => f.column));
    const unknown = names.filter((name) => !known.has(name) && !csvIgnored.has(name));
    if (unknown.length > 0) {
      throw new ImportError(`${file}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`, {
        code: 'IMPORT_INVALID',
        details: `A csv ${kind} file has a header with columns of the ${kind} table (schema/clickhouse/): ${[...known].join(', ')}.\nNothing was imported.`,
      });
    }
  }
}

function describeRequired(format: ImportFormat, kind: ImportKind): string {
  return importFields[kind]
    .filter((f) => !f.optional && f.empty !== 'lookup')
    .map((f) => namesOf(format, kind, f.column).join('|'))
    .join(', ');
}

/** Where each field of `kind` comes from in a staged file set, or undefined when the file lacks it. */
async function resolveSources(
  warehouse: Warehouse,
  stage: Stage,
  format: ImportFormat,
  kind: ImportKind,
): Promise<Map<string, FieldSource | undefined>> {
  const sources = new Map<string, FieldSource | undefined>();
  const hexMode = stage.format === 'parquet' ? await isHexParquet(warehouse, stage) : false;
  const file = stage.files[0]!;
  const text = (column: StageColumn, fieldKind: FieldKind) =>
    stage.format === 'csv' ? csvText(column, fieldKind) : parquetText(file, column, fieldKind, hexMode);
  for (const field of importFields[kind]) {
    let source: FieldSource | undefined;
    if (stage.format === 'parquet' && field.kind === 'uint256') {
      source = u256Source(stage, namesOf(format, kind, field.column), hexMode);
    } else if (stage.format === 'parquet' && field.kind === 'topics') {
      source = topicsSource(stage, hexMode);
    } else {
      const column = namesOf(format, kind, field.column)
        .map((name) => stageColumn(stage, name))
        .find((c) => c !== undefined);
      if (column) source = text(column, field.kind);
    }
    sources.set(field.column, source);
  }
  if (format === 'cryo' && kind === 'token_transfers' && stageColumn(stage, 'erc721')) {
    sources.set('token_standard', constant("'erc721'"));
    sources.set('value', sources.get('value') ?? constant("'1'"));
  }
  for (const field of importFields[kind]) {
    if (!sources.get(field.column) && !field.optional && field.empty !== 'lookup') {
      const candidates = namesOf(format, kind, field.column);
      throw new ImportError(`${file}: no column ${candidates.join(' or ')}`, {
        code: 'IMPORT_INVALID',
        details:
          `A ${format} ${kind} file needs ${describeRequired(format, kind)}; it has: ${stage.columns.map((c) => c.name).join(', ')}.` +
          (field.kind === 'uint256' && stage.format === 'parquet'
            ? `\ncryo writes u256 columns as ${field.column}_binary/_string/_f64: export with --u256-types binary or string (floats have lost precision).`
            : '') +
          '\nNothing was imported.',
      });
    }
  }
  return sources;
}

function constant(sql: string): FieldSource {
  return { name: 'constant', text: sql, shown: sql };
}

/** Whether a cryo file was written with `--hex` (hashes and addresses as 0x text rather than bytes). */
async function isHexParquet(warehouse: Warehouse, stage: Stage): Promise<boolean> {
  const probe = ['block_hash', 'transaction_hash', 'from_address', 'address', 'author']
    .map((name) => stageColumn(stage, name))
    .find((c) => c !== undefined && /String/.test(c.type));
  if (!probe) return false;
  const result = await warehouse.client.query({
    query: `SELECT countIf(startsWith(${probe.column}, '0x') AND length(${probe.column}) IN (42, 66)) = count() AS hex FROM (SELECT ${probe.column} FROM ${stage.table} WHERE ${probe.column} IS NOT NULL LIMIT 100)`,
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ hex: number }>();
  return row?.hex === 1;
}

/** The base type of a ClickHouse type, without Nullable(…) and LowCardinality(…). */
function baseType(type: string): string {
  return type
    .replace(/^(Nullable|LowCardinality)\((.*)\)$/, '$2')
    .replace(/^(Nullable|LowCardinality)\((.*)\)$/, '$2');
}

/** Canonical text of a Parquet column, by its type. */
function parquetText(file: string, column: StageColumn, kind: FieldKind, hexMode: boolean): FieldSource {
  const c = column.column;
  const type = baseType(column.type);
  const unsupported = () =>
    new ImportError(
      `${file}: column ${column.name} has type ${column.type}, which cannot hold ${kind} values`,
      {
        code: 'IMPORT_INVALID',
        details: 'Expected the types cryo writes (binary or hex strings, integers). Nothing was imported.',
      },
    );
  let text: string;
  if (kind === 'address' || kind === 'hash' || kind === 'hex') {
    if (!/^(String|FixedString)/.test(type)) throw unsupported();
    text = hexMode ? `lower(${c})` : `concat('0x', lower(hex(${c})))`;
  } else if (kind === 'status') {
    if (!/^(Bool|U?Int)/.test(type)) throw unsupported();
    text = `toString(toUInt8(${c}))`;
  } else if (kind === 'timestamp' && /^DateTime/.test(type)) {
    text = `toString(toUnixTimestamp(${c}))`;
  } else if (/^(U?Int\d+|Decimal\(\d+, 0\)|Decimal\d+\(0\))$/.test(type)) {
    text = `toString(${c})`;
  } else if (type === 'String' && kind !== 'text') {
    text = `nullIf(${c}, '')`;
  } else if (kind === 'text' && /^(String|FixedString)/.test(type)) {
    text = c;
  } else throw unsupported();
  return { name: column.name, text, shown: `ifNull(${text}, '')` };
}

/** A cryo u256 column from `<name>_string`, `<name>_binary` (big-endian), `<name>_d128` or `<name>`. */
function u256Source(stage: Stage, names: readonly string[], hexMode: boolean): FieldSource | undefined {
  const file = stage.files[0]!;
  for (const name of names) {
    const found =
      stageColumn(stage, `${name}_string`) ??
      stageColumn(stage, `${name}_binary`) ??
      stageColumn(stage, `${name}_d128`) ??
      stageColumn(stage, name);
    if (!found) continue;
    const type = baseType(found.type);
    if (found.name.endsWith('_binary') || type === 'FixedString(32)') {
      const bytes = hexMode ? `unhex(substring(${found.column}, 3))` : found.column;
      const text = `if(${found.column} IS NULL, NULL, toString(reinterpretAsUInt256(reverse(${bytes}))))`;
      return {
        name: found.name,
        text,
        shown: `concat('0x', lower(hex(${found.column})))`,
        check: `length(${bytes}) = 32`,
        expected: 'a 32-byte big-endian unsigned integer',
      };
    }
    if (/^Float/.test(type)) continue;
    return parquetText(file, found, 'uint256', hexMode);
  }
  return undefined;
}

/** cryo's `topic0`…`topic3` columns as one comma-separated topics list (empty topics dropped). */
function topicsSource(stage: Stage, hexMode: boolean): FieldSource | undefined {
  const columns = [0, 1, 2, 3].map((i) => stageColumn(stage, `topic${i}`));
  if (!columns[0]) return undefined;
  const hex = (c: StageColumn) =>
    `ifNull(${hexMode ? `lower(${c.column})` : `concat('0x', lower(hex(${c.column})))`}, '')`;
  const parts = columns.filter((c) => c !== undefined).map((c) => hex(c));
  const text = `arrayStringConcat(arrayFilter(x -> x NOT IN ('', '0x'), [${parts.join(', ')}]), ',')`;
  return { name: 'topic0..topic3', text, shown: text };
}

/**
 * The one INSERT of an import: the staged branches' rows, with `lookup` columns the files lack taken from
 * `blocks` (block hash and time) and `transactions` (a transfer's transaction index) of the same chain.
 */
async function buildInsert(
  warehouse: Warehouse,
  kind: ImportKind,
  fields: readonly ImportField[],
  branches: readonly string[],
  lookups: readonly ImportField[],
  chainId: number,
  version: number | bigint,
): Promise<string> {
  const source = branches.length === 1 ? branches[0]! : branches.map((b) => `(${b})`).join(' UNION ALL ');
  const needsBlocks = lookups.some((f) => f.column === 'block_hash' || f.column === 'block_timestamp');
  const needsTransactions = lookups.some((f) => f.column === 'transaction_index');
  let joins = '';
  if (needsBlocks || needsTransactions) {
    const result = await warehouse.client.query({
      query: `SELECT toString(min(block_number)) AS lo, toString(max(block_number)) AS hi FROM (${source})`,
      format: 'JSONEachRow',
    });
    const [range] = await result.json<{ lo: string; hi: string }>();
    const between = `BETWEEN ${range!.lo} AND ${range!.hi}`;
    if (needsBlocks) {
      joins += ` ANY LEFT JOIN (SELECT number, hash, timestamp FROM blocks WHERE chain_id = ${chainId} AND number ${between}) AS b ON b.number = s.block_number`;
    }
    if (needsTransactions) {
      joins += ` ANY LEFT JOIN (SELECT hash, transaction_index FROM transactions WHERE chain_id = ${chainId} AND block_number ${between}) AS t ON t.hash = s.transaction_hash`;
    }
  }
  const lookupValue: Record<string, string> = {
    block_hash: 'b.hash',
    block_timestamp: 'b.timestamp',
    transaction_index: 't.transaction_index',
  };
  const values = fields.map((f) => {
    const column = `s.${sqlName(f.column)}`;
    if (f.empty !== 'lookup') return column;
    return lookups.includes(f) ? `ifNull(${column}, ${lookupValue[f.column]})` : `assumeNotNull(${column})`;
  });
  const columns = [...fields.map((f) => sqlName(f.column)), 'chain_id', 'version'];
  return `INSERT INTO ${kind} (${columns.join(', ')})
    SELECT ${values.join(', ')}, ${chainId}, ${version}
    FROM (${source}) AS s${joins}`;
}
