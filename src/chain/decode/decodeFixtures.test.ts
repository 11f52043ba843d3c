import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetsDir, loadMainnetRows, readCsv, readJsonLines } from '../../../test/setup/mainnetFixtures.js';
import { NonRetryableError, RetryableError } from '../../internal/errors.js';
import type { BlockRow, LogRow, TransactionRow } from '../../types/tableRows.js';
import { applyReceipts } from './applyReceipts.js';
import { decodeBlock } from './decodeBlock.js';
import { decodeLogs } from './decodeLogs.js';
import type { DecodeContext, RpcBlock, RpcLog, RpcReceipt } from './rpcTypes.js';

/**
 * Real mainnet JSON-RPC responses recorded by ethereum-etl (../shared/datasets/rpc-fixtures), decoded and
 * compared with ethereum-etl's own exports of the same blocks, an independent oracle.
 */
const rpcDir = join(datasetsDir, 'rpc-fixtures');
const ctx: DecodeContext = { chainId: 1, version: 3 };

/** The payload of a recorded response: the files hold the whole JSON-RPC reply, or (genesis) just `result`. */
function rpcResult<T>(path: string): T {
  const json = JSON.parse(readFileSync(path, 'utf8')) as { result?: T };
  expect(json, path).toHaveProperty('result');
  return json.result as T;
}

/** The recorded responses to `method` in a fixture folder: `web3_response.<method>_<params>.json`. */
function responses<T>(dir: string, method: string): { params: string; result: T }[] {
  const prefix = `web3_response.${method}_`;
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.json'))
    .sort()
    .map((name) => ({
      params: name.slice(prefix.length, -'.json'.length),
      result: rpcResult<T>(join(dir, name)),
    }));
}

/** The full blocks of a folder (`eth_getBlockByNumber_<n>_true`), in file order. */
function fullBlocks(dir: string): RpcBlock[] {
  return responses<RpcBlock>(dir, 'eth_getBlockByNumber')
    .filter(({ params }) => /^0x[0-9a-f]+_true$/.test(params))
    .map(({ params, result }) => {
      expect(result.number, `the file name's block number`).toBe(params.split('_')[0]);
      return result;
    });
}

const orNull = <T>(text: string, parse: (text: string) => T): T | null => (text === '' ? null : parse(text));

/** A `blocks` row as ethereum-etl's expected_blocks.csv describes it. */
function blockFromCsv(e: Record<string, string>): BlockRow {
  return {
    chain_id: 1,
    version: 3,
    number: Number(e.number),
    hash: e.hash!,
    parent_hash: e.parent_hash!,
    timestamp: Number(e.timestamp),
    miner: e.miner!,
    gas_limit: Number(e.gas_limit),
    gas_used: Number(e.gas_used),
    base_fee_per_gas: orNull(e.base_fee_per_gas!, BigInt),
    difficulty: BigInt(e.difficulty!),
    size: Number(e.size),
    extra_data: e.extra_data!,
    transaction_count: Number(e.transaction_count),
  };
}

/** A `transactions` row (no receipt) as ethereum-etl's expected_transactions.csv describes it. */
function transactionFromCsv(e: Record<string, string>): TransactionRow {
  return {
    chain_id: 1,
    version: 3,
    block_number: Number(e.block_number),
    block_hash: e.block_hash!,
    block_timestamp: Number(e.block_timestamp),
    transaction_index: Number(e.transaction_index),
    hash: e.hash!,
    nonce: Number(e.nonce),
    from_address: e.from_address!,
    to_address: orNull(e.to_address!, String),
    value: BigInt(e.value!),
    gas: Number(e.gas),
    gas_price: orNull(e.gas_price!, BigInt),
    max_fee_per_gas: orNull(e.max_fee_per_gas!, BigInt),
    max_priority_fee_per_gas: orNull(e.max_priority_fee_per_gas!, BigInt),
    transaction_type: Number(e.transaction_type || 0),
    input: e.input!,
    status: null,
    gas_used: null,
    cumulative_gas_used: null,
    effective_gas_price: null,
    contract_address: null,
  };
}

const blocksJob = join(rpcDir, 'test_export_blocks_job');
const receiptsDir = join(rpcDir, 'test_export_receipts_job', 'receipts_with_logs');
const transfersDir = join(rpcDir, 'test_export_token_transfers_job', 'block_with_transfers');
const streamFolder = 'blocks_1755634_1755635';
const streamDir = join(rpcDir, 'test_stream', streamFolder);

/** Block 483,920 (0x76250): four legacy transactions, two ERC-20 transfers; three fixture folders record it. */
function block483920() {
  const [raw] = fullBlocks(join(blocksJob, 'block_with_logs'));
  const receipts = responses<RpcReceipt>(receiptsDir, 'eth_getTransactionReceipt').map((r) => r.result);
  return { raw: raw!, receipts, ...decodeBlock(raw!, ctx) };
}

/** Runs `run` and returns what it threw. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('decodeBlock on real mainnet blocks (ethereum-etl test_export_blocks_job)', () => {
  const folders = readdirSync(blocksJob).sort();

  it('has the recorded folders', () => {
    expect(folders).toEqual(['block_with_logs', 'block_without_transactions', 'blocks_with_transactions']);
  });

  it.each(folders)(
    '%s: every block and transaction field matches expected_blocks.csv and expected_transactions.csv',
    (folder) => {
      const dir = join(blocksJob, folder);
      const decoded = fullBlocks(dir).map((raw) => decodeBlock(raw, ctx));
      const expectedBlocks = readCsv(join(dir, 'expected_blocks.csv')).map(blockFromCsv);
      const expectedTransactions = readCsv(join(dir, 'expected_transactions.csv')).map(transactionFromCsv);
      expect(expectedBlocks.length).toBeGreaterThan(0);
      expect(decoded.map((d) => d.block)).toEqual(expectedBlocks);
      expect(decoded.flatMap((d) => d.transactions)).toEqual(expectedTransactions);
    },
  );

  it('decodes the genesis block: no transactions, the zero miner, no base fee', () => {
    const [genesis] = fullBlocks(join(blocksJob, 'block_without_transactions')).map((raw) =>
      decodeBlock(raw, ctx),
    );
    expect(genesis!.block).toMatchObject({
      number: 0,
      parent_hash: `0x${'0'.repeat(64)}`,
      miner: `0x${'0'.repeat(40)}`,
      timestamp: 0,
      transaction_count: 0,
      base_fee_per_gas: null,
      difficulty: 17_179_869_184n,
    });
    expect(genesis!.transactions).toEqual([]);
  });
});

describe('applyReceipts on real mainnet receipts (ethereum-etl test_export_receipts_job)', () => {
  it('fills every receipt field as expected_receipts.json has it, whatever order the receipts come in', () => {
    const { transactions, receipts } = block483920();
    // The recorded files sort by hash, not by position in the block.
    expect(receipts.map((r) => r.transactionIndex)).toEqual(['0x0', '0x3', '0x2', '0x1']);
    const applied = applyReceipts(transactions, receipts, ctx);
    const expected = readJsonLines(join(receiptsDir, 'expected_receipts.json'));
    expect(expected).toHaveLength(4);
    for (const e of expected) {
      const tx = applied.transactions.find((t) => t.hash === e.transaction_hash);
      expect(tx, String(e.transaction_hash)).toMatchObject({
        transaction_index: e.transaction_index,
        block_hash: e.block_hash,
        block_number: e.block_number,
        status: e.status,
        gas_used: e.gas_used,
        cumulative_gas_used: e.cumulative_gas_used,
        effective_gas_price: BigInt(e.effective_gas_price as number),
        contract_address: e.contract_address,
      });
    }
    // Pre-Byzantium: the receipts have a state root and `"status": null`; the status stays unknown.
    expect(receipts.every((r) => r.status === null && typeof r.root === 'string')).toBe(true);
    expect(applied.transactions.map((t) => t.hash)).toEqual(transactions.map((t) => t.hash));
    expect(applied.contracts).toEqual([]);
  });

  it('returns every log as expected_logs.json has it, in log order', () => {
    const { block, transactions, receipts } = block483920();
    const { logs } = applyReceipts(transactions, receipts, ctx);
    const expected: LogRow[] = readJsonLines(join(receiptsDir, 'expected_logs.json')).map((e) => ({
      chain_id: 1,
      version: 3,
      block_number: e.block_number as number,
      block_hash: e.block_hash as string,
      block_timestamp: block.timestamp,
      transaction_index: e.transaction_index as number,
      transaction_hash: e.transaction_hash as string,
      log_index: e.log_index as number,
      address: e.address as string,
      topics: e.topics as string[],
      data: e.data as string,
    }));
    expect(expected).toHaveLength(2);
    expect(logs).toEqual(expected);
    // ... and as expected_logs.csv has them (topics joined with commas).
    const csv = readCsv(join(receiptsDir, 'expected_logs.csv'));
    expect(logs.map((l) => [l.log_index, l.transaction_hash, l.address, l.data, l.topics.join(',')])).toEqual(
      csv.map((e) => [Number(e.log_index), e.transaction_hash, e.address, e.data, e.topics]),
    );
  });

  it('returns new rows and leaves the decoded transactions as they were', () => {
    const { transactions, receipts } = block483920();
    const before = structuredClone(transactions);
    const applied = applyReceipts(transactions, receipts, ctx);
    expect(transactions).toEqual(before);
    expect(applied.transactions[0]).not.toBe(transactions[0]);
    expect(applied.transactions[0]!.gas_used).toBe(50_853);
  });
});

describe('decodeLogs on real mainnet token transfers', () => {
  it('block 483920 (test_export_token_transfers_job): the transfers of expected_token_transfers.csv', () => {
    const { transactions, receipts } = block483920();
    const { logs } = applyReceipts(transactions, receipts, ctx);
    const decoded = decodeLogs(logs, () => undefined);
    const expected = readCsv(join(transfersDir, 'expected_token_transfers.csv'));
    expect(expected).toHaveLength(2);
    expect(decoded.tokenTransfers).toEqual(
      expected.map((e) => ({
        chain_id: 1,
        version: 3,
        block_number: Number(e.block_number),
        block_hash: '0x246edb4b351d93c27926f4649bcf6c24366e2a7c7c718dc9158eea20c03bc6ae',
        block_timestamp: 1_446_561_880,
        transaction_index: transactions.findIndex((t) => t.hash === e.transaction_hash),
        transaction_hash: e.transaction_hash,
        log_index: Number(e.log_index),
        batch_index: 0,
        token_address: e.token_address,
        token_standard: 'erc20',
        operator: null,
        from_address: e.from_address,
        to_address: e.to_address,
        token_id: null,
        value: BigInt(e.value!),
      })),
    );
    expect(decoded.skipped).toBe(0);
    // The logs ethereum-etl got from eth_getFilterLogs are the ones the receipts carry.
    const [filtered] = responses<RpcLog[]>(transfersDir, 'eth_getFilterLogs');
    expect(
      filtered!.result.map((l) => [Number(l.logIndex), l.transactionHash, l.address, l.topics, l.data]),
    ).toEqual(logs.map((l) => [l.log_index, l.transaction_hash, l.address, l.topics, l.data]));
  });

  it(`test_stream ${streamFolder}: blocks, transactions with receipts, logs and transfers as ethereum-etl exported them`, () => {
    const receipts = responses<RpcReceipt>(streamDir, 'eth_getTransactionReceipt').map((r) => r.result);
    const decoded = fullBlocks(streamDir).map((raw) => {
      const { block, transactions } = decodeBlock(raw, ctx);
      const mine = receipts.filter((r) => r.blockHash === raw.hash);
      return { block, ...applyReceipts(transactions, mine, ctx) };
    });
    const logs = decoded.flatMap((d) => d.logs);
    const events = decodeLogs(logs, () => undefined);
    const expected = loadMainnetRows(streamFolder, 3);
    expect(expected.transactions).toHaveLength(2);
    expect(decoded.map((d) => d.block)).toEqual(expected.blocks);
    expect(decoded.flatMap((d) => d.transactions)).toEqual(expected.transactions);
    expect(logs).toEqual(expected.logs);
    expect(events.tokenTransfers).toEqual(expected.tokenTransfers);
    // The second log (topic 0xe3e6ac9b…, empty data) is no event we decode, so nothing is skipped.
    expect(events).toMatchObject({ skipped: 0, unknownPool: 0, tokenApprovals: [], dexSwaps: [] });
  });
});

describe('malformed payloads are refused with an error that names the block and the field', () => {
  const base = () => structuredClone(block483920().raw);

  it.each<[string, (raw: RpcBlock) => void, RegExp]>([
    [
      'a missing hash',
      (raw) => delete (raw as Partial<RpcBlock>).hash,
      /block 483920 \(0x76250\): hash is missing/,
    ],
    ['a decimal number', (raw) => (raw.number = '483920'), /block "483920": number is "483920"/],
    ['a non-hex gas limit', (raw) => (raw.gasLimit = '0xzz'), /block 483920 \(0x76250\): gasLimit is "0xzz"/],
    [
      'a transaction without a sender',
      (raw) => delete (raw.transactions[2] as Partial<RpcBlock['transactions'][number] & object>).from,
      /transactions\[2\]\.from \(transaction 0x463d53f0ad57677a3b430a007c1c31d15d62c37fab5eee598551697c297c235c\) is missing/,
    ],
    [
      'a transaction of another block',
      (raw) => {
        (raw.transactions[0] as { blockHash: string }).blockHash = `0x${'1'.repeat(64)}`;
      },
      /transactions\[0\]\.blockHash .* is 0x1111/,
    ],
    [
      'a transactions field that is no array',
      (raw) => ((raw as { transactions: unknown }).transactions = {}),
      /transactions is not an array/,
    ],
  ])('%s', (_name, spoil, message) => {
    const raw = base();
    spoil(raw);
    const error = thrown(() => decodeBlock(raw, ctx));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as NonRetryableError).shortMessage).toMatch(message);
    expect((error as NonRetryableError).code).toBe('RPC_PAYLOAD_INVALID');
  });

  it('transactions given as hashes (eth_getBlockByNumber(n, false), recorded for block 2112234)', () => {
    const dir = join(rpcDir, 'test_stream', 'blocks_2112234_2112234');
    const recorded = responses<RpcBlock>(dir, 'eth_getBlockByNumber').find(
      (r) => r.params === '0x203aea_false',
    );
    expect(recorded?.result.transactions[0]).toBeTypeOf('string');
    const error = thrown(() => decodeBlock(recorded!.result, ctx)) as NonRetryableError;
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.shortMessage).toBe(
      'Malformed JSON-RPC payload for block 2112234 (0x203aea): transactions[0] is a transaction hash, not a transaction object',
    );
    expect(error.details).toMatch(
      /eth_getBlockByNumber with its second parameter \(full transactions\) true/,
    );
  });

  it('a missing receipt names the block and the transaction', () => {
    const { transactions, receipts } = block483920();
    const error = thrown(() =>
      applyReceipts(
        transactions,
        receipts.filter((r) => r.transactionIndex !== '0x2'),
        ctx,
      ),
    ) as NonRetryableError;
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.shortMessage).toBe(
      'Missing receipt for transaction 0x463d53f0ad57677a3b430a007c1c31d15d62c37fab5eee598551697c297c235c of block 483920 (0x246edb4b351d93c27926f4649bcf6c24366e2a7c7c718dc9158eea20c03bc6ae)',
    );
  });

  it('an extra or duplicate receipt names the transaction; a null receipt or one of another block is worth a retry', () => {
    const { transactions, receipts } = block483920();
    const [stranger] = responses<RpcReceipt>(streamDir, 'eth_getTransactionReceipt').map((r) => r.result);
    const extra = thrown(() =>
      applyReceipts(transactions, [...receipts, { ...stranger!, blockHash: receipts[0]!.blockHash }], ctx),
    ) as NonRetryableError;
    expect(extra).toBeInstanceOf(NonRetryableError);
    expect(extra.shortMessage).toMatch(
      /^Extra receipt for transaction 0x2e3dcd051a91d3a694f6b8de2ac4b5fe7acdba55f58bcf8471ff00d4a430074d, which is not in block 483920/,
    );
    const duplicate = thrown(() =>
      applyReceipts(transactions, [...receipts, receipts[1]!], ctx),
    ) as NonRetryableError;
    expect(duplicate.shortMessage).toMatch(/^Duplicate receipt for transaction 0x05287a56/);
    const unavailable = thrown(() => applyReceipts(transactions, [...receipts.slice(1), null as never], ctx));
    expect(unavailable).toBeInstanceOf(RetryableError);
    expect((unavailable as RetryableError).shortMessage).toBe(
      'Receipt 3 of block 483920 (0x246edb4b351d93c27926f4649bcf6c24366e2a7c7c718dc9158eea20c03bc6ae) is null',
    );
    const reorged = thrown(() => applyReceipts(transactions, [...receipts, stranger!], ctx));
    expect(reorged).toBeInstanceOf(RetryableError);
    expect((reorged as RetryableError).shortMessage).toMatch(/is from another block than block 483920/);
  });

  it('a receipt with an impossible status or a non-hex log index', () => {
    const { transactions, receipts } = block483920();
    const status = thrown(() =>
      applyReceipts(transactions, [{ ...receipts[0]!, status: '0x2' }, ...receipts.slice(1)], ctx),
    );
    expect((status as NonRetryableError).shortMessage).toMatch(
      /the receipts of block 483920 .*: status \(receipt of transaction 0x04cbcb23.*\) is 0x2/,
    );
    const spoiled = structuredClone(receipts);
    spoiled[0]!.logs[0]!.logIndex = 'zero';
    const logIndex = thrown(() => applyReceipts(transactions, spoiled, ctx));
    expect((logIndex as NonRetryableError).shortMessage).toMatch(/logs\[0\]\.logIndex .* is "zero"/);
  });
});

describe('applyReceipts on edited real receipts', () => {
  /** Block 483920 with the receipt of its third transaction (a plain transfer) edited. */
  function withReceipt(edit: (receipt: RpcReceipt) => void) {
    const { transactions, receipts } = block483920();
    const edited = structuredClone(receipts);
    edit(edited.find((r) => r.transactionIndex === '0x2')!);
    return { transactions, applied: applyReceipts(transactions, edited, ctx) };
  }
  const created = '0xAbCdEf0123456789aBcDeF0123456789AbCdEf01';

  it('a receipt with a contract address makes a contracts row with the sender as creator', () => {
    const { applied } = withReceipt((r) => {
      r.contractAddress = created;
      r.status = '0x1';
    });
    expect(applied.transactions[2]).toMatchObject({ status: 1, contract_address: created.toLowerCase() });
    expect(applied.contracts).toEqual([
      {
        chain_id: 1,
        version: 3,
        block_number: 483_920,
        block_hash: '0x246edb4b351d93c27926f4649bcf6c24366e2a7c7c718dc9158eea20c03bc6ae',
        block_timestamp: 1_446_561_880,
        address: created.toLowerCase(),
        creator_address: '0x9df428a91ff0f3635c8f0ce752933b9788926804',
        transaction_hash: '0x463d53f0ad57677a3b430a007c1c31d15d62c37fab5eee598551697c297c235c',
        code_size: 0,
        code_hash: '',
        standard: 'unknown',
      },
    ]);
  });

  it('a failed creation (status 0x0) keeps the address on the transaction but creates no contract', () => {
    const { applied } = withReceipt((r) => {
      r.contractAddress = created;
      r.status = '0x0';
    });
    expect(applied.transactions[2]).toMatchObject({ status: 0, contract_address: created.toLowerCase() });
    expect(applied.contracts).toEqual([]);
  });

  it('without effectiveGasPrice (older nodes) a legacy transaction paid its gas price', () => {
    const { applied } = withReceipt((r) => delete r.effectiveGasPrice);
    expect(applied.transactions[2]!.effective_gas_price).toBe(50_000_000_000n);
    const { transactions, receipts } = block483920();
    const eip1559 = transactions.map((t) => ({ ...t, transaction_type: 2 }));
    const applied1559 = applyReceipts(
      eip1559,
      receipts.map(({ effectiveGasPrice: _, ...r }) => r),
      ctx,
    );
    expect(applied1559.transactions.map((t) => t.effective_gas_price)).toEqual([null, null, null, null]);
  });
});
