import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ClickHouseSettings } from '@clickhouse/client';
import { NonRetryableError } from '../internal/errors.js';
import type { Warehouse } from './createWarehouse.js';
import { type CsvChunk, CsvSyntaxError, createCsvChunkWriter, scanCsvFile } from './scanCsv.js';

/** Bad input to an import: a file that cannot be read or parsed, a missing column, an invalid value. */
export class ImportError extends NonRetryableError {
  override name = 'ImportError';
}

/** A column of a staging table: the file's own column name, the staging column and its ClickHouse type. */
export interface StageColumn {
  name: string;
  column: string;
  type: string;
}

/**
 * Files loaded as they are into one staging table, each row tagged with `_file` (index into `files`) and
 * `_line` (the CSV line the record starts on, the header being line 1; for Parquet the 1-based row).
 */
export interface Stage {
  table: string;
  format: 'csv' | 'parquet';
  files: string[];
  /** Rows staged from each file. */
  rows: number[];
  columns: StageColumn[];
}

/** Where a staged row came from, as people read it: `file:line` for CSV, `file:row N` for Parquet. */
export function rowPosition(stage: Stage, file: number, line: number | string): string {
  return stage.format === 'csv' ? `${stage.files[file]}:${line}` : `${stage.files[file]}:row ${line}`;
}

/** The staging column holding the file's column `name`, if the file has one. */
export function stageColumn(stage: Stage, name: string): StageColumn | undefined {
  return stage.columns.find((c) => c.name === name);
}

/** Options for {@link ImportStaging.loadCsv}. */
export interface LoadCsvOptions {
  /** The field names, in file order (the header, or positional names for a file without one). */
  names: readonly string[];
  /** Whether each file's first record is a header to skip. */
  header: boolean;
  /** Field delimiter; `,` (CSV) by default. Any other delimiter is read as ClickHouse CustomSeparated. */
  delimiter?: string;
}

/** Per-import staging tables: created on demand, dropped by {@link ImportStaging.drop}. */
export interface ImportStaging {
  /** Loads CSV files that share one header into a new staging table of String columns. */
  loadCsv(files: readonly string[], options: LoadCsvOptions): Promise<Stage>;
  /** Loads Parquet files into staging tables with the files' own column types, one per distinct schema. */
  loadParquet(files: readonly string[]): Promise<Stage[]>;
  /** Drops every staging table this import created. */
  drop(): Promise<void>;
}

/** Quotes a value as a ClickHouse string literal. */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Quotes a name as a ClickHouse identifier. */
export function sqlName(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

/** Parsing settings for staged CSV: strict field counts, no header guessing, row numbers exact per insert. */
const csvSettings: ClickHouseSettings = {
  // Parallel parsing numbers rows per segment in its errors; one parser keeps "(at row N)" exact.
  input_format_parallel_parsing: 0,
  input_format_csv_detect_header: 0,
  input_format_csv_allow_variable_number_of_columns: 0,
  format_csv_allow_single_quotes: 0,
  input_format_allow_errors_num: '0',
  input_format_allow_errors_ratio: 0,
};

/** Bytes of a Parquet file per base64 piece (a multiple of 3, so the pieces concatenate into valid base64). */
const parquetPieceBytes = 6 << 20;

/**
 * Creates the staging area of one import. Staging tables are plain `Log` tables named `_import_<id>_<n>` in
 * the warehouse database: they keep rows in insertion order, need no merges, and disappear with `drop()`.
 */
export function createImportStaging(warehouse: Warehouse): ImportStaging {
  const id = randomBytes(4).toString('hex');
  const created: string[] = [];
  const newTable = () => {
    const name = `_import_${id}_${created.length}`;
    created.push(name);
    return name;
  };
  const { client } = warehouse;

  /** Sends a file's bytes as base64 text rows `(i, piece)` into `blob`. */
  const uploadBase64 = async (file: string, blob: string) => {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      throw readError(file, error);
    }
    try {
      const piece = Buffer.allocUnsafe(parquetPieceBytes);
      for (let i = 0; ; i += 1) {
        const { bytesRead } = await handle.read(piece, 0, parquetPieceBytes, null);
        if (bytesRead === 0) break;
        const text = `${i}\t${piece.subarray(0, bytesRead).toString('base64')}\n`;
        await client.insert({
          table: blob,
          values: Readable.from([Buffer.from(text)], { objectMode: false }),
          format: 'TabSeparated',
        });
      }
    } finally {
      await handle.close();
    }
  };

  return {
    async loadCsv(files, options) {
      const delimiter = options.delimiter ?? ',';
      const table = newTable();
      const columns = options.names.map((name, i) => ({ name, column: `c${i}`, type: 'String' }));
      await client.command({
        query: `CREATE TABLE ${table} (_file UInt32, _line UInt64, ${columns.map((c) => `${c.column} String`).join(', ')}) ENGINE = Log`,
      });
      const format = delimiter === ',' ? 'CSV' : 'CustomSeparated';
      const settings: ClickHouseSettings =
        delimiter === ','
          ? csvSettings
          : {
              ...csvSettings,
              format_custom_escaping_rule: 'CSV',
              format_custom_field_delimiter: delimiter,
            };
      const insertChunk = async (chunk: CsvChunk) => {
        try {
          await client.insert({
            table,
            columns: ['_file', '_line', ...columns.map((c) => c.column)],
            values: Readable.from([chunk.body], { objectMode: false }),
            format,
            clickhouse_settings: settings,
          });
        } catch (error) {
          throw parseError(error, chunk, files, options.names.length, delimiter);
        }
      };
      const writer = createCsvChunkWriter({ delimiter, flush: insertChunk });
      const rows: number[] = [];
      for (const [index, path] of files.entries()) {
        try {
          rows.push(
            await scanCsvFile(path, {
              delimiter,
              ...(options.header ? { onRecord: () => true } : {}),
              writer,
              file: index,
            }),
          );
        } catch (error) {
          if (error instanceof CsvSyntaxError) {
            throw new ImportError(`${path}:${error.line}: ${error.message}`, {
              code: 'IMPORT_PARSE',
              details: 'Nothing was imported. Fix the file (or re-export it) and run the import again.',
            });
          }
          throw readError(path, error);
        }
      }
      await writer.flush();
      return { table, format: 'csv', files: [...files], rows, columns };
    },

    async loadParquet(files) {
      // chDB's embedded connection hands insert bodies to the engine as UTF-8 text, which corrupts binary
      // formats. So each file's bytes travel as base64 text rows (the same on a server), and ClickHouse
      // decodes them and reads them with its own Parquet reader: format(Parquet, <the bytes>).
      const blob = newTable();
      await client.command({ query: `CREATE TABLE ${blob} (i UInt32, b String) ENGINE = Log` });
      const data = `(SELECT base64Decode(arrayStringConcat(arrayMap(x -> x.2, arraySort(x -> x.1, groupArray((i, b)))))) FROM ${blob})`;
      // Files with the same columns and types (cryo writes one per block range) share a staging table.
      const stages = new Map<string, Stage>();
      for (const file of files) {
        await client.command({ query: `TRUNCATE TABLE ${blob}` });
        await uploadBase64(file, blob);
        let described: { name: string; type: string }[];
        try {
          const result = await client.query({
            query: `DESCRIBE format(Parquet, ${data})`,
            format: 'JSONEachRow',
          });
          described = await result.json<{ name: string; type: string }>();
        } catch (error) {
          throw new ImportError(`${file}: cannot read it as Parquet`, {
            code: 'IMPORT_PARSE',
            cause: error,
            details: `${firstLine(error)}\nExpected a Parquet file (cryo's default output). Nothing was imported.`,
          });
        }
        const structure = described.map((c) => `${sqlName(c.name)} ${c.type}`).join(', ');
        let stage = stages.get(structure);
        if (!stage) {
          const table = newTable();
          const columns = described.map((c, i) => ({ name: c.name, column: `c${i}`, type: c.type }));
          await client.command({
            query: `CREATE TABLE ${table} (_file UInt32, _line UInt64${columns.map((c) => `, ${c.column} ${c.type}`).join('')}) ENGINE = Log`,
          });
          stage = { table, format: 'parquet', files: [], rows: [], columns };
          stages.set(structure, stage);
        }
        const index = stage.files.length;
        try {
          await client.command({
            query: `INSERT INTO ${stage.table} SELECT ${index}, rowNumberInAllBlocks() + 1, * FROM format(Parquet, ${sqlString(structure)}, ${data})`,
            // One thread, file order: rowNumberInAllBlocks() is then the row's position in the file.
            clickhouse_settings: { max_threads: 1, input_format_parquet_preserve_order: 1 },
          });
        } catch (error) {
          throw new ImportError(`${file}: cannot read its rows`, {
            code: 'IMPORT_PARSE',
            cause: error,
            details: `${firstLine(error)}\nNothing was imported.`,
          });
        }
        const [count] = await (
          await client.query({
            query: `SELECT count() AS n FROM ${stage.table} WHERE _file = ${index}`,
            format: 'JSONEachRow',
          })
        ).json<{ n: string }>();
        stage.files.push(file);
        stage.rows.push(Number(count?.n ?? 0));
      }
      await client.command({ query: `DROP TABLE IF EXISTS ${blob}` });
      return [...stages.values()];
    },

    async drop() {
      for (const table of created) {
        try {
          await client.command({ query: `DROP TABLE IF EXISTS ${table}` });
        } catch {
          // Best effort: a leftover `_import_*` table holds nothing the warehouse depends on.
        }
      }
    },
  };
}

function readError(path: string, error: unknown): ImportError | unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!code) return error;
  return new ImportError(`Cannot read ${path}`, {
    code: 'IMPORT_READ',
    cause: error,
    details: `${(error as Error).message}\nNothing was imported.`,
  });
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
}

/** Turns ClickHouse's parse error for a chunk ("… (at row N) …") into `file:line: …` for that record. */
function parseError(
  error: unknown,
  chunk: CsvChunk,
  files: readonly string[],
  fields: number,
  delimiter: string,
): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const at = /\(at row (\d+)\)/.exec(message);
  if (!at) return error;
  const record = Number(at[1]) - 1;
  const file = files[chunk.files[record] ?? 0];
  const line = chunk.lines[record] ?? '?';
  const reason =
    /ERROR: ([^\n]*)/.exec(message)?.[1]?.trim() ?? message.slice(0, at.index).replace(/:\s*$/, '').trim();
  const separator = delimiter === ',' ? 'comma' : `"${delimiter}"`;
  return new ImportError(`${file}:${line}: cannot parse the record: ${reason}`, {
    code: 'IMPORT_PARSE',
    cause: error,
    details:
      `Expected ${fields} ${separator}-separated fields, like the header. ClickHouse said:\n` +
      `${message.trim().slice(0, 1500)}\nNothing was imported.`,
  });
}
