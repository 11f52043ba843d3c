/**
 * Rows as ClickHouse TabSeparated text, one line per row, fields in `columns` order (with a final newline).
 * Values: string (escaped), number, bigint (UInt256 amounts), boolean (1/0), null or a missing key (`\N`:
 * the column's default unless it is Nullable), arrays and typed arrays (`['a','b']`, `[1,2]`, nested).
 */
export function toTabSeparated(rows: readonly object[], columns: readonly string[]): string {
  const lines = new Array<string>(rows.length + 1);
  const fields = new Array<string>(columns.length);
  for (let r = 0; r < rows.length; r += 1) {
    const row = rows[r] as Record<string, unknown>;
    for (let c = 0; c < columns.length; c += 1) fields[c] = formatField(row[columns[c]!], columns[c]!);
    lines[r] = fields.join('\t');
  }
  lines[rows.length] = '';
  return lines.join('\n');
}

/** Every key of `rows`, in the order they first appear (the column list of a TabSeparated insert). */
export function collectColumns(rows: readonly object[]): string[] {
  const first = Object.keys(rows[0] ?? {});
  const seen = new Set(first);
  for (const row of rows) {
    for (const key in row) {
      if (!seen.has(key)) {
        seen.add(key);
        first.push(key);
      }
    }
  }
  return first;
}

const escapes: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\\0',
  "'": "\\'",
};
const special = /[\\\t\n\r\0']/;
const specialAll = /[\\\t\n\r\0']/g;

function escapeText(text: string): string {
  return special.test(text) ? text.replace(specialAll, (ch) => escapes[ch]!) : text;
}

function formatField(value: unknown, column: string): string {
  if (typeof value === 'string') return escapeText(value);
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'object' && (Array.isArray(value) || ArrayBuffer.isView(value))) {
    return formatArray(value as ArrayLike<unknown>, column);
  }
  return formatScalar(value, column);
}

function formatArray(items: ArrayLike<unknown>, column: string): string {
  const parts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i];
    if (typeof item === 'string') parts[i] = `'${escapeText(item)}'`;
    else if (item === null || item === undefined) parts[i] = 'NULL';
    else if (typeof item === 'object' && (Array.isArray(item) || ArrayBuffer.isView(item))) {
      parts[i] = formatArray(item as ArrayLike<unknown>, column);
    } else parts[i] = formatScalar(item, column);
  }
  return `[${parts.join(',')}]`;
}

function formatScalar(value: unknown, column: string): string {
  switch (typeof value) {
    case 'number':
      if (Number.isFinite(value)) return String(value);
      return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? '1' : '0';
    default:
      throw new TypeError(
        `Column ${column}: cannot write ${Object.prototype.toString.call(value)} to the warehouse (expected a string, number, bigint, boolean, null or an array of them)`,
      );
  }
}
