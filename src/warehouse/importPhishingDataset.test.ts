import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetsDir } from '../../test/setup/mainnetFixtures.js';
import { queryRows, useTempDir, useTestWarehouse } from '../../test/setup/testWarehouse.js';
import { importPhishingDataset } from './importPhishingDataset.js';
import { ImportError } from './importStaging.js';

const dataset = join(datasetsDir, 'phishing-eth1');

/** The index the importer derives from a hash: 2^31 + (its first four bytes mod 2^31). */
const derivedIndex = (hash: string) => 2 ** 31 + (Number.parseInt(hash.slice(2, 10), 16) % 2 ** 31);

describe('importPhishingDataset', () => {
  const warehouse = useTestWarehouse();
  const tmp = useTempDir('chaingnn-phishing-');

  it('imports the whole dataset: 700 labels, every transaction once, values exact in wei; a re-import changes nothing', async () => {
    const report = await importPhishingDataset(warehouse(), { dir: dataset });
    expect(report).toMatchObject({ labels: 700, phishing: 350, files: 700, rows: 5597, transactions: 5569 });

    const [labels] = await queryRows(
      warehouse(),
      `SELECT count() AS n, countIf(category = 'phishing') AS phishing, countIf(category = 'organic') AS organic,
              uniqExact(address) AS addresses, groupUniqArray(source) AS sources, groupUniqArray(chain_id) AS chains
       FROM address_labels`,
    );
    expect(labels).toEqual({
      n: '700',
      phishing: '350',
      organic: '350',
      addresses: '700',
      sources: ['phishing-eth1'],
      chains: ['1'],
    });
    expect(
      await queryRows(
        warehouse(),
        `SELECT address, label, category FROM address_labels
         WHERE address IN ('0x38ed9ed3c470de4eda379ac48a25b13c4ab186e0', '0x249367e12e6905a34e3b77528ed3e11582f41cd6') ORDER BY label`,
      ),
    ).toEqual([
      { address: '0x38ed9ed3c470de4eda379ac48a25b13c4ab186e0', label: 'target 1', category: 'phishing' },
      { address: '0x249367e12e6905a34e3b77528ed3e11582f41cd6', label: 'target 2', category: 'organic' },
    ]);

    const [counts] = await queryRows(
      warehouse(),
      `SELECT count() AS rows, uniqExact(hash) AS hashes, uniqExact(block_number, transaction_index) AS keys,
              countIf(transaction_index >= 2147483648) AS derived, countIf(status IS NULL) AS no_status,
              (SELECT count() FROM transactions SETTINGS final = 0) AS stored
       FROM transactions`,
    );
    // 28 transactions appear in two neighbourhoods; they are written once.
    expect(counts).toEqual({
      rows: '5569',
      hashes: '5569',
      keys: '5569',
      derived: '5569',
      no_status: '5569',
      stored: '5569',
    });

    const byHand = await queryRows<Record<string, unknown>>(
      warehouse(),
      `SELECT hash, toString(value) AS wei, block_number, toUnixTimestamp(block_timestamp) AS time, transaction_index,
              from_address, to_address, input, method_id, block_hash, status
       FROM transactions WHERE hash IN (
         '0x3c97401667629e46def5813eb5105326fbdef8bc1b3ecd63821c0e030c29e2e7',
         '0xaff61b9d04a3f4c4f63c0a7adf3abe24263364b2935643513afc05148c02ef7d',
         '0xe64f042428b44f083efbc531f1aa26ac0ac92069b80308a75c40a316ddc96549',
         '0xfc1fb0f503c8527b7e8672b88e9bcf3b07cba637e931e3d86034a1f29ba7d507',
         '0x0c96ce5d61bb175ab1570f68cdce1cd118cab1b936a1545919d5dbddba58eded',
         '0xc5c5c522384c2d569aae2115ae13a31589c1219fb5bca5c2204338e650e9c51e',
         '0x315898256d0707db4662e5cddf90c7d7296cec4c6935fe4920d0da66ca8269c5',
         '0x5a214525c87dbfd01843f7a5b60a20a4e4120d4838727642d6758e4556d38b12',
         '0x4c557483769e56199db2e501729c3a447abb0dae02833c9180a5630fa6ae5152')`,
    );
    const wei = Object.fromEntries(byHand.map((r) => [r.hash, r.wei]));
    expect(wei).toEqual({
      '0x3c97401667629e46def5813eb5105326fbdef8bc1b3ecd63821c0e030c29e2e7': '1142840570000000000', // 1.14284057
      '0xaff61b9d04a3f4c4f63c0a7adf3abe24263364b2935643513afc05148c02ef7d': '911', // 9.11e-16
      '0xe64f042428b44f083efbc531f1aa26ac0ac92069b80308a75c40a316ddc96549': '115000000000', // 1.15e-07
      // The float artefact is in the file; the import keeps exactly what it says.
      '0xfc1fb0f503c8527b7e8672b88e9bcf3b07cba637e931e3d86034a1f29ba7d507': '9000000000000001', // 0.009000000000000001
      '0x0c96ce5d61bb175ab1570f68cdce1cd118cab1b936a1545919d5dbddba58eded': '799990000000000000000', // 799.99 (> 2^64)
      '0xc5c5c522384c2d569aae2115ae13a31589c1219fb5bca5c2204338e650e9c51e': '104000000000000000000000', // 104000.0
      '0x315898256d0707db4662e5cddf90c7d7296cec4c6935fe4920d0da66ca8269c5': '100000000000000000', // 0.1
      // More than 18 decimals (float artefacts in the file): rounded to the nearest wei.
      '0x5a214525c87dbfd01843f7a5b60a20a4e4120d4838727642d6758e4556d38b12': '706000000000000', // 0.0007059999999999999
      '0x4c557483769e56199db2e501729c3a447abb0dae02833c9180a5630fa6ae5152': '1637304342131115', // 0.0016373043421311153
    });
    const first = byHand.find(
      (r) => r.hash === '0x3c97401667629e46def5813eb5105326fbdef8bc1b3ecd63821c0e030c29e2e7',
    );
    expect(first).toEqual({
      hash: '0x3c97401667629e46def5813eb5105326fbdef8bc1b3ecd63821c0e030c29e2e7',
      wei: '1142840570000000000',
      block_number: '5648261',
      time: 1526851149,
      transaction_index: derivedIndex('0x3c97401667629e46def5813eb5105326fbdef8bc1b3ecd63821c0e030c29e2e7'),
      from_address: '0x426322144d3fed9b85bfe2a698d3cff6f857c6a6',
      to_address: '0x38ed9ed3c470de4eda379ac48a25b13c4ab186e0',
      input: '0x',
      method_id: '',
      block_hash: '',
      status: null,
    });
    const call = byHand.find(
      (r) => r.hash === '0x315898256d0707db4662e5cddf90c7d7296cec4c6935fe4920d0da66ca8269c5',
    );
    expect(call).toMatchObject({ input: '0xdc6dd152', method_id: '0xdc6dd152' });

    const snapshot = async () => ({
      transactions: await queryRows(
        warehouse(),
        'SELECT * EXCEPT version FROM transactions ORDER BY block_number, transaction_index',
      ),
      labels: await queryRows(warehouse(), 'SELECT * EXCEPT added_at FROM address_labels ORDER BY address'),
    });
    const before = await snapshot();
    await importPhishingDataset(warehouse(), { dir: dataset });
    const after = await snapshot();
    expect(after.transactions.length).toBe(5569);
    expect(after).toEqual(before);
  });

  it('refuses a value that is not a number, naming the file and line, and writes nothing', async () => {
    const dir = join(tmp(), 'phishing-eth1');
    cpSync(dataset, dir, { recursive: true });
    writeFileSync(
      join(dir, 'transactions', '3.csv'),
      [
        ',blockNumber,timestamp,transactionHash,from,to,fromIsContract,toIsContract,callType,callingFunction,value,isError',
        '0,5648261,1526851149,0x3c97401667629e46def5813eb5105326fbdef8bc1b3ecd63821c0e030c29e2e7,0x426322144d3fed9b85bfe2a698d3cff6f857c6a6,0x38ed9ed3c470de4eda379ac48a25b13c4ab186e0,0,0,call,0x,1.5,None',
        '1,5648262,1526851150,0x4c97401667629e46def5813eb5105326fbdef8bc1b3ecd63821c0e030c29e2e7,0x426322144d3fed9b85bfe2a698d3cff6f857c6a6,0x38ed9ed3c470de4eda379ac48a25b13c4ab186e0,0,0,call,0x,-0.5,None',
      ].join('\n'),
    );
    const error = (await importPhishingDataset(warehouse(), { dir }).catch((e: unknown) => e)) as ImportError;
    expect(error).toBeInstanceOf(ImportError);
    expect(error.shortMessage).toBe(
      `${join(dir, 'transactions', '3.csv')}:3 value: expected an amount of ETH as a decimal number (1.5, 9.11e-16), got '-0.5'`,
    );
    const [counts] = await queryRows(
      warehouse(),
      'SELECT (SELECT count() FROM transactions) AS t, (SELECT count() FROM address_labels) AS l',
    );
    expect(counts).toEqual({ t: '0', l: '0' });
  });
});
