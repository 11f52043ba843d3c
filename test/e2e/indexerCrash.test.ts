import { join } from 'node:path';
import { drainPending } from 'chdb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Devnet, startDevnet } from '../../src/chain/devnet/startDevnet.js';
import { simulate } from '../../src/chain/simulator/simulate.js';
import { createWarehouse } from '../../src/warehouse/createWarehouse.js';
import { blockScopedTables } from '../../src/warehouse/deleteBlocksAbove.js';
import { getTableChecksums, type TableChecksum } from '../../src/warehouse/getTableChecksums.js';
import { runCli, startTsProcess } from '../setup/spawnProcess.js';
import { createTestCommon, useTempDir } from '../setup/testWarehouse.js';

async function checksums(dataDir: string): Promise<Record<string, TableChecksum>> {
  const common = await createTestCommon(dataDir);
  const warehouse = await createWarehouse(common);
  try {
    return await getTableChecksums(warehouse, [...Object.keys(blockScopedTables), 'indexer_checkpoints']);
  } finally {
    await common.shutdown.close();
    await drainPending();
  }
}

describe('indexer crash and resume', () => {
  const tmp = useTempDir();
  let devnet: Devnet;
  let lastBlock: number;

  beforeAll(async () => {
    devnet = await startDevnet();
    lastBlock = (await simulate({ rpc: devnet.provider, seed: 3, scale: 'small' })).lastBlock;
  });
  afterAll(() => devnet?.stop());

  it('killed with SIGKILL three times mid-run, then resumed, leaves the warehouse identical to an uninterrupted run', async () => {
    // Every batch written on its own: the kills land between many writes and checkpoints.
    const args = [
      'index',
      '--rpc',
      devnet.url,
      '--to',
      String(lastBlock),
      '--batch',
      '10',
      '--write-rows',
      '1',
    ];
    const clean = { CHAINGNN_DATA_DIR: join(tmp(), 'clean') };
    const once = await runCli(args, clean);
    expect(once.code).toBe(0);

    const crashed = { CHAINGNN_DATA_DIR: join(tmp(), 'crashed'), LOG_LEVEL: 'debug' };
    for (const afterBatches of [2, 5, 9]) {
      const run = startTsProcess('src/cli/main.ts', args, crashed);
      let batches = 0;
      await new Promise<void>((resolve, reject) => {
        run.child.stderr!.on('data', (chunk: Buffer) => {
          batches += chunk.toString().split('batch written').length - 1;
          if (batches >= afterBatches) resolve();
        });
        void run.exited.then((r) =>
          reject(new Error(`indexer ended before it was killed: ${r.stderr.slice(-500)}`)),
        );
      });
      run.child.kill('SIGKILL');
      expect((await run.exited).signal).toBe('SIGKILL');
    }
    const resumed = await runCli(args, crashed);
    expect(resumed.code).toBe(0);

    const [expected, actual] = [
      await checksums(clean.CHAINGNN_DATA_DIR),
      await checksums(crashed.CHAINGNN_DATA_DIR),
    ];
    expect(expected.blocks!.rows).toBe(lastBlock + 1);
    expect(actual.indexer_checkpoints).toEqual({ rows: 1, checksum: expect.any(String) });
    const { indexer_checkpoints: _a, ...expectedData } = expected;
    const { indexer_checkpoints: _b, ...actualData } = actual;
    expect(actualData).toEqual(expectedData);
  });
});
