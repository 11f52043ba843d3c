import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseApiKey } from '../../src/api/auth/parseApiKey.js';
import { runCli } from '../setup/spawnProcess.js';
import { useTempDir } from '../setup/testWarehouse.js';

interface ListedKey {
  keyId: string;
  name: string;
  role: string;
  createdAt: string;
  revoked: boolean;
  revokedAt: string | null;
}

describe('chaingnn apikey', () => {
  const tmp = useTempDir();
  const env = () => ({ CHAINGNN_DATA_DIR: join(tmp(), 'data') });

  it('creates a reader key shown once, lists it without the secret or its hash, revokes it', async () => {
    const created = await runCli(['apikey', 'create', '--role', 'reader', '--name', 'dashboards'], env());
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const key = /^ {2}(cgn_\S+)$/m.exec(created.stdout)?.[1];
    const parsed = parseApiKey(key ?? '');
    expect(parsed, created.stdout).toBeDefined();
    expect(created.stdout).toMatch(
      new RegExp(`^Created reader API key ${parsed!.keyId} \\(dashboards\\):\n`),
    );
    expect(created.stdout).toContain('cannot be shown again');
    expect(created.stdout).toContain('Authorization: Bearer <key>');

    const table = await runCli(['apikey', 'list'], env());
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^id +name +role +created +revoked\n/);
    expect(table.stdout).toMatch(
      new RegExp(`\n${parsed!.keyId} +dashboards +reader +\\d{4}-\\d\\d-\\d\\dT\\S+Z +no\n`),
    );
    const stored = await runCli(
      ['sql', `SELECT key_hash FROM api_keys WHERE key_id = '${parsed!.keyId}'`, '-f', 'csv'],
      env(),
    );
    const hash = stored.stdout.split('\n')[1]!.replaceAll('"', '');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    for (const listing of [table.stdout, (await runCli(['apikey', 'list', '--json'], env())).stdout]) {
      expect(listing).not.toContain(parsed!.secret);
      expect(listing).not.toContain(hash);
    }

    const revoked = await runCli(['apikey', 'revoke', parsed!.keyId], env());
    expect(revoked.stderr).toBe('');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(
      new RegExp(`^Revoked reader API key ${parsed!.keyId} \\(dashboards\\)\\.`),
    );
    const json = await runCli(['apikey', 'list', '--json'], env());
    const keys = JSON.parse(json.stdout) as ListedKey[];
    expect(keys).toEqual([
      {
        keyId: parsed!.keyId,
        name: 'dashboards',
        role: 'reader',
        createdAt: expect.stringMatching(/Z$/),
        revoked: true,
        revokedAt: expect.stringMatching(/Z$/),
      },
    ]);
    expect(Date.parse(keys[0]!.revokedAt!)).toBeGreaterThan(Date.parse(keys[0]!.createdAt));
  });

  it('refuses an unknown role and an unknown key id, naming them', async () => {
    const badRole = await runCli(['apikey', 'create', '--role', 'owner'], env());
    expect(badRole.code).not.toBe(0);
    expect(badRole.stderr).toContain("argument 'owner' is invalid. Allowed choices are reader, admin.");
    const unknown = await runCli(['apikey', 'revoke', 'abcdefabcdef'], env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: No API key with id "abcdefabcdef"\n.*apikey list/);
    const listed = JSON.parse((await runCli(['apikey', 'list', '--json'], env())).stdout) as ListedKey[];
    expect(listed.map((k) => k.keyId)).not.toContain('abcdefabcdef');
  });
});
