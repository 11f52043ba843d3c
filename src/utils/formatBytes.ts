const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/** Formats a byte count for people: `0 B`, `12.3 KiB`, `4.0 GiB`. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} ${units[0]}` : `${value.toFixed(1)} ${units[unit]}`;
}
