import { describe, expect, it } from 'vitest';
import { queryRows, useTestWarehouse } from '../../test/setup/testWarehouse.js';
import { collectColumns, toTabSeparated } from './toTabSeparated.js';

describe('toTabSeparated', () => {
  const warehouse = useTestWarehouse({ migrate: false });

  it('writes strings, numbers, bigints, nulls and arrays that the engine reads back unchanged', async () => {
    await warehouse().client.command({
      query: `CREATE TABLE values_table (
        id UInt32, text String, maybe Nullable(String), amount UInt256, ratio Float64, flag UInt8,
        words Array(String), numbers Array(Float32), nested Array(Array(Nullable(UInt8))),
        stamp DateTime64(3, 'UTC') DEFAULT toDateTime64('2020-01-02 03:04:05', 3, 'UTC')
      ) ENGINE = MergeTree ORDER BY id`,
    });
    const awkward = "tab\there, new\nline, back\\slash, quote ' and \r\0 end, ünïcode ✓";
    const rows = [
      {
        id: 1,
        text: awkward,
        maybe: null,
        amount: 2n ** 256n - 1n,
        ratio: -1.5e-7,
        flag: true,
        words: ['0xabc', awkward, ''],
        numbers: new Float32Array([0.5, -2]),
        nested: [[1, null], []],
      },
      {
        id: 2,
        text: '',
        maybe: "it's",
        amount: 0n,
        ratio: 3,
        flag: false,
        words: [],
        numbers: [],
        nested: [],
      },
    ];
    await warehouse().insert('values_table', rows);
    const back = await queryRows<Record<string, unknown>>(
      warehouse(),
      'SELECT * FROM values_table ORDER BY id',
    );
    expect(back).toEqual([
      {
        id: 1,
        text: awkward,
        maybe: null,
        amount: (2n ** 256n - 1n).toString(),
        ratio: -1.5e-7,
        flag: 1,
        words: ['0xabc', awkward, ''],
        numbers: [0.5, -2],
        nested: [[1, null], []],
        stamp: '2020-01-02T03:04:05.000Z',
      },
      {
        id: 2,
        text: '',
        maybe: "it's",
        amount: '0',
        ratio: 3,
        flag: 0,
        words: [],
        numbers: [],
        nested: [],
        stamp: '2020-01-02T03:04:05.000Z',
      },
    ]);
  });

  it('lists every key of the rows once, in the order first seen', () => {
    expect(
      collectColumns([
        { a: 1, b: 2 },
        { b: 3, c: 4 },
        { d: 5, a: 6 },
      ]),
    ).toEqual(['a', 'b', 'c', 'd']);
  });

  it('writes a key a row lacks as \\N and refuses values it cannot represent, naming the column', () => {
    expect(toTabSeparated([{ a: 1 }, { a: 2, b: 'x' }], ['a', 'b'])).toBe('1\t\\N\n2\tx\n');
    expect(() => toTabSeparated([{ when: new Date(0) }], ['when'])).toThrow(
      /Column when: cannot write \[object Date\]/,
    );
  });

  it('refuses a row with a column the table does not have, and stores nothing of the batch', async () => {
    await warehouse().client.command({
      query: 'CREATE TABLE narrow (id UInt32) ENGINE = MergeTree ORDER BY id',
    });
    await expect(warehouse().insert('narrow', [{ id: 1 }, { id: 2, extra: 'x' }])).rejects.toThrow(/extra/);
    expect(await queryRows(warehouse(), 'SELECT count() AS n FROM narrow')).toEqual([{ n: '0' }]);
  });
});
