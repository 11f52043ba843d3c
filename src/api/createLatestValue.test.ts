import { describe, expect, it } from 'vitest';
import { createLatestValue } from './createLatestValue.js';

describe('createLatestValue', () => {
  it('loads once, answers with the kept value while a refresh runs after the ttl, then with the fresh one', async () => {
    let clock = 0;
    let loads = 0;
    let release: (() => void) | undefined;
    const value = createLatestValue(
      () => {
        loads += 1;
        const n = loads;
        return n === 1 ? Promise.resolve(n) : new Promise<number>((resolve) => (release = () => resolve(n)));
      },
      1000,
      () => clock,
    );
    expect(await value.get()).toBe(1);
    clock = 999;
    expect(await value.get()).toBe(1);
    expect(loads).toBe(1);
    clock = 1001;
    expect(await value.get()).toBe(1); // stale, refresh started
    expect(await value.get()).toBe(1); // one refresh at a time
    expect(loads).toBe(2);
    release!();
    await Promise.resolve();
    await Promise.resolve();
    expect(await value.get()).toBe(2);
  });

  it('does not keep a failed first load, and reset forgets the value', async () => {
    let calls = 0;
    const value = createLatestValue(async () => {
      calls += 1;
      if (calls === 1) throw new Error('warehouse down');
      return calls;
    }, 1000);
    await expect(value.get()).rejects.toThrow('warehouse down');
    expect(await value.get()).toBe(2);
    value.reset();
    expect(await value.get()).toBe(3);
  });
});
