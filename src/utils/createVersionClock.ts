/** Hands out strictly increasing row versions (microseconds since the epoch, bumped on ties). */
export function createVersionClock(now: () => number = Date.now): () => bigint {
  let last = 0n;
  return () => {
    const candidate = BigInt(now()) * 1000n;
    last = candidate > last ? candidate : last + 1n;
    return last;
  };
}
