/** Reads values by key, several callers' keys at a time. */
export interface ReadCoalescer<V> {
  /**
   * A map holding the value of each of `keys` that has one (and maybe of other callers' keys read with them),
   * read together with the keys other callers ask meanwhile.
   */
  load(keys: readonly string[]): Promise<Map<string, V>>;
}

/** Options for {@link createReadCoalescer}. */
export interface ReadCoalescerOptions {
  /** Reads running at once (default 1). */
  maxInFlight?: number;
  /** Distinct keys per read (default 1,000). */
  maxBatch?: number;
}

/** Keys that go to the source in one read, and the read's result once it is started. */
interface Batch<V> {
  keys: Set<string>;
  result: Promise<Map<string, V>>;
  start(): void;
}

/**
 * Coalesces reads across callers: keys asked while `maxInFlight` reads are running wait, and go together in the
 * next read (up to `maxBatch` keys each); a key already waiting or being read is not asked twice. Under load a
 * read then serves many callers instead of one, so throughput grows with the arrival rate instead of queueing
 * one read per caller behind the last. An idle coalescer sends a caller's keys at once. A failed read rejects
 * the callers whose keys it held, and only them.
 */
export function createReadCoalescer<V>(
  read: (keys: string[]) => Promise<Map<string, V>>,
  options: ReadCoalescerOptions = {},
): ReadCoalescer<V> {
  const maxInFlight = options.maxInFlight ?? 1;
  const maxBatch = options.maxBatch ?? 1_000;
  /** Batches not sent yet, oldest first; only the last takes more keys. */
  const waiting: Batch<V>[] = [];
  /** The batch of every key waiting or being read. */
  const batchOf = new Map<string, Batch<V>>();
  let inFlight = 0;

  const newBatch = (): Batch<V> => {
    const keys = new Set<string>();
    let start = () => {};
    const result = new Promise<Map<string, V>>((resolve, reject) => {
      start = () => {
        Promise.resolve()
          .then(() => read([...keys]))
          .then(resolve, reject);
      };
    });
    return { keys, result, start };
  };

  const pump = () => {
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = waiting.shift()!;
      inFlight += 1;
      const done = () => {
        for (const key of batch.keys) batchOf.delete(key);
        inFlight -= 1;
        pump();
      };
      // A failed read reaches its callers through `result`; this branch only frees the slot.
      batch.result.then(done, done);
      batch.start();
    }
  };

  return {
    async load(keys) {
      const batches = new Set<Batch<V>>();
      for (const key of keys) {
        let batch = batchOf.get(key);
        if (!batch) {
          let last = waiting[waiting.length - 1];
          if (!last || last.keys.size >= maxBatch) {
            last = newBatch();
            waiting.push(last);
          }
          last.keys.add(key);
          batchOf.set(key, last);
          batch = last;
        }
        batches.add(batch);
      }
      pump();
      const results = await Promise.all([...batches].map((batch) => batch.result));
      if (results.length === 1) return results[0]!;
      const found = new Map<string, V>();
      for (const result of results) for (const [key, value] of result) found.set(key, value);
      return found;
    },
  };
}
