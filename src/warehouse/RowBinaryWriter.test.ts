import { describe, expect, it } from 'vitest';
import { queryRows, useTestWarehouse } from '../../test/setup/testWarehouse.js';
import { RowBinaryWriter } from './RowBinaryWriter.js';

describe('RowBinaryWriter', () => {
  const warehouse = useTestWarehouse({ migrate: false });

  it('writes rows that the engine reads back unchanged, and grows past its first buffer', async () => {
    await warehouse().client.command({
      query: `CREATE TABLE binary_rows (
        id UInt32, big UInt64, text String, kind LowCardinality(String), ratio Float64,
        wide Array(Float64), narrow Array(Float32)
      ) ENGINE = MergeTree ORDER BY id`,
    });
    const long = `${'ü'.repeat(100)}✓`; // 203 bytes of UTF-8: a two-byte length
    const features = new Float64Array([0, 1.5, -2.25e-300, 1e300, Number.NaN, 7]);
    const narrow = new Float32Array([0.1, -3, 65504]);
    const writer = new RowBinaryWriter(8);
    writer
      .uint32(1)
      .uint64(2n ** 64n - 1n)
      .string(long)
      .string('eoa')
      .float64(Number.POSITIVE_INFINITY)
      .array(features.subarray(2, 5))
      .array(narrow);
    writer
      .uint32(2)
      .uint64(2 ** 53 - 1)
      .string('')
      .string('pool')
      .float64(-0.5)
      .array(new Float64Array(0))
      .array(narrow.subarray(3));
    await warehouse().insertRowBinary(
      'binary_rows',
      ['id', 'big', 'text', 'kind', 'ratio', 'wide', 'narrow'],
      writer.finish(),
    );

    const rows = await queryRows<Record<string, unknown>>(
      warehouse(),
      `SELECT id, toString(big) AS big, text, kind, toString(ratio) AS ratio, arrayMap(x -> toString(x), wide) AS wide,
              arrayMap(x -> toString(x), narrow) AS narrow
       FROM binary_rows ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        id: 1,
        big: '18446744073709551615',
        text: long,
        kind: 'eoa',
        ratio: 'inf',
        wide: ['-2.25e-300', '1e300', 'nan'],
        narrow: ['0.1', '-3', '65504'],
      },
      { id: 2, big: '9007199254740991', text: '', kind: 'pool', ratio: '-0.5', wide: [], narrow: [] },
    ]);
  });

  it('inserts nothing for no rows', async () => {
    await warehouse().client.command({
      query: 'CREATE TABLE no_rows (id UInt32) ENGINE = MergeTree ORDER BY id',
    });
    await warehouse().insertRowBinary('no_rows', ['id'], new RowBinaryWriter().finish());
    expect(await queryRows(warehouse(), 'SELECT count() AS n FROM no_rows')).toEqual([{ n: '0' }]);
  });
});
