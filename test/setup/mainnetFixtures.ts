import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BlockRow, LogRow, TokenTransferRow, TransactionRow } from '../../src/types/tableRows.js';
import { repoRoot } from './spawnProcess.js';

/** The shared real-data folder (../shared/datasets beside the repository). */
export const datasetsDir = join(repoRoot, '..', 'shared', 'datasets');

/** Real mainnet rows decoded by ethereum-etl (the expected exports of its test_stream fixtures). */
export interface MainnetRows {
  blocks: BlockRow[];
  transactions: TransactionRow[];
  logs: LogRow[];
  tokenTransfers: TokenTransferRow[];
}

type EtlItem = Record<string, unknown>;

/** Reads ethereum-etl's JSON-lines exports, keeping integers too large for a double exact (as strings). */
export function readJsonLines(path: string): EtlItem[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line.replace(/(:\s*)(\d{16,})/g, '$1"$2"')) as EtlItem);
}

/** Reads ethereum-etl's CSV exports: a header, then rows; a field with commas is double-quoted. */
export function readCsv(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim());
  if (!header) return [];
  const split = (line: string) => {
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (const char of line.replace(/\r$/, '')) {
      if (char === '"') quoted = !quoted;
      else if (char === ',' && !quoted) {
        fields.push(field);
        field = '';
      } else field += char;
    }
    return [...fields, field];
  };
  const names = split(header);
  return lines.map((line) => {
    const fields = split(line);
    if (fields.length !== names.length) {
      throw new Error(`${path}: ${fields.length} fields where the header has ${names.length}: ${line}`);
    }
    return Object.fromEntries(names.map((name, i) => [name, fields[i]!]));
  });
}

const big = (value: unknown): bigint => BigInt(value as string | number);
const bigOrNull = (value: unknown): bigint | null => (value === null ? null : big(value));

/** Loads one ethereum-etl test_stream folder (e.g. `blocks_1755634_1755635`) as warehouse rows. */
export function loadMainnetRows(folder: string, version: number): MainnetRows {
  const dir = join(datasetsDir, 'rpc-fixtures', 'test_stream', folder);
  const read = (name: string) => {
    try {
      return readJsonLines(join(dir, name));
    } catch {
      return [];
    }
  };
  const base = (item: EtlItem) => ({
    chain_id: 1,
    version,
    block_number: item.block_number as number,
    block_hash: item.block_hash as string,
    block_timestamp: item.block_timestamp as number,
  });
  return {
    blocks: read('expected_blocks.json').map((b) => ({
      chain_id: 1,
      version,
      number: b.number as number,
      hash: b.hash as string,
      parent_hash: b.parent_hash as string,
      timestamp: b.timestamp as number,
      miner: b.miner as string,
      gas_limit: b.gas_limit as number,
      gas_used: b.gas_used as number,
      base_fee_per_gas: bigOrNull(b.base_fee_per_gas),
      difficulty: big(b.difficulty),
      size: b.size as number,
      extra_data: b.extra_data as string,
      transaction_count: b.transaction_count as number,
    })),
    transactions: read('expected_transactions.json').map((t) => ({
      ...base(t),
      transaction_index: t.transaction_index as number,
      hash: t.hash as string,
      nonce: t.nonce as number,
      from_address: t.from_address as string,
      to_address: t.to_address as string | null,
      value: big(t.value),
      gas: t.gas as number,
      gas_price: bigOrNull(t.gas_price),
      max_fee_per_gas: bigOrNull(t.max_fee_per_gas),
      max_priority_fee_per_gas: bigOrNull(t.max_priority_fee_per_gas),
      transaction_type: (t.transaction_type as number | null) ?? 0,
      input: t.input as string,
      status: t.receipt_status as 0 | 1 | null,
      gas_used: t.receipt_gas_used as number | null,
      cumulative_gas_used: t.receipt_cumulative_gas_used as number | null,
      effective_gas_price: bigOrNull(t.receipt_effective_gas_price),
      contract_address: t.receipt_contract_address as string | null,
    })),
    logs: read('expected_logs.json').map((l) => ({
      ...base(l),
      transaction_index: l.transaction_index as number,
      transaction_hash: l.transaction_hash as string,
      log_index: l.log_index as number,
      address: l.address as string,
      topics: l.topics as string[],
      data: l.data as string,
    })),
    tokenTransfers: read('expected_token_transfers.json').map((tt) => ({
      ...base(tt),
      transaction_index: 0,
      transaction_hash: tt.transaction_hash as string,
      log_index: tt.log_index as number,
      batch_index: 0,
      token_address: tt.token_address as string,
      token_standard: 'erc20' as const,
      operator: null,
      from_address: tt.from_address as string,
      to_address: tt.to_address as string,
      token_id: null,
      value: big(tt.value),
    })),
  };
}
