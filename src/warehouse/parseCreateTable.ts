/** A column as declared in a CREATE TABLE statement. */
export interface ColumnDeclaration {
  name: string;
  type: string;
}

/** The parts of a `CREATE TABLE … (columns) ENGINE = …` statement that the cluster DDL rewrites. */
export interface CreateTable {
  name: string;
  /** The text between the parentheses: columns, indexes, projections. */
  body: string;
  columns: ColumnDeclaration[];
  /** Engine name, e.g. `ReplacingMergeTree`. */
  engine: string;
  /** Engine arguments as written, without parentheses (may be empty). */
  engineArgs: string;
  /** Everything after the engine: PARTITION BY, ORDER BY, SETTINGS… */
  tail: string;
  /** The ORDER BY expressions, e.g. `['chain_id', 'number']`. */
  orderBy: string[];
}

const headPattern =
  /^CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+([A-Za-z_][A-Za-z0-9_]*)(?:\s+ON\s+CLUSTER\s+'[^']*')?\s*\(/i;
const columnModifiers = /\s+(DEFAULT|MATERIALIZED|ALIAS|EPHEMERAL|CODEC|COMMENT|TTL|PRIMARY\s+KEY)\b/i;
const nonColumnItems = /^(INDEX|PROJECTION|CONSTRAINT)\s/i;

/** Parses one `CREATE TABLE IF NOT EXISTS name (…) ENGINE = …` statement; returns undefined for other statements. */
export function parseCreateTable(statement: string): CreateTable | undefined {
  const head = headPattern.exec(statement);
  if (!head) return undefined;
  const open = head[0].length - 1;
  const close = matchingParen(statement, open);
  const body = statement.slice(open + 1, close);
  const rest = statement.slice(close + 1).trim();
  const engineMatch = /^ENGINE\s*=\s*([A-Za-z]+)\s*/i.exec(rest);
  if (!engineMatch) throw new Error(`CREATE TABLE ${head[1]}: expected ENGINE = … after the column list`);
  let engineArgs = '';
  let tail = rest.slice(engineMatch[0].length);
  if (tail.startsWith('(')) {
    const end = matchingParen(tail, 0);
    engineArgs = tail.slice(1, end).trim();
    tail = tail.slice(end + 1);
  }
  const orderBy = /ORDER\s+BY\s+(\([^)]*\)|\S+)/i.exec(tail)?.[1] ?? '';
  return {
    name: head[1]!,
    body,
    columns: splitTopLevel(body)
      .filter((item) => !nonColumnItems.test(item))
      .map((item) => {
        const [name, ...rest] = item.split(/\s+/);
        const declaration = rest.join(' ');
        const modifier = columnModifiers.exec(` ${declaration}`);
        const type = modifier ? ` ${declaration}`.slice(0, modifier.index) : ` ${declaration}`;
        return { name: name!.replace(/`/g, ''), type: type.trim() };
      }),
    engine: engineMatch[1]!,
    engineArgs,
    tail: tail.trim(),
    orderBy: splitTopLevel(orderBy.replace(/^\(|\)$/g, '')),
  };
}

/** Splits on commas that are not inside parentheses or quotes; trims and drops empty items. */
export function splitTopLevel(text: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(') depth += 1;
    else if (ch === ')') depth -= 1;
    else if (ch === ',' && depth === 0) {
      items.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  items.push(current.trim());
  return items.filter(Boolean).map((item) => item.replace(/\s+/g, ' '));
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < text.length; i += 1) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(') depth += 1;
    else if (ch === ')') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  throw new Error(`unbalanced parentheses after offset ${open}`);
}
