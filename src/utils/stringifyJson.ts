/** JSON.stringify that writes bigint as a decimal string (how ClickHouse reads UInt256 from JSON), indented by `space` when given. */
export function stringifyJson(value: unknown, space?: number): string {
  // Faster than a replacer (which JSON.stringify calls for every key): copy only what holds a bigint.
  return JSON.stringify(withoutBigints(value), null, space);
}

/** `value` with every bigint inside it as a decimal string; objects without one are returned as they are. */
function withoutBigints(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i += 1) {
      const fixed = withoutBigints(value[i]);
      if (fixed === value[i]) continue;
      copy ??= [...value];
      copy[i] = fixed;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    const fixed = withoutBigints(item);
    if (fixed === item) continue;
    copy ??= { ...(value as Record<string, unknown>) };
    copy[key] = fixed;
  }
  return copy ?? value;
}
