/** `text` as a ClickHouse string literal: in single quotes, its quotes and backslashes escaped. */
export function sqlString(text: string): string {
  return `'${text.replace(/['\\]/g, (ch) => `\\${ch}`)}'`;
}
