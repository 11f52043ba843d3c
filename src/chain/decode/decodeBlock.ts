import { NonRetryableError } from '../../internal/errors.js';
import type { BlockRow, TransactionRow } from '../../types/tableRows.js';
import { type DecodeContext, describeBlock, FieldReader, type RpcBlock } from './rpcTypes.js';

/** Decodes a block's header (from `eth_getBlockByNumber(n, false)` or `(n, true)`) into its `blocks` row. */
export function decodeBlockHeader(raw: RpcBlock, ctx: DecodeContext): BlockRow {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new NonRetryableError('Malformed JSON-RPC payload: a block is not an object', {
      code: 'RPC_PAYLOAD_INVALID',
      details: `Expected the result of eth_getBlockByNumber; got ${JSON.stringify(raw)?.slice(0, 80)}.`,
    });
  }
  const read = new FieldReader(describeBlock(raw));
  if (!Array.isArray(raw.transactions)) {
    throw read.fail('transactions', 'is not an array', 'an array of transactions or transaction hashes');
  }
  const block: BlockRow = {
    chain_id: ctx.chainId,
    version: ctx.version,
    number: read.number(raw.number, 'number'),
    hash: read.hash(raw.hash, 'hash'),
    parent_hash: read.hash(raw.parentHash, 'parentHash'),
    timestamp: read.number(raw.timestamp, 'timestamp'),
    miner: read.address(raw.miner ?? raw.author, 'miner'),
    gas_limit: read.uint64(raw.gasLimit, 'gasLimit'),
    gas_used: read.uint64(raw.gasUsed, 'gasUsed'),
    base_fee_per_gas: raw.baseFeePerGas == null ? null : read.quantity(raw.baseFeePerGas, 'baseFeePerGas'),
    transaction_count: raw.transactions.length,
  };
  if (raw.difficulty != null) block.difficulty = read.quantity(raw.difficulty, 'difficulty');
  if (raw.size != null) block.size = read.number(raw.size, 'size');
  if (raw.extraData != null) block.extra_data = read.data(raw.extraData, 'extraData');
  return block;
}

/** Decodes `eth_getBlockByNumber(n, true)` into its `blocks` row and `transactions` rows (receipt fields null). */
export function decodeBlock(
  raw: RpcBlock,
  ctx: DecodeContext,
): { block: BlockRow; transactions: TransactionRow[] } {
  const block = decodeBlockHeader(raw, ctx);
  const { number, hash, timestamp } = block;
  const read = new FieldReader(describeBlock(raw));
  const transactions = raw.transactions.map((tx, position): TransactionRow => {
    const at = `transactions[${position}]`;
    if (typeof tx === 'string') {
      throw read.fail(
        at,
        'is a transaction hash, not a transaction object',
        'full transaction objects: call eth_getBlockByNumber with its second parameter (full transactions) true',
      );
    }
    if (tx === null || typeof tx !== 'object' || Array.isArray(tx)) {
      throw read.fail(at, `is ${JSON.stringify(tx)?.slice(0, 80)}`, 'a transaction object');
    }
    const txHash = read.hash(tx.hash, `${at}.hash`);
    const txRead = read.within((name) => `${at}.${name} (transaction ${txHash})`);
    if (tx.blockHash != null && txRead.hash(tx.blockHash, 'blockHash') !== hash) {
      throw txRead.fail('blockHash', `is ${tx.blockHash}`, `the block's own hash ${hash}`);
    }
    if (tx.blockNumber != null && txRead.number(tx.blockNumber, 'blockNumber') !== number) {
      throw txRead.fail('blockNumber', `is ${tx.blockNumber}`, `the block's own number ${number}`);
    }
    if (tx.transactionIndex != null && txRead.number(tx.transactionIndex, 'transactionIndex') !== position) {
      throw txRead.fail(
        'transactionIndex',
        `is ${tx.transactionIndex}`,
        `its position in the block (0x${position.toString(16)})`,
      );
    }
    const type = tx.type == null ? 0 : txRead.number(tx.type, 'type');
    if (type > 0xff) throw txRead.fail('type', `is ${tx.type}`, 'an EIP-2718 transaction type (0x0 to 0xff)');
    const optional = (value: string | null | undefined, name: string) =>
      value == null ? null : txRead.quantity(value, name);
    return {
      chain_id: ctx.chainId,
      version: ctx.version,
      block_number: number,
      block_hash: hash,
      block_timestamp: timestamp,
      transaction_index: position,
      hash: txHash,
      nonce: txRead.uint64(tx.nonce, 'nonce'),
      from_address: txRead.address(tx.from, 'from'),
      to_address: tx.to == null ? null : txRead.address(tx.to, 'to'),
      value: txRead.quantity(tx.value, 'value'),
      gas: txRead.uint64(tx.gas, 'gas'),
      gas_price: optional(tx.gasPrice, 'gasPrice'),
      max_fee_per_gas: optional(tx.maxFeePerGas, 'maxFeePerGas'),
      max_priority_fee_per_gas: optional(tx.maxPriorityFeePerGas, 'maxPriorityFeePerGas'),
      transaction_type: type,
      input: txRead.data(tx.input, 'input'),
      status: null,
      gas_used: null,
      cumulative_gas_used: null,
      effective_gas_price: null,
      contract_address: null,
    };
  });
  return { block, transactions };
}
