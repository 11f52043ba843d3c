import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../setup/freePort.js';
import { postGraphql } from '../setup/postGraphql.js';
import { runCli, startCli } from '../setup/spawnProcess.js';
import { useTempDir } from '../setup/testWarehouse.js';

describe('chaingnn serve', () => {
  const tmp = useTempDir();

  it('serves GraphQL with a key made by chaingnn apikey, and stops cleanly on SIGTERM', async () => {
    const env = { CHAINGNN_DATA_DIR: join(tmp(), 'data'), LOG_LEVEL: 'warn' };
    const created = await runCli(['apikey', 'create', '--role', 'reader', '--json'], env);
    const { key } = JSON.parse(created.stdout) as { key: string };
    const port = await freePort();
    const serve = startCli(['serve', '--port', String(port)], env);
    const url = `http://127.0.0.1:${port}/graphql`;
    await serve.waitForLine(`GraphQL API at ${url}`);
    const reply = await postGraphql(
      url,
      key,
      '{ indexerStatus { chainId indexedBlock lag } riskScores(addresses: []) { address } }',
    );
    // A warehouse with nothing indexed yet: no chain, no scores, and no error.
    expect(reply.body).toEqual({
      data: { indexerStatus: { chainId: null, indexedBlock: null, lag: null }, riskScores: [] },
    });
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    serve.child.kill('SIGTERM');
    const exited = await serve.exited;
    expect(exited.stderr).toBe('');
    expect(exited.code ?? exited.signal).toBe(143);
  });
});
