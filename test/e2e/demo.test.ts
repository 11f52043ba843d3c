import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDemoQueries } from '../../src/cli/demoQueries.js';
import { type DemoState, demoCampaignId, demoStatePath } from '../../src/cli/runDemoStages.js';
import { freePort } from '../setup/freePort.js';
import { postGraphql } from '../setup/postGraphql.js';
import { runCli, startCli } from '../setup/spawnProcess.js';
import { useTempDir } from '../setup/testWarehouse.js';

describe('chaingnn demo', () => {
  const tmp = useTempDir();

  it('builds every product on a simulated world, serves the queries it prints, and reuses its work on a re-run', async () => {
    const dataDir = join(tmp(), 'data');
    const env = { CHAINGNN_DATA_DIR: dataDir, LOG_LEVEL: 'warn', CHAINGNN_TF_BACKEND: 'wasm' };
    const port = await freePort();
    const demo = startCli(['demo', '--scale', 'small', '--epochs', '10', '--port', String(port)], env);
    await demo.waitForLine('Ctrl-C to stop.');
    demo.child.kill('SIGTERM');
    const { stdout } = await demo.exited;
    // The printed stages, each with its time, and the key made for the run.
    for (const title of [
      'Simulate a world',
      'Build the interaction graph',
      'Score every address',
      'Run an airdrop',
      'Forecast',
    ]) {
      expect(stdout).toMatch(new RegExp(`^✓ ${title}.*: \\d+\\.\\d s`, 'm'));
    }
    const key = /A reader API key made for this run: (cgn_\S+)/.exec(stdout)?.[1];
    expect(key, stdout).toBeDefined();
    expect(stdout).toContain(`GraphQL API at http://127.0.0.1:${port}/graphql`);
    expect(stdout.match(/^curl -s /gm)).toHaveLength(3);

    // Served again without rebuilding: every stage reused, and each printed query answers with data.
    const again = startCli(['demo', '--scale', 'small', '--epochs', '10', '--port', String(port)], env);
    try {
      await again.waitForLine('Ctrl-C to stop.');
      const state = JSON.parse(readFileSync(demoStatePath(dataDir), 'utf8')) as DemoState;
      expect(Object.keys(state.stages)).toHaveLength(8);
      const url = `http://127.0.0.1:${port}/graphql`;
      for (const query of buildDemoQueries(state.phisher!, demoCampaignId)) {
        const reply = await postGraphql(url, key, query.query, query.variables);
        expect(reply.body.errors, query.title).toBeUndefined();
        expect(JSON.stringify(reply.body.data), query.title).not.toContain('null');
      }
    } finally {
      again.child.kill('SIGTERM');
    }
    const second = await again.exited;
    expect(second.stdout.match(/reused from the last run/g)).toHaveLength(8);
  });

  it('refuses --fresh on a data directory the demo did not make', async () => {
    const dataDir = join(tmp(), 'not-demo');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'precious.txt'), 'keep me');
    const refused = await runCli(['demo', '--fresh', '--no-serve'], { CHAINGNN_DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('it holds data the demo did not make');
    expect(readFileSync(join(dataDir, 'precious.txt'), 'utf8')).toBe('keep me');
  });
});
