/** JSON.stringify that writes bigint as a decimal string (how ClickHouse reads UInt256 from JSON). */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}
