// Warehouse write throughput for transactions (the widest core table): rows inserted from JavaScript
// through the client (JSONEachRow) vs the engine's own floor, the same rows generated inside ClickHouse by
// INSERT … SELECT FROM numbers() (no serialisation, no parsing). The ratio is the share of the floor reached.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommon } from '../../src/internal/createCommon.js';
import type { TransactionRow } from '../../src/types/tableRows.js';
import { createWarehouse } from '../../src/warehouse/createWarehouse.js';
import { insertRows } from '../../src/warehouse/insertRows.js';
import { applyMigrations } from '../../src/warehouse/migrations.js';
import { report, timeIt } from './report.js';

const rowCount = Number(process.env.BENCH_ROWS ?? 200_000);
const batchSize = 50_000;
const hex = (n: number, width: number) => `0x${n.toString(16).padStart(width, '0')}`;

function makeRows(from: number, to: number): TransactionRow[] {
  const rows: TransactionRow[] = [];
  for (let i = from; i < to; i += 1) {
    const block = Math.floor(i / 100);
    rows.push({
      chain_id: 1,
      version: 1,
      block_number: block,
      block_hash: hex(block, 64),
      block_timestamp: 1_600_000_000 + block * 12,
      transaction_index: i % 100,
      hash: hex(i, 64),
      nonce: i,
      from_address: hex(i % 5_000, 40),
      to_address: hex((i * 7) % 5_000, 40),
      value: BigInt(i) * 10n ** 15n,
      gas: 21_000,
      gas_price: null,
      max_fee_per_gas: 30_000_000_000n,
      max_priority_fee_per_gas: 1_000_000_000n,
      transaction_type: 2,
      input: '0xa9059cbb',
      status: 1,
      gas_used: 21_000,
      cumulative_gas_used: 21_000 * ((i % 100) + 1),
      effective_gas_price: 20_000_000_000n,
      contract_address: null,
    });
  }
  return rows;
}

const floorSql = (database: string, n: number) => `
  INSERT INTO ${database}.transactions
    (chain_id, block_number, block_hash, block_timestamp, transaction_index, hash, nonce, from_address, to_address,
     value, gas, gas_price, max_fee_per_gas, max_priority_fee_per_gas, transaction_type, input, status, gas_used,
     cumulative_gas_used, effective_gas_price, contract_address, version)
  SELECT 1, intDiv(number, 100), concat('0x', leftPad(hex(intDiv(number, 100)), 64, '0')),
         toDateTime(1600000000 + intDiv(number, 100) * 12, 'UTC'), number % 100,
         concat('0x', leftPad(hex(number), 64, '0')), number, concat('0x', leftPad(hex(number % 5000), 40, '0')),
         concat('0x', leftPad(hex((number * 7) % 5000), 40, '0')), toUInt256(number) * 1000000000000000,
         21000, NULL, 30000000000, 1000000000, 2, '0xa9059cbb', 1, 21000, 21000 * (number % 100 + 1),
         20000000000, NULL, 1
  FROM numbers(${n})`;

const dataDir = mkdtempSync(join(tmpdir(), 'chaingnn-bench-'));
try {
  const common = await createCommon({ env: {}, overrides: { dataDir, logLevel: 'warn' } });
  const client = await createWarehouse(common, { database: 'bench_client' });
  await applyMigrations(client);
  const clientSeconds = await timeIt(async () => {
    for (let from = 0; from < rowCount; from += batchSize) {
      await insertRows(client, 'transactions', makeRows(from, Math.min(rowCount, from + batchSize)));
    }
  });
  const floor = await createWarehouse(common, { database: 'bench_floor' });
  await applyMigrations(floor);
  const floorSeconds = await timeIt(() => floor.client.command({ query: floorSql('bench_floor', rowCount) }));
  await common.shutdown.close();

  const clientRate = rowCount / clientSeconds;
  const floorRate = rowCount / floorSeconds;
  report({
    bench: 'warehouse.insert.transactions',
    value: Math.round(clientRate),
    unit: 'rows/s',
    baseline: Math.round(floorRate),
    ratio: clientRate / floorRate,
    rows: rowCount,
    note: 'baseline = the same rows generated in-engine (INSERT … SELECT FROM numbers), the write floor',
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
