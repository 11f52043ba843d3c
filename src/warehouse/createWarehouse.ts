import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { type ClickHouseClient, type ClickHouseSettings, createClient } from '@clickhouse/client';
import { drainPending } from 'chdb';
import { createChdbConnection } from 'chdb/connection';
import type { Common } from '../internal/createCommon.js';
import { RetryableError } from '../internal/errors.js';
import { redactUrl } from '../utils/redactUrl.js';
import { stringifyJson } from '../utils/stringifyJson.js';
import { isProcessAlive, lockedError, readLockHolder, WarehouseInUseError } from './embeddedLock.js';
import { sqlString } from './sqlString.js';
import { collectColumns, toTabSeparated } from './toTabSeparated.js';

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/** An open warehouse: a `@clickhouse/client` client bound to the chaingnn database, and how it was opened. */
export interface Warehouse {
  /** The ClickHouse client; every query runs in `database` with the settings below. */
  readonly client: ClickHouseClient;
  readonly mode: 'embedded' | 'server';
  readonly database: string;
  /** The embedded data directory, or the server URL (without credentials). */
  readonly location: string;
  /** Inserts rows (bigint amounts included) in one INSERT: embedded, as a TabSeparated file the engine reads
   *  itself; on a server, as JSON through the client. Every row's keys name columns of `table`. */
  insert(table: string, rows: readonly object[]): Promise<void>;
  /**
   * Inserts rows already encoded in ClickHouse's RowBinary format (see RowBinaryWriter), `columns` in their
   * order, in one INSERT: embedded, as a file the engine reads; on a server, as the request body. For wide
   * numeric rows, where formatting numbers as text and parsing them back costs more than the rest of the insert.
   */
  insertRowBinary(table: string, columns: readonly string[], rows: Uint8Array): Promise<void>;
  /**
   * Streams a SELECT's result in ClickHouse's RowBinary format, chunk by chunk, with the default settings
   * (for results too large to hold as objects: typed-array readers parse it). `query` has no FORMAT clause.
   */
  streamRowBinary(query: string): AsyncIterable<Uint8Array>;
  /** Closes the client (and, embedded, waits until the engine has let go of the directory). */
  close(): Promise<void>;
}

/** Options for {@link createWarehouse}. */
export interface CreateWarehouseOptions {
  /** Use this database instead of `config.clickhouse.database` (tests use one database per test). */
  database?: string;
}

/**
 * Settings on every query. `final` makes every read see one current row per key (Replacing tables
 * deduplicate at read time, and rows marked deleted by a reorg disappear); 64-bit and wider integers
 * are quoted in JSON so that UInt256 amounts survive the trip to JavaScript.
 */
export const defaultSettings: ClickHouseSettings = {
  final: 1,
  output_format_json_quote_64bit_integers: 1,
  date_time_output_format: 'iso',
};

const inlineSettings = Object.entries(defaultSettings)
  .map(([name, value]) => `${name} = ${typeof value === 'string' ? `'${value}'` : value}`)
  .join(', ');

/** Rows may carry bigint (UInt256 amounts); they are written as decimal strings. */
const json = { parse: JSON.parse, stringify: stringifyJson };

/** Opens the warehouse: embedded chdb under `<dataDir>/warehouse` when CLICKHOUSE_URL is unset, else the server. */
export async function createWarehouse(
  common: Common,
  options: CreateWarehouseOptions = {},
): Promise<Warehouse> {
  const database = options.database ?? common.config.clickhouse.database;
  const warehouse = common.config.clickhouse.url
    ? await openServer(common, database)
    : await openEmbedded(common, database);
  common.shutdown.register(`warehouse (${warehouse.mode})`, () => warehouse.close());
  common.logger.debug({ mode: warehouse.mode, location: warehouse.location, database }, 'warehouse open');
  return warehouse;
}

async function openEmbedded(common: Common, database: string): Promise<Warehouse> {
  const path = join(common.config.dataDir, 'warehouse');
  mkdirSync(path, { recursive: true });
  const holder = readLockHolder(path);
  if (holder && holder.pid !== process.pid && isProcessAlive(holder.pid)) throw lockedError(path, holder);

  let connection: ReturnType<typeof createChdbConnection>;
  try {
    connection = createChdbConnection({ path });
  } catch (error) {
    const text = `${(error as Error).message} ${((error as Error).cause as Error | undefined)?.message ?? ''}`;
    if (text.includes('only one active data directory per process')) {
      throw new WarehouseInUseError(`This process already has another embedded warehouse open`, {
        code: 'WAREHOUSE_IN_USE',
        cause: error,
        details: `Cannot open ${path}: ${text.trim()}\nClose the open warehouse (warehouse.close()) before opening another.`,
      });
    }
    throw lockedError(path, readLockHolder(path), error);
  }
  scopeQuerySettings(connection);
  // chdb types its connection against @clickhouse/client-common, which the client now bundles a copy of:
  // the shapes are the same, the declarations are not.
  const client = createClient({
    connection: connection as unknown as ClientConnection,
    clickhouse_settings: defaultSettings,
    json,
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await client.close();
    await drainPending();
  };
  try {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    // The embedded connection ignores the client's `database` option; USE binds its session instead.
    await client.command({ query: `USE ${database}` });
  } catch (error) {
    await close();
    throw error;
  }
  // Rows reach the engine as a TabSeparated file it reads with its own parallel parser: several times
  // faster than handing the same bytes over as inline INSERT data. Files of a crashed process are removed.
  const insertDir = join(path, 'inserts');
  removeOtherProcessesFiles(insertDir);
  const insertPrefix = `${process.pid}-${randomUUID()}`;
  let insertCount = 0;
  const insertFile = async (
    table: string,
    columns: readonly string[],
    format: 'TabSeparated' | 'RowBinary',
    data: string | Uint8Array,
  ) => {
    insertCount += 1;
    const file = join(insertDir, `${insertPrefix}-${insertCount}.${format === 'RowBinary' ? 'bin' : 'tsv'}`);
    await writeFile(file, data);
    try {
      // The file's columns take their types from the table inserted into.
      await client.command({
        query: `${insertInto(table, columns)} SELECT * FROM file(${sqlString(file)}, ${format})`,
      });
    } finally {
      await rm(file, { force: true });
    }
  };
  const insert = async (table: string, rows: readonly object[]) => {
    if (rows.length === 0) return;
    const columns = collectColumns(rows);
    await insertFile(table, columns, 'TabSeparated', toTabSeparated(rows, columns));
  };
  const insertRowBinary = async (table: string, columns: readonly string[], rows: Uint8Array) => {
    if (rows.length > 0) await insertFile(table, columns, 'RowBinary', rows);
  };
  async function* streamRowBinary(query: string): AsyncIterable<Uint8Array> {
    // The engine's own streaming query (the client's would buffer the whole result); settings go inline.
    const stream = connection.chdb.queryStream(`${query}\nSETTINGS ${inlineSettings}`, {
      format: 'RowBinary',
    });
    // One chunk ahead: the engine makes the next chunk (on a libuv thread) while the caller reads this one.
    const chunks = stream[Symbol.asyncIterator]();
    let next = chunks.next();
    try {
      for (let chunk = await next; !chunk.done; chunk = await next) {
        next = chunks.next();
        yield chunk.value.raw();
      }
    } finally {
      // A caller that stops early leaves a fetch in flight: let it land, then end the stream.
      await next.catch(() => undefined);
      await chunks.return?.();
    }
  }
  return {
    client,
    mode: 'embedded',
    database,
    location: path,
    insert,
    insertRowBinary,
    streamRowBinary,
    close,
  };
}

async function openServer(common: Common, database: string): Promise<Warehouse> {
  const { url, user, password, cluster } = common.config.clickhouse;
  const location = redactUrl(url!);
  const connect = (db: string) =>
    createClient({
      url: url!,
      username: user,
      password,
      database: db,
      application: 'chaingnn',
      clickhouse_settings: defaultSettings,
      json,
    });
  const bootstrap = connect('default');
  try {
    const ping = await bootstrap.ping();
    if (!ping.success) {
      throw new RetryableError(`Cannot reach the ClickHouse server at ${location}`, {
        code: 'WAREHOUSE_UNREACHABLE',
        cause: ping.error,
        details: `${ping.error.message}\nCheck CLICKHOUSE_URL, that the server is running, and the network.`,
      });
    }
    // On a cluster the database must exist on every node before the ON CLUSTER table DDL reaches them.
    await bootstrap.command({
      query: `CREATE DATABASE IF NOT EXISTS ${database}${cluster ? ` ON CLUSTER ${cluster}` : ''}`,
    });
  } finally {
    await bootstrap.close();
  }
  const client = connect(database);
  const insert = async (table: string, rows: readonly object[]) => {
    if (rows.length > 0) await client.insert({ table, values: rows as object[], format: 'JSONEachRow' });
  };
  const insertRowBinary = async (table: string, columns: readonly string[], rows: Uint8Array) => {
    if (rows.length === 0) return;
    const result = await client.exec({
      query: `${insertInto(table, columns)} FORMAT RowBinary`,
      values: Readable.from([Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength)], {
        objectMode: false,
      }),
    });
    result.stream.resume();
  };
  async function* streamRowBinary(query: string): AsyncIterable<Uint8Array> {
    const result = await client.exec({ query: `${query}\nFORMAT RowBinary` });
    for await (const chunk of result.stream as AsyncIterable<Buffer>) yield chunk;
  }
  return {
    client,
    mode: 'server',
    database,
    location,
    insert,
    insertRowBinary,
    streamRowBinary,
    close: () => client.close(),
  };
}

/**
 * The embedded connection applies a call's settings as SET statements on its one session, where they would
 * outlast the call (an import's `max_threads = 1` slowed every later query of the process): each setting a call
 * adds to the defaults (which every call sets again) is set back to its default once the call has ended.
 */
function scopeQuerySettings(connection: ReturnType<typeof createChdbConnection>): void {
  type Params = { query: string; clickhouse_settings?: ClickHouseSettings };
  const target = connection as unknown as Record<string, (params: Params) => Promise<unknown>>;
  const command = target.command!.bind(connection);
  for (const method of ['query', 'command', 'exec', 'insert']) {
    const call = target[method]!.bind(connection);
    target[method] = async (params) => {
      const added = Object.keys(params.clickhouse_settings ?? {}).filter(
        (name) => !(name in defaultSettings),
      );
      try {
        return await call(params);
      } finally {
        if (added.length > 0)
          await command({ query: `SET ${added.map((name) => `${name} = DEFAULT`).join(', ')}` });
      }
    };
  }
}

/** Makes `dir` and removes the files in it that another process (which held the lock before us) left. */
function removeOtherProcessesFiles(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const own = `${process.pid}-`;
  for (const name of readdirSync(dir)) if (!name.startsWith(own)) rmSync(join(dir, name), { force: true });
}

/** `INSERT INTO table (columns)`, quoted. */
function insertInto(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')})`;
}

/** `name` as a ClickHouse identifier in back quotes. */
function quoteIdentifier(name: string): string {
  return `\`${name.replace(/[`\\]/g, (ch) => `\\${ch}`)}\``;
}
