/** A value read from somewhere slow, kept for `ttlMs` and refreshed in the background after that. */
export interface LatestValue<T> {
  /** The value: the first call waits for it; later calls get the kept one while a refresh runs. */
  get(): Promise<T>;
  /** Forgets the kept value: the next `get` waits for a fresh one. */
  reset(): void;
}

/**
 * Keeps the latest result of `load` (stale-while-revalidate): after `ttlMs` the next `get` starts one refresh
 * and still answers with the kept value; a failed first load is not kept, so the next call tries again.
 */
export function createLatestValue<T>(load: () => Promise<T>, ttlMs: number, now = Date.now): LatestValue<T> {
  let kept: { value: Promise<T>; at: number } | undefined;
  let refreshing = false;
  const fetchValue = () => {
    const value = load();
    const entry = { value, at: now() };
    value.catch(() => {
      if (kept === entry) kept = undefined;
    });
    return entry;
  };
  return {
    get() {
      if (!kept) {
        kept = fetchValue();
        return kept.value;
      }
      if (!refreshing && now() - kept.at > ttlMs) {
        refreshing = true;
        const next = fetchValue();
        next.value
          .then(
            () => {
              kept = next;
            },
            () => {},
          )
          .finally(() => {
            refreshing = false;
          });
      }
      return kept.value;
    },
    reset() {
      kept = undefined;
    },
  };
}
