import { describe, expect, it } from 'vitest';
import { startTsProcess } from '../../test/setup/spawnProcess.js';

/** Trains the fixture's model in a new process on `threads` wasm threads; its printed result and exit code. */
async function trainOn(threads: number) {
  const result = await startTsProcess('test/fixtures/trainOnWasmThreads.ts', [String(threads)]).exited;
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { threads: number; losses: number[]; predictions: number };
}

describe('startWasmThreads', () => {
  it('runs the wasm backend on two threads with the results of one, and lets the process exit', async () => {
    const [one, two] = await Promise.all([trainOn(1), trainOn(2)]);
    expect(one.threads).toBe(1);
    expect(two.threads).toBe(2);
    expect(two.losses).toEqual(one.losses);
    expect(two.predictions).toBe(one.predictions);
  });
});
