import { describe, expect, it } from 'vitest';
import { createReadCoalescer } from './createReadCoalescer.js';

/** A source whose reads finish only when the test lets them, recording the keys of each read. */
function gatedSource() {
  const reads: string[][] = [];
  const gates: { release: () => void; fail: (error: Error) => void }[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const read = (keys: string[]) => {
    reads.push(keys);
    for (const waiter of waiters.filter((w) => reads.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    return new Promise<Map<string, string>>((resolve, reject) => {
      gates.push({
        release: () => resolve(new Map(keys.filter((k) => !k.startsWith('none')).map((k) => [k, `v:${k}`]))),
        fail: reject,
      });
    });
  };
  /** Resolves once `count` reads have started. */
  const started = (count: number) =>
    reads.length >= count
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiters.push({ count, resolve }));
  return { read, reads, gates, started };
}

describe('createReadCoalescer', () => {
  it('sends an idle caller its own read, and the keys asked meanwhile together in the next one', async () => {
    const source = gatedSource();
    const coalescer = createReadCoalescer(source.read);
    const first = coalescer.load(['a']);
    await source.started(1);
    const waiting = [coalescer.load(['b']), coalescer.load(['c', 'none-1']), coalescer.load(['b', 'd'])];
    expect(source.reads).toEqual([['a']]);
    source.gates[0]!.release();
    expect((await first).get('a')).toBe('v:a');
    await source.started(2);
    expect(source.reads[1]).toEqual(['b', 'c', 'none-1', 'd']);
    source.gates[1]!.release();
    const [b, c, bd] = await Promise.all(waiting);
    expect(b!.get('b')).toBe('v:b');
    expect(c!.get('c')).toBe('v:c');
    expect(c!.has('none-1')).toBe(false);
    expect([bd!.get('b'), bd!.get('d')]).toEqual(['v:b', 'v:d']);
    expect(source.reads).toHaveLength(2);
  });

  it('does not read a key twice while it is being read', async () => {
    const source = gatedSource();
    const coalescer = createReadCoalescer(source.read);
    const first = coalescer.load(['a', 'b']);
    await source.started(1);
    const again = coalescer.load(['b', 'a']);
    source.gates[0]!.release();
    expect([...(await again).entries()].sort()).toEqual([
      ['a', 'v:a'],
      ['b', 'v:b'],
    ]);
    await first;
    expect(source.reads).toEqual([['a', 'b']]);
    // Once read, a key is asked again (caching is the caller's business).
    const later = coalescer.load(['a']);
    await source.started(2);
    source.gates[1]!.release();
    expect((await later).get('a')).toBe('v:a');
  });

  it('splits the keys waiting into reads of at most maxBatch, and runs maxInFlight reads at once', async () => {
    const source = gatedSource();
    const coalescer = createReadCoalescer(source.read, { maxBatch: 2, maxInFlight: 2 });
    const all = coalescer.load(['a', 'b', 'c', 'd', 'e']);
    await source.started(2);
    expect(source.reads).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    source.gates[1]!.release();
    await source.started(3);
    expect(source.reads[2]).toEqual(['e']);
    source.gates[0]!.release();
    source.gates[2]!.release();
    expect([...(await all).keys()].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('rejects only the callers of a failed read, and reads again afterwards', async () => {
    const source = gatedSource();
    const coalescer = createReadCoalescer(source.read);
    const first = coalescer.load(['a']);
    await source.started(1);
    const second = coalescer.load(['b']);
    source.gates[0]!.fail(new Error('warehouse down'));
    await expect(first).rejects.toThrow('warehouse down');
    await source.started(2);
    source.gates[1]!.release();
    expect((await second).get('b')).toBe('v:b');
    const retry = coalescer.load(['a']);
    await source.started(3);
    expect(source.reads[2]).toEqual(['a']);
    source.gates[2]!.release();
    expect((await retry).get('a')).toBe('v:a');
  });

  it('turns a read that throws at once into a rejection', async () => {
    const coalescer = createReadCoalescer<string>(() => {
      throw new Error('bad keys');
    });
    await expect(coalescer.load(['a'])).rejects.toThrow('bad keys');
    await expect(coalescer.load([])).resolves.toEqual(new Map());
  });
});
