import { describe, expect, it } from 'vitest';
import { loadMainnetRows } from '../../test/setup/mainnetFixtures.js';
import { queryRows, useTestWarehouse } from '../../test/setup/testWarehouse.js';
import type { BlockRow, LogRow, TransactionRow } from '../types/tableRows.js';
import type { Warehouse } from './createWarehouse.js';
import { insertRows } from './insertRows.js';

const maxUint256 = 2n ** 256n - 1n;

/** A synthetic batch around a partition boundary (block 1,000,000), to go with the small real one. */
function syntheticBatch(version: number, hashTag = 'a') {
  const blocks: BlockRow[] = [];
  const transactions: TransactionRow[] = [];
  const logs: LogRow[] = [];
  for (let number = 999_990; number < 1_000_010; number += 1) {
    const hash = `0x${hashTag}${number.toString(16).padStart(63, '0')}`;
    blocks.push({
      chain_id: 1,
      version,
      number,
      hash,
      parent_hash: `0x${(number - 1).toString(16).padStart(64, '0')}`,
      timestamp: 1_600_000_000 + number * 12,
      miner: '0x0000000000000000000000000000000000000001',
      gas_limit: 30_000_000,
      gas_used: 21_000 * 3,
      base_fee_per_gas: 7n,
      transaction_count: 3,
    });
    for (let index = 0; index < 3; index += 1) {
      const txHash = `0x${hashTag}${(number * 10 + index).toString(16).padStart(63, '0')}`;
      const block = {
        chain_id: 1,
        version,
        block_number: number,
        block_hash: hash,
        block_timestamp: 1_600_000_000 + number * 12,
      };
      transactions.push({
        ...block,
        transaction_index: index,
        hash: txHash,
        nonce: number,
        from_address: `0x${index.toString(16).padStart(40, '0')}`,
        to_address: index === 2 ? null : `0x${(index + 10).toString(16).padStart(40, '0')}`,
        value: index === 1 ? maxUint256 : BigInt(number) * 10n ** 18n,
        gas: 21_000,
        gas_price: null,
        max_fee_per_gas: 100n,
        max_priority_fee_per_gas: 2n,
        transaction_type: 2,
        input: '0xa9059cbb',
        status: 1,
        gas_used: 21_000,
        cumulative_gas_used: 21_000 * (index + 1),
        effective_gas_price: 9n,
        contract_address: index === 2 ? `0x${'c'.repeat(40)}` : null,
      });
      logs.push({
        ...block,
        transaction_index: index,
        transaction_hash: txHash,
        log_index: index,
        address: `0x${'d'.repeat(40)}`,
        topics: ['0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef'],
        data: '0x',
      });
    }
  }
  return { blocks, transactions, logs };
}

async function insertBatch(warehouse: Warehouse, batch: ReturnType<typeof syntheticBatch>) {
  await insertRows(warehouse, 'blocks', batch.blocks);
  await insertRows(warehouse, 'transactions', batch.transactions);
  await insertRows(warehouse, 'logs', batch.logs);
}

async function keyCounts(warehouse: Warehouse) {
  const [counts] = await queryRows<Record<string, string>>(
    warehouse,
    `SELECT
       (SELECT count() FROM blocks) AS blocks,
       (SELECT uniqExact(chain_id, number) FROM blocks) AS block_keys,
       (SELECT count() FROM transactions) AS transactions,
       (SELECT uniqExact(chain_id, block_number, transaction_index) FROM transactions) AS transaction_keys,
       (SELECT count() FROM logs) AS logs,
       (SELECT uniqExact(chain_id, block_number, log_index) FROM logs) AS log_keys`,
  );
  return counts!;
}

describe('core warehouse tables', () => {
  const warehouse = useTestWarehouse();

  it('inserting the same batch of blocks, transactions and logs twice leaves each key exactly once', async () => {
    const mainnet = loadMainnetRows('blocks_1755634_1755635', 1);
    const batch = syntheticBatch(1);
    batch.blocks.push(...mainnet.blocks);
    batch.transactions.push(...mainnet.transactions);
    batch.logs.push(...mainnet.logs);
    await insertBatch(warehouse(), batch);
    await insertBatch(warehouse(), batch);

    expect(await keyCounts(warehouse())).toEqual({
      blocks: String(batch.blocks.length),
      block_keys: String(batch.blocks.length),
      transactions: String(batch.transactions.length),
      transaction_keys: String(batch.transactions.length),
      logs: String(batch.logs.length),
      log_keys: String(batch.logs.length),
    });
    // Physically both copies are there until a merge; reads never see them.
    const [raw] = await queryRows<{ n: string }>(
      warehouse(),
      'SELECT count() AS n FROM blocks SETTINGS final = 0',
    );
    expect(Number(raw!.n)).toBe(2 * batch.blocks.length);
  });

  it('stores real mainnet values exactly: receipts, nullable fields and amounts', async () => {
    const mainnet = loadMainnetRows('blocks_1755634_1755635', 1);
    await insertRows(warehouse(), 'transactions', mainnet.transactions);
    await insertRows(warehouse(), 'token_transfers', mainnet.tokenTransfers);
    const txs = await queryRows(
      warehouse(),
      `SELECT hash, toString(value) AS value, gas_price, status, gas_used, effective_gas_price, method_id
       FROM transactions ORDER BY block_number, transaction_index`,
    );
    expect(txs[0]).toEqual({
      hash: '0x2e3dcd051a91d3a694f6b8de2ac4b5fe7acdba55f58bcf8471ff00d4a430074d',
      value: '0',
      gas_price: '20000000000',
      status: null,
      gas_used: '36418',
      effective_gas_price: '20000000000',
      method_id: '0x7edae70f',
    });
    const transfers = await queryRows(
      warehouse(),
      'SELECT toString(value) AS value, token_standard FROM token_transfers',
    );
    expect(transfers).toEqual([{ value: '5000000000000000000', token_standard: 'erc20' }]);
  });

  it('keeps UInt256 amounts exact up to 2^256 - 1', async () => {
    await insertRows(warehouse(), 'transactions', syntheticBatch(1).transactions);
    const rows = await queryRows<{ value: string }>(
      warehouse(),
      'SELECT toString(value) AS value FROM transactions WHERE transaction_index = 1 LIMIT 1',
    );
    expect(BigInt(rows[0]!.value)).toBe(maxUint256);
  });

  it('after a reorg, the higher version replaces each row and tombstones remove rows the new chain lacks', async () => {
    await insertBatch(warehouse(), syntheticBatch(1, 'a'));
    // The fork from block 1,000,005: the new chain has the same heights but other hashes and only one
    // transaction per block; the two orphaned transactions per block are marked deleted.
    const fork = syntheticBatch(2, 'b');
    const forkBlocks = fork.blocks.filter((b) => b.number >= 1_000_005);
    const forkTxs = fork.transactions.filter((t) => t.block_number >= 1_000_005);
    await insertRows(warehouse(), 'blocks', forkBlocks);
    await insertRows(
      warehouse(),
      'transactions',
      forkTxs.map((t) => (t.transaction_index === 0 ? t : { ...t, is_deleted: 1 as const })),
    );
    const blocks = await queryRows<{ number: string; hash: string }>(
      warehouse(),
      'SELECT number, hash FROM blocks WHERE number >= 1000004 ORDER BY number LIMIT 3',
    );
    expect(blocks.map((b) => b.hash.slice(0, 3))).toEqual(['0xa', '0xb', '0xb']);
    const txs = await queryRows<{ block_number: string; n: string; hashes: string[] }>(
      warehouse(),
      `SELECT block_number, count() AS n, groupUniqArray(substring(block_hash, 1, 3)) AS hashes
       FROM transactions WHERE block_number IN (1000004, 1000005) GROUP BY block_number ORDER BY block_number`,
    );
    expect(txs).toEqual([
      { block_number: '1000004', n: '3', hashes: ['0xa'] },
      { block_number: '1000005', n: '1', hashes: ['0xb'] },
    ]);
  });

  it('keeps one current row per key after background merges too', async () => {
    const batch = syntheticBatch(1);
    await insertBatch(warehouse(), batch);
    await insertBatch(warehouse(), syntheticBatch(2));
    await warehouse().client.command({ query: 'OPTIMIZE TABLE transactions FINAL' });
    const [raw] = await queryRows<{ n: string; versions: string[] }>(
      warehouse(),
      'SELECT count() AS n, groupUniqArray(toString(version)) AS versions FROM transactions SETTINGS final = 0',
    );
    expect(raw).toEqual({ n: String(batch.transactions.length), versions: ['2'] });
  });

  it('keeps chains apart: the same block number on two chains is two rows', async () => {
    const batch = syntheticBatch(1);
    await insertRows(warehouse(), 'blocks', batch.blocks);
    await insertRows(
      warehouse(),
      'blocks',
      batch.blocks.map((b) => ({ ...b, chain_id: 8453 })),
    );
    const rows = await queryRows<{ chain_id: string; n: string }>(
      warehouse(),
      'SELECT chain_id, count() AS n FROM blocks GROUP BY chain_id ORDER BY chain_id',
    );
    expect(rows).toEqual([
      { chain_id: '1', n: String(batch.blocks.length) },
      { chain_id: '8453', n: String(batch.blocks.length) },
    ]);
  });

  it('labels: the newest statement of a source wins, and a withdrawn label disappears', async () => {
    const label = { chain_id: 1, address: `0x${'ab'.repeat(20)}`, source: 'etherscan', confidence: 0.9 };
    await insertRows(warehouse(), 'address_labels', [
      { ...label, label: 'Fake_Phishing1', category: 'phishing', added_at: 1_700_000_000_000 },
      { ...label, label: 'Scam token deployer', category: 'scam_token', added_at: 1_700_000_000_000 },
    ]);
    await insertRows(warehouse(), 'address_labels', [
      {
        ...label,
        label: 'Fake_Phishing1 (confirmed)',
        category: 'phishing',
        confidence: 1,
        added_at: 1_700_000_500_000,
      },
      {
        ...label,
        label: 'Scam token deployer',
        category: 'scam_token',
        added_at: 1_700_000_500_000,
        is_deleted: 1,
      },
    ]);
    const rows = await queryRows(warehouse(), 'SELECT category, label, confidence FROM address_labels');
    expect(rows).toEqual([{ category: 'phishing', label: 'Fake_Phishing1 (confirmed)', confidence: 1 }]);
  });

  it('checkpoints: one current position per chain and indexer', async () => {
    const checkpoint = { chain_id: 1, indexer: 'default', block_hash: '0x01' };
    await insertRows(warehouse(), 'indexer_checkpoints', [
      { ...checkpoint, block_number: 100, updated_at: 1_000 },
    ]);
    await insertRows(warehouse(), 'indexer_checkpoints', [
      { ...checkpoint, block_number: 200, updated_at: 2_000 },
    ]);
    const rows = await queryRows(warehouse(), 'SELECT chain_id, block_number FROM indexer_checkpoints');
    expect(rows).toEqual([{ chain_id: '1', block_number: '200' }]);
  });
});
