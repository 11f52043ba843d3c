import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useTempDir, useTestWarehouse } from '../../test/setup/testWarehouse.js';
import { createCommon } from '../internal/createCommon.js';
import { createWarehouse } from './createWarehouse.js';
import { queryRows } from './queryRows.js';
import { RowBinaryWriter } from './RowBinaryWriter.js';

describe('createWarehouse (embedded)', () => {
  const warehouse = useTestWarehouse();
  const settings = async () =>
    (
      await queryRows<{ threads: string; parallel: boolean }>(
        warehouse(),
        "SELECT toString(getSetting('max_threads')) AS threads, getSetting('input_format_parallel_parsing') AS parallel",
      )
    )[0];

  it("scopes a call's settings to that call: the session's own are back once it ends", async () => {
    const before = await settings();
    const { client } = warehouse();
    const inside = await client.query({
      query: "SELECT toString(getSetting('max_threads')) AS threads",
      format: 'JSONEachRow',
      clickhouse_settings: { max_threads: 1, input_format_parallel_parsing: 0 },
    });
    expect(await inside.json()).toEqual([{ threads: '1' }]);
    await client.command({ query: 'SELECT 1', clickhouse_settings: { input_format_parallel_parsing: 0 } });
    await expect(
      client.command({ query: 'SELECT throwIf(1)', clickhouse_settings: { max_threads: 1 } }),
    ).rejects.toThrow();
    expect(await settings()).toEqual(before);
    expect(before?.threads).not.toBe('1');
    expect(before?.parallel).toBe(true);
  });
});

describe('createWarehouse (server)', () => {
  const dataDir = useTempDir();

  it('sends RowBinary rows as the body of an INSERT … FORMAT RowBinary, naming the columns', async () => {
    // No ClickHouse server runs here: a stand-in records what the client sends and answers as a server would.
    const requests: { query: string; body: Buffer }[] = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://localhost');
        if (url.pathname === '/ping') return void response.end('Ok.\n');
        requests.push({ query: url.searchParams.get('query') ?? '', body: Buffer.concat(chunks) });
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const common = await createCommon({
      env: { CLICKHOUSE_URL: `http://127.0.0.1:${port}` },
      overrides: { dataDir: dataDir(), logLevel: 'silent' },
    });
    try {
      const warehouse = await createWarehouse(common);
      const rows = new RowBinaryWriter().uint32(7).string('0xabc').finish();
      await warehouse.insertRowBinary('some_table', ['id', 'address'], rows);
      await warehouse.insertRowBinary('some_table', ['id'], new Uint8Array(0));
      expect(requests.at(-1)).toEqual({
        query: 'INSERT INTO `some_table` (`id`, `address`) FORMAT RowBinary',
        body: Buffer.from([7, 0, 0, 0, 5, ...Buffer.from('0xabc')]),
      });
      expect(requests.filter((r) => r.query.startsWith('INSERT'))).toHaveLength(1);
    } finally {
      await common.shutdown.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
