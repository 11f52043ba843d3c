/** A column of a text table: its header and whether its cells are right-aligned (numbers). */
export interface TableColumn {
  name: string;
  alignRight?: boolean;
}

/** Renders rows as an aligned plain-text table with a header rule; cells are stringified, NULL shown as NULL. */
export function formatTable(columns: readonly TableColumn[], rows: readonly (readonly unknown[])[]): string {
  const cells = rows.map((row) => columns.map((_, i) => formatCell(row[i])));
  const widths = columns.map((column, i) =>
    Math.max(column.name.length, ...cells.map((row) => row[i]!.length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, i) => (columns[i]!.alignRight ? value.padStart(widths[i]!) : value.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const header = line(columns.map((column) => column.name));
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [header, rule, ...cells.map(line)].join('\n');
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value).replace(/\n/g, '\\n');
}
