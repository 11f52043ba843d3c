import { describe, expect, it } from 'vitest';
import { useTestWarehouse } from '../../test/setup/testWarehouse.js';
import { queryRows } from './queryRows.js';

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
