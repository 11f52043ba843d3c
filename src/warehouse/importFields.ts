import type { Warehouse } from './createWarehouse.js';
import { ImportError, rowPosition, type Stage, type StageColumn, sqlName } from './importStaging.js';

/**
 * The values an import understands, how each is checked and converted. Every source column is first turned
 * into canonical text (a Nullable(String): lower-case `0x…` hex, decimal digits, unix seconds; NULL when
 * empty), so that CSV and Parquet, ethereum-etl and cryo share one set of checks and conversions.
 */
export type FieldKind =
  | 'address'
  | 'hash'
  | 'hex'
  | 'uint8'
  | 'uint32'
  | 'uint64'
  | 'uint256'
  | 'timestamp'
  | 'topics'
  | 'status'
  | 'token_standard'
  | 'text'
  | 'confidence';

interface KindRule {
  /** The ClickHouse type the value is converted to. */
  type: string;
  /** What a valid value looks like, for error messages. */
  expected: string;
  /** SQL that is true when the (non-NULL) canonical text `t` is valid. */
  check(t: string): string;
  /** SQL converting valid canonical text to `type`. */
  convert(t: string): string;
}

const uint = (bits: number, digits: number): KindRule => ({
  type: `UInt${bits}`,
  expected: `an unsigned integer below 2^${bits}`,
  // Digits only (no sign, no exponent), and the number survives the round trip (no overflow wrap-around).
  check: (t) =>
    `(match(${t}, '^[0-9]{1,${digits}}$') AND toString(toUInt${bits}OrZero(${t})) = replaceRegexpOne(${t}, '^0+(.)', '\\\\1'))`,
  convert: (t) => `toUInt${bits}(${t})`,
});

const kinds: Record<FieldKind, KindRule> = {
  address: {
    type: 'String',
    expected: 'a 0x-prefixed 20-byte hex address',
    check: (t) => `match(${t}, '^0x[0-9a-f]{40}$')`,
    convert: (t) => t,
  },
  hash: {
    type: 'String',
    expected: 'a 0x-prefixed 32-byte hex hash',
    check: (t) => `match(${t}, '^0x[0-9a-f]{64}$')`,
    convert: (t) => t,
  },
  hex: {
    type: 'String',
    expected: '0x-prefixed hex bytes',
    check: (t) => `match(${t}, '^0x([0-9a-f][0-9a-f])*$')`,
    convert: (t) => t,
  },
  uint8: uint(8, 3),
  uint32: uint(32, 10),
  uint64: uint(64, 20),
  uint256: uint(256, 78),
  timestamp: {
    type: "DateTime('UTC')",
    expected: 'unix seconds',
    check: uint(32, 10).check,
    convert: (t) => `toDateTime(toUInt32(${t}), 'UTC')`,
  },
  topics: {
    type: 'Array(String)',
    expected: 'up to four comma-separated 0x-prefixed 32-byte hex topics',
    check: (t) => `(${t} = '' OR match(${t}, '^0x[0-9a-f]{64}(,0x[0-9a-f]{64}){0,3}$'))`,
    convert: (t) => `if(${t} = '', CAST([] AS Array(String)), splitByChar(',', ${t}))`,
  },
  status: {
    type: 'UInt8',
    expected: '1 (success) or 0 (failure)',
    check: (t) => `${t} IN ('0', '1')`,
    convert: (t) => `toUInt8(${t})`,
  },
  token_standard: {
    type: 'String',
    expected: 'erc20, erc721 or erc1155',
    check: (t) => `${t} IN ('erc20', 'erc721', 'erc1155')`,
    convert: (t) => t,
  },
  text: { type: 'String', expected: 'text', check: () => '1', convert: (t) => t },
  confidence: {
    type: 'Float32',
    expected: 'a number from 0 to 1',
    check: (t) =>
      `(match(${t}, '^[0-9]*[.]?[0-9]+([eE][-+]?[0-9]+)?$') AND toFloat64OrNull(${t}) BETWEEN 0 AND 1)`,
    convert: (t) => `toFloat32(${t})`,
  },
};

/** The ClickHouse type a field of `kind` is converted to. */
export function kindType(kind: FieldKind): string {
  return kinds[kind].type;
}

/**
 * What happens when a field's value is empty (or its column absent, for an optional field):
 * `error` refuses the row, `null` stores NULL, `{ default }` stores that canonical text, `lookup` takes the
 * value from rows already in the warehouse (only when the column is absent; an empty value is an error).
 */
export type EmptyRule = 'error' | 'null' | 'lookup' | { default: string };

/** A column of the target table and how an import fills it. */
export interface ImportField {
  column: string;
  kind: FieldKind;
  /** The file may lack this column (then every row is treated as empty). */
  optional?: boolean;
  empty: EmptyRule;
}

/** Where a field's value comes from in one staged file set. */
export interface FieldSource {
  /** The file's column name(s), for messages. */
  name: string;
  /** SQL: the canonical text (Nullable(String), NULL when empty). */
  text: string;
  /** SQL: the value as the file has it, for messages. */
  shown: string;
  /** SQL replacing the kind's check (true when valid, given non-NULL text). */
  check?: string;
  /** Replaces the kind's description in messages. */
  expected?: string;
}

/** Canonical text of a staged CSV column: NULL when empty or `\N` (ClickHouse's own CSV NULL). */
export function csvText(column: StageColumn, kind: FieldKind): FieldSource {
  const raw = `nullIf(nullIf(${column.column}, ''), '\\\\N')`;
  let text = raw;
  if (kind === 'address' || kind === 'hash' || kind === 'hex' || kind === 'token_standard') {
    text = `lower(${raw})`;
  } else if (kind === 'topics') {
    // ethereum-etl writes `t0,t1,…`; ClickHouse's own CSV writes an array literal `['t0','t1']`.
    text = `replaceRegexpAll(lower(ifNull(${column.column}, '')), '[\\\\[\\\\]\\'" ]', '')`;
  } else if (kind === 'timestamp') {
    // Unix seconds, or a date-time as ClickHouse writes it (2015-11-03 14:44:40, taken as UTC); text that
    // is neither stays as it is and fails the check.
    text = `if(match(${raw}, '^[0-9]+$'), ${raw}, ifNull(toString(toUnixTimestamp(parseDateTimeBestEffortOrNull(${raw}, 'UTC'))), ${raw}))`;
  } else if (kind === 'status') {
    text = `multiIf(lower(${raw}) IN ('true', 'success'), '1', lower(${raw}) IN ('false', 'failure'), '0', ${raw})`;
  }
  return { name: column.name, text, shown: column.column };
}

/** The SQL of a staged row's checks for each field: valid when the text passes (or is allowed empty). */
function fieldCheck(field: ImportField, source: FieldSource): string {
  const check = source.check ?? kinds[field.kind].check(source.text);
  return field.empty === 'error' || field.empty === 'lookup'
    ? `ifNull(${check}, 0)`
    : `(${source.text} IS NULL OR ifNull(${check}, 0))`;
}

/**
 * The SELECT of one staged file set, one expression per field, named after the target columns. A field with
 * `lookup` becomes Nullable: NULL where the file lacks the column, for the caller to fill from a join.
 */
export function selectStage(
  stage: Stage,
  fields: readonly ImportField[],
  sources: ReadonlyMap<string, FieldSource | undefined>,
): string {
  const expressions = fields.map((field) => {
    const rule = kinds[field.kind];
    const source = sources.get(field.column);
    const name = sqlName(field.column);
    const empty = field.empty;
    if (!source) {
      if (empty === 'null' || empty === 'lookup') return `CAST(NULL AS Nullable(${rule.type})) AS ${name}`;
      if (typeof empty === 'object') return `${rule.convert(`'${empty.default}'`)} AS ${name}`;
      throw new Error(`no source for the required field ${field.column}`);
    }
    const t = source.text;
    if (empty === 'null') return `${rule.convert(t)} AS ${name}`;
    if (empty === 'lookup') return `toNullable(${rule.convert(`assumeNotNull(${t})`)}) AS ${name}`;
    if (typeof empty === 'object') return `${rule.convert(`ifNull(${t}, '${empty.default}')`)} AS ${name}`;
    return `${rule.convert(`assumeNotNull(${t})`)} AS ${name}`;
  });
  return `SELECT ${expressions.join(', ')} FROM ${stage.table}`;
}

/** An additional per-row check (e.g. a `chain_id` column must match the import's chain). */
export interface RowCheck {
  name: string;
  ok: string;
  shown: string;
  expected: string;
}

const shownLength = 80;

/**
 * Validates every staged row against the fields' rules and throws an {@link ImportError} naming the first bad
 * rows as `file:line column: expected …, got '…'` (the header is line 1). Nothing is written by this.
 */
export async function validateStage(
  warehouse: Warehouse,
  stage: Stage,
  fields: readonly ImportField[],
  sources: ReadonlyMap<string, FieldSource | undefined>,
  extra: readonly RowCheck[] = [],
  limit = 10,
): Promise<void> {
  const checks: RowCheck[] = [...extra];
  for (const field of fields) {
    const source = sources.get(field.column);
    if (!source) continue;
    checks.push({
      name: source.name,
      ok: fieldCheck(field, source),
      shown: source.shown,
      expected: source.expected ?? kinds[field.kind].expected,
    });
  }
  if (checks.length === 0) return;
  const tuples = checks.map(
    (check, i) => `(if(${check.ok}, -1, ${i}), ifNull(toString(${check.shown}), ''))`,
  );
  const query = `
    SELECT _file, toString(_line) AS line, bad, count() OVER () AS total
    FROM (
      SELECT _file, _line, arrayFilter(x -> x.1 >= 0, [${tuples.join(', ')}]) AS bad
      FROM ${stage.table}
    )
    WHERE notEmpty(bad)
    ORDER BY _file, _line
    LIMIT ${limit}`;
  const result = await warehouse.client.query({ query, format: 'JSONEachRow' });
  const rows = await result.json<{ _file: number; line: string; bad: [number, string][]; total: string }>();
  if (rows.length === 0) return;
  const problems = rows.flatMap((row) =>
    row.bad.map(([index, value]) => {
      const check = checks[index]!;
      const shown = value.length > shownLength ? `${value.slice(0, shownLength)}…` : value;
      return `${rowPosition(stage, row._file, row.line)} ${check.name}: expected ${check.expected}, got '${shown}'`;
    }),
  );
  const total = Number(rows[0]!.total);
  throw new ImportError(problems[0]!, {
    code: 'IMPORT_INVALID',
    details: [
      ...problems.slice(1),
      `${total} invalid row${total === 1 ? '' : 's'} in total (the first ${rows.length} shown).`,
      'Nothing was imported: fix the file and run the import again.',
    ].join('\n'),
  });
}
