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

/**
 * Reads the fields of one payload, naming `where` (e.g. `block 0x76250`) and the field in every error it
 * throws. Field names are built only for an error: decoding builds none.
 */
export class FieldReader {
  constructor(
    private readonly where: string,
    private readonly name: (field: string) => string = (field) => field,
  ) {}

  /** A reader for a part of the payload: `name` gives a field's full name (e.g. `logs[3].data`) for errors. */
  within(name: (field: string) => string): FieldReader {
    return new FieldReader(this.where, (field) => this.name(name(field)));
  }

  /** An error naming `where` and `field`. */
  fail(field: string, problem: string, expected: string): NonRetryableError {
    return new NonRetryableError(
      `Malformed JSON-RPC payload for ${this.where}: ${this.name(field)} ${problem}`,
      {
        code: 'RPC_PAYLOAD_INVALID',
        details: `Expected ${expected}. The node's reply cannot be decoded; check the node (or the method and its parameters).`,
      },
    );
  }

  /** A hex quantity as bigint. */
  quantity(value: unknown, field: string): bigint {
    return BigInt(this.check(value, field, quantityPattern, 'a 0x-hex quantity (e.g. "0x1b")'));
  }

  /** A hex quantity that must fit a JavaScript number exactly. */
  number(value: unknown, field: string): number {
    // Up to 13 hex digits is below 2^52: Number reads it exactly, without a bigint.
    if (typeof value === 'string' && value.length <= 15 && quantityPattern.test(value)) return Number(value);
    const n = this.quantity(value, field);
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw this.fail(field, `is ${value} (too large)`, 'a quantity below 2^53');
    }
    return Number(n);
  }

  /** A hex quantity as a number when it fits exactly, else a bigint (gas, nonces: UInt64 columns). */
  uint64(value: unknown, field: string): number | bigint {
    if (typeof value === 'string' && value.length <= 15 && quantityPattern.test(value)) return Number(value);
    const n = this.quantity(value, field);
    if (n >= 2n ** 64n) throw this.fail(field, `is ${value} (too large)`, 'a quantity below 2^64');
    return n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
  }

  /** A 20-byte address, lower-case. */
  address(value: unknown, field: string): string {
    return this.check(value, field, addressPattern, 'a 20-byte 0x-hex address').toLowerCase();
  }

  /** A 32-byte hash, lower-case. */
  hash(value: unknown, field: string): string {
    return this.check(value, field, hashPattern, 'a 32-byte 0x-hex hash').toLowerCase();
  }

  /** An array of 32-byte hashes (log topics), lower-case. */
  hashes(value: unknown, field: string): string[] {
    if (!Array.isArray(value)) throw this.fail(field, 'is not an array', 'an array of 32-byte hashes');
    const hashes = new Array<string>(value.length);
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      hashes[i] =
        typeof item === 'string' && hashPattern.test(item)
          ? item.toLowerCase()
          : this.hash(item, `${field}[${i}]`);
    }
    return hashes;
  }

  /** Whole bytes of 0x-hex data, lower-case. */
  data(value: unknown, field: string): string {
    return this.check(value, field, dataPattern, '0x-hex bytes (an even number of hex digits)').toLowerCase();
  }

  private check(value: unknown, field: string, pattern: RegExp, expected: string): string {
    if (typeof value === 'string' && pattern.test(value)) return value;
    if (value === undefined || value === null) throw this.fail(field, 'is missing', expected);
    throw this.fail(field, `is ${JSON.stringify(value)?.slice(0, 80)}`, expected);
  }
}

/** Reads a log's own fields (index, emitter, topics, data) with `read` (scoped to the log). */
export function readLogFields(
  read: FieldReader,
  log: RpcLog,
): { log_index: number; address: string; topics: string[]; data: string } {
  if (log === null || typeof log !== 'object' || Array.isArray(log)) {
    throw read.fail('log', 'is not an object', 'a log object');
  }
  return {
    log_index: read.number(log.logIndex, 'logIndex'),
    address: read.address(log.address, 'address'),
    topics: read.hashes(log.topics, 'topics'),
    data: read.data(log.data, 'data'),
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
