import { describe, expect, it } from 'vitest';
import { useTestWarehouse } from '../../../test/setup/testWarehouse.js';
import { getIndexedChains } from './getSnapshots.js';

describe('getIndexedChains', () => {
  const warehouse = useTestWarehouse();
  const insertBlocks = (chainId: number, numbers: number[]) =>
    warehouse().client.command({
      query: `INSERT INTO blocks (chain_id, number, hash, parent_hash, timestamp, miner, gas_limit, gas_used,
                transaction_count, version)
              SELECT ${chainId}, arrayJoin([${numbers.join(',')}]) AS n, concat('0x', hex(n)), '0x00', 1700000000,
                '0x00', 30000000, 0, 0, 1`,
    });
  const insertTransactions = (chainId: number, count: number) =>
    warehouse().client.command({
      query: `INSERT INTO transactions (chain_id, block_number, block_hash, block_timestamp, transaction_index, hash,
                nonce, from_address, to_address, value, gas, gas_price, input, version)
              SELECT ${chainId}, number, '0x01', 1700000000, 0, concat('0x', hex(number)), number,
                '0x0000000000000000000000000000000000000001', NULL, 0, 21000, 1, '0x', 1
              FROM numbers(${count})`,
    });

  it('is empty on an empty warehouse', async () => {
    expect(await getIndexedChains(warehouse())).toEqual([]);
  });

  it('lists every chain once, in order, from blocks or from transactions alone, across parts', async () => {
    await insertBlocks(10, [1, 2, 3]);
    await insertTransactions(1, 20_000); // an imported transaction list: no blocks
    await insertBlocks(8453, [5]);
    await insertTransactions(10, 3);
    await insertBlocks(1, [7]);
    await insertTransactions(137, 1);
    expect(await getIndexedChains(warehouse())).toEqual([1, 10, 137, 8453]);
  });
});
