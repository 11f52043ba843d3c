import { NonRetryableError } from '../../internal/errors.js';

/**
 * The raw JSON-RPC shapes the decoders read (quantities and data are 0x-hex strings, as nodes send them),
 * and the checked readers of their fields. Fields are optional where old or other nodes omit them; the
 * decoders check every field they use at run time, since a node's JSON can be anything.
 */

/** What every decoder needs besides the payload: the chain, and the `version` its rows are written with. */
export interface DecodeContext {
  chainId: number;
  version: number | bigint;
}

/** A transaction object inside `eth_getBlockByNumber(n, true)`. */
export interface RpcTransaction {
  hash: string;
  nonce: string;
  from: string;
  /** null (or absent) for contract creations. */
  to?: string | null;
  value: string;
  gas: string;
  input: string;
  /** Legacy and EIP-2930 price; for mined EIP-1559 transactions most nodes send the effective price. */
  gasPrice?: string | null;
  maxFeePerGas?: string | null;
  maxPriorityFeePerGas?: string | null;
  /** EIP-2718 type; absent before Berlin on many nodes (then 0). */
  type?: string | null;
  blockHash?: string | null;
  blockNumber?: string | null;
  transactionIndex?: string | null;
  chainId?: string | null;
  /** Parity/OpenEthereum: the created contract's address. */
  creates?: string | null;
}

/** A block from `eth_getBlockByNumber(n, true)` (or `false`, then `transactions` holds hashes). */
export interface RpcBlock {
  number: string;
  hash: string;
  parentHash: string;
  timestamp: string;
  miner: string;
  /** Parity/OpenEthereum's name for the miner. */
  author?: string;
  gasLimit: string;
  gasUsed: string;
  /** EIP-1559 (London) and later. */
  baseFeePerGas?: string | null;
  difficulty?: string | null;
  totalDifficulty?: string | null;
  size?: string | null;
  extraData?: string | null;
  nonce?: string | null;
  logsBloom?: string | null;
  transactions: (RpcTransaction | string)[];
  uncles?: string[];
}

/** A log inside a receipt (or from `eth_getLogs`). */
export interface RpcLog {
  address: string;
  topics: string[];
  data: string;
  logIndex: string;
  transactionHash?: string | null;
  transactionIndex?: string | null;
  blockHash?: string | null;
  blockNumber?: string | null;
  removed?: boolean;
}

/** A receipt from `eth_getBlockReceipts(n)` or `eth_getTransactionReceipt(hash)`. */
export interface RpcReceipt {
  transactionHash: string;
  transactionIndex: string;
  blockHash: string;
  blockNumber: string;
  from?: string;
  to?: string | null;
  gasUsed: string;
  cumulativeGasUsed: string;
  /** Set for contract creations (geth sets it for failed creations too). */
  contractAddress?: string | null;
  logs: RpcLog[];
  logsBloom?: string;
  /** Byzantium and later: 0x1 success, 0x0 failure. Earlier receipts have `root` (and no or a null status). */
  status?: string | null;
  root?: string | null;
  /** Absent from receipts of older nodes. */
  effectiveGasPrice?: string | null;
  type?: string | null;
}

const quantityPattern = /^0x[0-9a-fA-F]+$/;
const dataPattern = /^0x(?:[0-9a-fA-F]{2})*$/;
const addressPattern = /^0x[0-9a-fA-F]{40}$/;
const hashPattern = /^0x[0-9a-fA-F]{64}$/;

/** Reads the fields of one payload, naming `where` (e.g. `block 0x76250`) in every error it throws. */
export interface FieldReader {
  /** A hex quantity as bigint. */
  quantity(value: unknown, field: string): bigint;
  /** A hex quantity that must fit a JavaScript number exactly. */
  number(value: unknown, field: string): number;
  /** A hex quantity as a number when it fits exactly, else a bigint (gas, nonces: UInt64 columns). */
  uint64(value: unknown, field: string): number | bigint;
  /** A 20-byte address, lower-case. */
  address(value: unknown, field: string): string;
  /** A 32-byte hash, lower-case. */
  hash(value: unknown, field: string): string;
  /** Whole bytes of 0x-hex data, lower-case. */
  data(value: unknown, field: string): string;
  /** An error naming `where` and `field`. */
  fail(field: string, problem: string, expected: string): NonRetryableError;
}

/** Creates the checked reader of one payload's fields; `where` names the payload in errors. */
export function createFieldReader(where: string): FieldReader {
  const fail = (field: string, problem: string, expected: string) =>
    new NonRetryableError(`Malformed JSON-RPC payload for ${where}: ${field} ${problem}`, {
      code: 'RPC_PAYLOAD_INVALID',
      details: `Expected ${expected}. The node's reply cannot be decoded; check the node (or the method and its parameters).`,
    });
  const check = (value: unknown, field: string, pattern: RegExp, expected: string): string => {
    if (value === undefined || value === null) throw fail(field, 'is missing', expected);
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw fail(field, `is ${JSON.stringify(value)?.slice(0, 80)}`, expected);
    }
    return value.toLowerCase();
  };
  const quantity = (value: unknown, field: string) =>
    BigInt(check(value, field, quantityPattern, 'a 0x-hex quantity (e.g. "0x1b")'));
  return {
    quantity,
    number(value, field) {
      const n = quantity(value, field);
      if (n > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw fail(field, `is ${value} (too large)`, `a quantity below 2^53`);
      }
      return Number(n);
    },
    uint64(value, field) {
      const n = quantity(value, field);
      if (n >= 2n ** 64n) throw fail(field, `is ${value} (too large)`, 'a quantity below 2^64');
      return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    },
    address: (value, field) => check(value, field, addressPattern, 'a 20-byte 0x-hex address'),
    hash: (value, field) => check(value, field, hashPattern, 'a 32-byte 0x-hex hash'),
    data: (value, field) => check(value, field, dataPattern, '0x-hex bytes (an even number of hex digits)'),
    fail,
  };
}

/** Reads a log's own fields (index, emitter, topics, data); `at(name)` names each field in errors. */
export function readLogFields(
  read: FieldReader,
  log: RpcLog,
  at: (name: string) => string,
): { log_index: number; address: string; topics: string[]; data: string } {
  if (log === null || typeof log !== 'object' || Array.isArray(log)) {
    throw read.fail(at('log'), 'is not an object', 'a log object');
  }
  if (!Array.isArray(log.topics))
    throw read.fail(at('topics'), 'is not an array', 'an array of 32-byte topics');
  return {
    log_index: read.number(log.logIndex, at('logIndex')),
    address: read.address(log.address, at('address')),
    topics: log.topics.map((topic, i) => read.hash(topic, at(`topics[${i}]`))),
    data: read.data(log.data, at('data')),
  };
}

/** Names the block a payload belongs to in error messages: `block 483920 (0x76250)`, else its hash. */
export function describeBlock(raw: { number?: unknown; hash?: unknown } | null | undefined): string {
  const number = raw?.number;
  if (typeof number === 'string' && quantityPattern.test(number))
    return `block ${BigInt(number)} (${number})`;
  if (typeof number === 'string') return `block ${JSON.stringify(number).slice(0, 80)}`;
  if (typeof raw?.hash === 'string') return `block ${raw.hash}`;
  return 'a block without a number or hash';
}
