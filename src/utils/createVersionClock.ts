/**
 * Hands out strictly increasing row versions: microseconds since the epoch, bumped on ties. A number, not a
 * bigint: exact until the year 2255 (2^53 µs), and rows without bigints serialize without copies.
 */
export function createVersionClock(now: () => number = Date.now): () => number {
  let last = 0;
  return () => {
    const candidate = now() * 1000;
    last = candidate > last ? candidate : last + 1;
    return last;
  };
}
