import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { queryRows, useTempDir, useTestWarehouse } from '../../test/setup/testWarehouse.js';
import { importLabels } from './importLabels.js';
import { ImportError } from './importStaging.js';

describe('importLabels', () => {
  const warehouse = useTestWarehouse();
  const tmp = useTempDir('chaingnn-labels-');

  it('imports lists with and without a header: addresses lower-cased, category defaults to the label', async () => {
    const withHeader = join(tmp(), 'with_header.csv');
    writeFileSync(
      withHeader,
      'address,label,category,confidence,comment\n' +
        '0xAB5801A7D398351B8BE11C439E05C5B3259AEC9B,"Fake_Phishing, 12",Phishing,0.9,seen twice\n' +
        '0x00000000219ab540356cbb839cbe05303d7705fa,Beacon Deposit,,,\n',
    );
    const bare = join(tmp(), 'bare.csv');
    writeFileSync(bare, '0x098b716b8aaf21512996dc57eb0615e2383e2f96,drainer\n');
    const report = await importLabels(warehouse(), {
      paths: [withHeader, bare],
      source: 'etherscan',
      addedAt: 1_700_000_000_000,
    });
    expect(report.files).toEqual([
      { path: withHeader, rows: 2 },
      { path: bare, rows: 1 },
    ]);
    expect(report.ignoredColumns).toEqual(['comment']);
    expect(
      await queryRows(
        warehouse(),
        'SELECT chain_id, address, label, category, source, confidence, added_at FROM address_labels ORDER BY address',
      ),
    ).toEqual([
      {
        chain_id: '1',
        address: '0x00000000219ab540356cbb839cbe05303d7705fa',
        label: 'Beacon Deposit',
        category: 'beacon deposit',
        source: 'etherscan',
        confidence: 1,
        added_at: '2023-11-14T22:13:20.000Z',
      },
      {
        chain_id: '1',
        address: '0x098b716b8aaf21512996dc57eb0615e2383e2f96',
        label: 'drainer',
        category: 'drainer',
        source: 'etherscan',
        confidence: 1,
        added_at: '2023-11-14T22:13:20.000Z',
      },
      {
        chain_id: '1',
        address: '0xab5801a7d398351b8be11c439e05c5b3259aec9b',
        label: 'Fake_Phishing, 12',
        category: 'phishing',
        source: 'etherscan',
        confidence: 0.9,
        added_at: '2023-11-14T22:13:20.000Z',
      },
    ]);
  });

  it('refuses a bad address or confidence by file and line, and writes nothing', async () => {
    const good = join(tmp(), 'good.csv');
    writeFileSync(good, '0x098b716b8aaf21512996dc57eb0615e2383e2f96,drainer\n');
    const bad = join(tmp(), 'bad.csv');
    writeFileSync(
      bad,
      'address,category,confidence\n0x098b716b8aaf21512996dc57eb0615e2383e2f96,phishing,1\n0x098b716b,phishing,1.5\n',
    );
    const error = (await importLabels(warehouse(), { paths: [good, bad], source: 'list' }).catch(
      (e: unknown) => e,
    )) as ImportError;
    expect(error).toBeInstanceOf(ImportError);
    expect(error.shortMessage).toBe(
      `${bad}:3 address: expected a 0x-prefixed 20-byte hex address, got '0x098b716b'`,
    );
    expect(error.details).toContain(`${bad}:3 confidence: expected a number from 0 to 1, got '1.5'`);
    expect(await queryRows(warehouse(), 'SELECT count() AS n FROM address_labels')).toEqual([{ n: '0' }]);
  });
});
