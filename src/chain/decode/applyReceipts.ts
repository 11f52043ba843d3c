import { NonRetryableError, RetryableError } from '../../internal/errors.js';
import type { ContractRow, LogRow, TransactionRow } from '../../types/tableRows.js';
import { type DecodeContext, FieldReader, type RpcReceipt, readLogFields } from './rpcTypes.js';

/** Fills transactions from their receipts (matched by hash) as new rows, with their logs and created contracts. */
export function applyReceipts(
  transactions: TransactionRow[],
  receipts: RpcReceipt[],
  ctx: DecodeContext,
): { transactions: TransactionRow[]; logs: LogRow[]; contracts: ContractRow[] } {
  const first = transactions[0];
  const firstReceipt = receipts?.[0] as Partial<RpcReceipt> | undefined;
  const where = first
    ? `block ${first.block_number} (${first.block_hash})`
    : `block ${typeof firstReceipt?.blockNumber === 'string' ? firstReceipt.blockNumber : '(no transactions)'}`;
  const read = new FieldReader(`the receipts of ${where}`);
  if (!Array.isArray(receipts)) {
    throw read.fail(
      'receipts',
      `is ${JSON.stringify(receipts)?.slice(0, 80)}`,
      'an array of receipt objects',
    );
  }

  const blockHashes = new Set(transactions.map((tx) => tx.block_hash));
  const byHash = new Map<string, RpcReceipt>();
  for (const [position, receipt] of receipts.entries()) {
    if (receipt === null) {
      // eth_getTransactionReceipt answers null for a receipt the node (or a lagging backend) does not have yet.
      throw new RetryableError(`Receipt ${position} of ${where} is null`, {
        code: 'RPC_RECEIPT_UNAVAILABLE',
        details:
          'The node does not have this receipt yet (a lagging backend behind a load balancer?); fetch it again.',
      });
    }
    if (typeof receipt !== 'object') {
      throw read.fail(`receipts[${position}]`, `is ${JSON.stringify(receipt)}`, 'a receipt object');
    }
    const hash = read.hash(receipt.transactionHash, `receipts[${position}].transactionHash`);
    if (byHash.has(hash)) {
      throw new NonRetryableError(`Duplicate receipt for transaction ${hash} in ${where}`, {
        code: 'RPC_PAYLOAD_INVALID',
        details: 'Expected exactly one receipt per transaction of the block.',
      });
    }
    byHash.set(hash, receipt);
    if (receipt.blockHash != null && blockHashes.size > 0) {
      const blockHash = read.hash(receipt.blockHash, `receipts[${position}].blockHash`);
      if (!blockHashes.has(blockHash)) {
        throw new RetryableError(`The receipt of transaction ${hash} is from another block than ${where}`, {
          code: 'RPC_BLOCK_CHANGED',
          details: `It names block ${blockHash}. The chain probably reorganised between fetching the block and its receipts; fetch both again.`,
        });
      }
    }
  }
  const txHashes = new Set(transactions.map((tx) => tx.hash));
  for (const hash of byHash.keys()) {
    if (!txHashes.has(hash)) {
      throw new NonRetryableError(`Extra receipt for transaction ${hash}, which is not in ${where}`, {
        code: 'RPC_RECEIPTS_MISMATCH',
        details: `The block has ${transactions.length} transactions and ${receipts.length} receipts were given; expected one receipt per transaction, matched by hash.`,
      });
    }
  }

  const logs: LogRow[] = [];
  const contracts: ContractRow[] = [];
  const logIndexes = new Map<string, string>();
  const withReceipts = transactions.map((tx): TransactionRow => {
    const receipt = byHash.get(tx.hash);
    if (!receipt) {
      throw new NonRetryableError(`Missing receipt for transaction ${tx.hash} of ${where}`, {
        code: 'RPC_RECEIPTS_MISMATCH',
        details: `The block has ${transactions.length} transactions and ${receipts.length} receipts were given; expected one receipt per transaction, matched by hash.`,
      });
    }
    const receiptRead = read.within((name) => `${name} (receipt of transaction ${tx.hash})`);
    const index = receiptRead.number(receipt.transactionIndex, 'transactionIndex');
    if (index !== tx.transaction_index) {
      throw receiptRead.fail(
        'transactionIndex',
        `is ${index}`,
        `the transaction's index ${tx.transaction_index}`,
      );
    }
    const rawStatus = receipt.status == null ? null : receiptRead.number(receipt.status, 'status');
    if (rawStatus !== null && rawStatus !== 0 && rawStatus !== 1) {
      throw receiptRead.fail('status', `is ${receipt.status}`, '0x0 (failed) or 0x1 (succeeded)');
    }
    const status = rawStatus as 0 | 1 | null;
    const contractAddress =
      receipt.contractAddress == null
        ? null
        : receiptRead.address(receipt.contractAddress, 'contractAddress');
    // Old nodes omit effectiveGasPrice; for legacy and EIP-2930 transactions it is the gas price by definition.
    const effectiveGasPrice =
      receipt.effectiveGasPrice != null
        ? receiptRead.quantity(receipt.effectiveGasPrice, 'effectiveGasPrice')
        : tx.transaction_type <= 1
          ? tx.gas_price
          : null;
    const block = {
      chain_id: ctx.chainId,
      version: ctx.version,
      block_number: tx.block_number,
      block_hash: tx.block_hash,
      block_timestamp: tx.block_timestamp,
    };

    if (!Array.isArray(receipt.logs)) throw receiptRead.fail('logs', 'is not an array', 'an array of logs');
    for (const [position, log] of receipt.logs.entries()) {
      const logRead = receiptRead.within((name) => `logs[${position}].${name}`);
      const own = readLogFields(logRead, log);
      if (log.transactionHash != null && logRead.hash(log.transactionHash, 'transactionHash') !== tx.hash) {
        throw logRead.fail(
          'transactionHash',
          `is ${log.transactionHash}`,
          `the receipt's transaction ${tx.hash}`,
        );
      }
      const key = `${tx.block_hash}:${own.log_index}`;
      const previous = logIndexes.get(key);
      if (previous !== undefined) {
        throw logRead.fail(
          'logIndex',
          `is ${own.log_index}, already used by a log of ${previous}`,
          'unique log indexes',
        );
      }
      logIndexes.set(key, tx.hash);
      // The spread goes last: on Node 20 `{ ...base, a, b, … }` is many times slower than `{ a, b, …, ...base }`.
      logs.push({
        transaction_index: tx.transaction_index,
        transaction_hash: tx.hash,
        log_index: own.log_index,
        address: own.address,
        topics: own.topics,
        data: own.data,
        ...block,
      });
    }
    // A failed creation (status 0) leaves no contract, though geth still reports the address it would have had.
    if (contractAddress !== null && status !== 0) {
      contracts.push({
        address: contractAddress,
        creator_address: tx.from_address,
        transaction_hash: tx.hash,
        code_size: 0,
        code_hash: '',
        standard: 'unknown',
        ...block,
      });
    }
    return {
      ...tx,
      status,
      gas_used: receiptRead.uint64(receipt.gasUsed, 'gasUsed'),
      cumulative_gas_used: receiptRead.uint64(receipt.cumulativeGasUsed, 'cumulativeGasUsed'),
      effective_gas_price: effectiveGasPrice,
      contract_address: contractAddress,
    };
  });
  logs.sort((a, b) => a.block_number - b.block_number || a.log_index - b.log_index);
  return { transactions: withReceipts, logs, contracts };
}
