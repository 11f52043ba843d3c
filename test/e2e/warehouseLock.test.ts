import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startTsProcess } from '../setup/spawnProcess.js';
import { useTempDir } from '../setup/testWarehouse.js';

describe('embedded warehouse ownership', () => {
  const tmp = useTempDir();

  it('a second process gets a clear "held by" error naming the holder, and gets in once it has gone', async () => {
    const env = { CHAINGNN_DATA_DIR: join(tmp(), 'data') };
    const holder = startTsProcess('test/fixtures/holdWarehouse.ts', [], env);
    await holder.waitForLine('ready');

    const blocked = await runCli(['status'], env);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toContain(
      `error: The embedded warehouse at ${join(tmp(), 'data', 'warehouse')} is held by process ${holder.child.pid}`,
    );
    expect(blocked.stderr).toContain('set CLICKHOUSE_URL');
    expect(blocked.stderr).not.toMatch(/DB::Exception|ChdbConnectionError/);

    holder.child.stdin!.end();
    expect((await holder.exited).code).toBe(0);
    const after = await runCli(['status'], env);
    expect(after.code).toBe(0);
  });
});
