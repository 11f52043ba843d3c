import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRpcClient } from '../../src/chain/rpc/createRpcClient.js';
import { createLogger } from '../../src/internal/createLogger.js';
import { runIndexer } from '../../src/tasks/indexer/runIndexer.js';
import { datasetsDir, readCsv, readJsonLines } from '../setup/mainnetFixtures.js';
import { startFixtureRpcServer } from '../setup/startFixtureRpcServer.js';
import { queryRows, useTestWarehouse } from '../setup/testWarehouse.js';

const fixtures = join(datasetsDir, 'rpc-fixtures');
const logger = createLogger({ level: 'silent' });

describe('indexer on real mainnet replies, replayed by a local JSON-RPC server', () => {
  const warehouse = useTestWarehouse();
  let server: Awaited<ReturnType<typeof startFixtureRpcServer>>;
  beforeAll(async () => {
    server = await startFixtureRpcServer();
  });
  afterAll(() => server?.stop());

  it('block 483920 (2015, per-transaction receipts): what ethereum-etl exported', async () => {
    const result = await runIndexer({
      rpc: createRpcClient({ url: server.url }),
      warehouse: warehouse(),
      logger,
      from: 483920,
      to: 483920,
    });
    expect(result.blocks).toBe(1);
    const [block] = readCsv(join(fixtures, 'test_export_blocks_job/block_with_logs/expected_blocks.csv'));
    const [stored] = await queryRows(
      warehouse(),
      'SELECT number, hash, parent_hash, miner, gas_used, toUnixTimestamp(timestamp) AS t, transaction_count FROM blocks',
    );
    expect(stored).toEqual({
      number: block!.number,
      hash: block!.hash,
      parent_hash: block!.parent_hash,
      miner: block!.miner,
      gas_used: block!.gas_used,
      t: Number(block!.timestamp),
      transaction_count: Number(block!.transaction_count),
    });
    const txs = readCsv(join(fixtures, 'test_export_blocks_job/block_with_logs/expected_transactions.csv'));
    const receipts = new Map(
      readCsv(join(fixtures, 'test_export_receipts_job/receipts_with_logs/expected_receipts.csv')).map(
        (r) => [r.transaction_hash, r],
      ),
    );
    const storedTxs = await queryRows<Record<string, unknown>>(
      warehouse(),
      `SELECT hash, from_address, ifNull(to_address, '') AS to, toString(value) AS value, input, toString(gas_used) AS gas_used,
              toString(cumulative_gas_used) AS cumulative, status FROM transactions ORDER BY transaction_index`,
    );
    expect(storedTxs).toEqual(
      txs.map((t) => ({
        hash: t.hash,
        from_address: t.from_address,
        to: t.to_address,
        value: t.value,
        input: t.input,
        gas_used: receipts.get(t.hash!)!.gas_used,
        cumulative: receipts.get(t.hash!)!.cumulative_gas_used,
        status: null,
      })),
    );
    const transfers = readCsv(
      join(fixtures, 'test_export_token_transfers_job/block_with_transfers/expected_token_transfers.csv'),
    );
    const storedTransfers = await queryRows(
      warehouse(),
      'SELECT token_address, from_address, to_address, toString(value) AS value, transaction_hash, toString(log_index) AS log_index FROM token_transfers ORDER BY log_index',
    );
    expect(storedTransfers).toEqual(
      transfers.map(({ token_address, from_address, to_address, value, transaction_hash, log_index }) => ({
        token_address,
        from_address,
        to_address,
        value,
        transaction_hash,
        log_index,
      })),
    );
  });

  it('blocks 1755634–1755635 (2016): blocks, transactions with receipts, logs and transfers as ethereum-etl streamed them', async () => {
    const dir = join(fixtures, 'test_stream/blocks_1755634_1755635');
    await runIndexer({
      rpc: createRpcClient({ url: server.url }),
      warehouse: warehouse(),
      logger,
      from: 1755634,
      to: 1755635,
    });
    const blocks = await queryRows<{ hash: string }>(warehouse(), 'SELECT hash FROM blocks ORDER BY number');
    expect(blocks.map((b) => b.hash)).toEqual(
      readJsonLines(join(dir, 'expected_blocks.json')).map((b) => b.hash),
    );
    const txs = await queryRows(
      warehouse(),
      'SELECT hash, toString(gas_used) AS gas_used, toString(effective_gas_price) AS price FROM transactions ORDER BY block_number, transaction_index',
    );
    expect(txs).toEqual(
      readJsonLines(join(dir, 'expected_transactions.json')).map((t) => ({
        hash: t.hash,
        gas_used: String(t.receipt_gas_used),
        price: String(t.receipt_effective_gas_price),
      })),
    );
    const logs = await queryRows(
      warehouse(),
      'SELECT transaction_hash, log_index, address, topics, data FROM logs ORDER BY block_number, log_index',
    );
    expect(logs).toEqual(
      readJsonLines(join(dir, 'expected_logs.json')).map((l) => ({
        transaction_hash: l.transaction_hash,
        log_index: l.log_index,
        address: l.address,
        topics: l.topics,
        data: l.data,
      })),
    );
    const transfers = await queryRows(
      warehouse(),
      'SELECT token_address, from_address, to_address, toString(value) AS value FROM token_transfers',
    );
    expect(transfers).toEqual(
      readJsonLines(join(dir, 'expected_token_transfers.json')).map((t) => ({
        token_address: t.token_address,
        from_address: t.from_address,
        to_address: t.to_address,
        value: String(t.value),
      })),
    );
  });
});
