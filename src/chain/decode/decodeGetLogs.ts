import { NonRetryableError, RetryableError } from '../../internal/errors.js';
import type { BlockRow, LogRow } from '../../types/tableRows.js';
import { type DecodeContext, FieldReader, type RpcLog, readLogFields } from './rpcTypes.js';

/**
 * Decodes an `eth_getLogs` result over the blocks `headers` (decoded from the same node) into `logs` rows.
 * Every log must name one of those blocks by number and hash: a log from another hash means the chain
 * reorganised between the two calls (retryable), a log outside the range or a repeated index is an error.
 */
export function decodeGetLogs(
  raw: readonly RpcLog[],
  headers: readonly BlockRow[],
  ctx: DecodeContext,
): LogRow[] {
  const first = headers[0]?.number;
  const last = headers[headers.length - 1]?.number;
  const where = `eth_getLogs for blocks ${first}..${last}`;
  const read = new FieldReader(where);
  if (!Array.isArray(raw)) {
    throw read.fail('result', `is ${JSON.stringify(raw)?.slice(0, 80)}`, 'an array of log objects');
  }
  const byNumber = new Map(headers.map((h) => [h.number, h]));
  const seen = new Set<string>();
  const logs = raw.map((log, position): LogRow => {
    const logRead = read.within((name) => `[${position}].${name}`);
    const own = readLogFields(logRead, log);
    if (log.removed === true) {
      throw new RetryableError(`${where}: log ${position} is marked removed`, {
        code: 'RPC_BLOCK_CHANGED',
        details: 'The node reorganised while answering; fetch the range again.',
      });
    }
    const number = logRead.number(log.blockNumber, 'blockNumber');
    const header = byNumber.get(number);
    if (!header) throw logRead.fail('blockNumber', `is ${number}`, `a block in ${first}..${last}`);
    const hash = logRead.hash(log.blockHash, 'blockHash');
    if (hash !== header.hash) {
      throw new RetryableError(`${where}: a log of block ${number} names block ${hash}, not ${header.hash}`, {
        code: 'RPC_BLOCK_CHANGED',
        details:
          'The chain probably reorganised between fetching the headers and the logs; fetch both again.',
      });
    }
    const key = `${number}:${own.log_index}`;
    if (seen.has(key)) {
      throw new NonRetryableError(`${where}: two logs of block ${number} have index ${own.log_index}`, {
        code: 'RPC_PAYLOAD_INVALID',
        details: 'Expected unique (block, logIndex) pairs.',
      });
    }
    seen.add(key);
    return {
      transaction_index: logRead.number(log.transactionIndex, 'transactionIndex'),
      transaction_hash: logRead.hash(log.transactionHash, 'transactionHash'),
      log_index: own.log_index,
      address: own.address,
      topics: own.topics,
      data: own.data,
      chain_id: ctx.chainId,
      version: ctx.version,
      block_number: number,
      block_hash: hash,
      block_timestamp: header.timestamp,
    };
  });
  logs.sort((a, b) => a.block_number - b.block_number || a.log_index - b.log_index);
  return logs;
}
