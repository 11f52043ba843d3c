import { escapeXml } from './svgPlot.js';

/** Options of {@link buildHtmlTable}. */
export interface HtmlTableOptions {
  /** The columns, in order (default: the keys of the first row). */
  columns?: readonly string[];
  /** A caption above the table. */
  caption?: string;
  /** Show at most this many rows, and say how many were left out (default: all). */
  maxRows?: number;
}

/**
 * Rows as an HTML table for a notebook: numbers right-aligned (fractions to 4 significant digits), and so are
 * numeric strings (ClickHouse's 64-bit integers arrive as strings); other strings and bigints as they are, arrays
 * one item per line, null as an empty cell; every value escaped.
 */
export function buildHtmlTable(
  rows: readonly Record<string, unknown>[],
  options: HtmlTableOptions = {},
): string {
  const columns = options.columns ?? Object.keys(rows[0] ?? {});
  const shown = options.maxRows === undefined ? rows : rows.slice(0, options.maxRows);
  const head = columns.map((column) => `<th>${escapeXml(column)}</th>`).join('');
  const body = shown
    .map((row) => {
      const cells = columns.map((column) => {
        const value = row[column];
        const numeric =
          typeof value === 'number' ||
          typeof value === 'bigint' ||
          (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value));
        return `<td${numeric ? ' style="text-align:right"' : ''}>${formatCell(value)}</td>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('');
  const more = rows.length > shown.length ? `<p>… ${rows.length - shown.length} more rows</p>` : '';
  const caption = options.caption ? `<caption>${escapeXml(options.caption)}</caption>` : '';
  return `<table>${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${more}`;
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  }
  if (Array.isArray(value)) return value.map((item) => formatCell(item)).join('<br>');
  if (typeof value === 'object') return escapeXml(JSON.stringify(value));
  return escapeXml(String(value));
}
