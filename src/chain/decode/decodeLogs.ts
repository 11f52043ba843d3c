import type {
  DexPoolEventRow,
  DexPoolRow,
  DexSwapRow,
  LogRow,
  TokenApprovalRow,
  TokenTransferRow,
} from '../../types/tableRows.js';
import { keccak256Text } from '../../utils/keccak256.js';

/** What the indexer knows of a pool: its protocol and its tokens in the pool's own order. */
export interface PoolInfo {
  protocol: 'uniswap_v2' | 'uniswap_v3';
  token0: string;
  token1: string;
}

/** Looks up a pool by its lower-case address; undefined when the address is not a known pool. */
export type PoolLookup = (pool: string) => PoolInfo | undefined;

/** The rows decoded from a batch of logs, and how many logs were left out and why. */
export interface DecodedEvents {
  tokenTransfers: TokenTransferRow[];
  tokenApprovals: TokenApprovalRow[];
  dexSwaps: DexSwapRow[];
  dexPools: DexPoolRow[];
  dexPoolEvents: DexPoolEventRow[];
  /** Logs with a known event signature but another shape (topic count, data length, padding, ranges). */
  skipped: number;
  /** Well-formed swaps, syncs, mints and burns of pools the lookup does not know. */
  unknownPool: number;
}

/** topic0 of every event {@link decodeLogs} decodes. */
export const eventTopics = {
  transfer: keccak256Text('Transfer(address,address,uint256)'),
  approval: keccak256Text('Approval(address,address,uint256)'),
  approvalForAll: keccak256Text('ApprovalForAll(address,address,bool)'),
  transferSingle: keccak256Text('TransferSingle(address,address,address,uint256,uint256)'),
  transferBatch: keccak256Text('TransferBatch(address,address,address,uint256[],uint256[])'),
  v2Swap: keccak256Text('Swap(address,uint256,uint256,uint256,uint256,address)'),
  v2Sync: keccak256Text('Sync(uint112,uint112)'),
  v2Mint: keccak256Text('Mint(address,uint256,uint256)'),
  v2Burn: keccak256Text('Burn(address,uint256,uint256,address)'),
  v2PairCreated: keccak256Text('PairCreated(address,address,address,uint256)'),
  v3Swap: keccak256Text('Swap(address,address,int256,int256,uint160,uint128,int24)'),
  v3Mint: keccak256Text('Mint(address,address,int24,int24,uint128,uint256,uint256)'),
  v3Burn: keccak256Text('Burn(address,int24,int24,uint128,uint256,uint256)'),
  v3PoolCreated: keccak256Text('PoolCreated(address,address,uint24,int24,address)'),
} as const;

/** The events only pools emit, by topic0: their topic count and data length in 32-byte words. */
export const poolEventShapes: ReadonlyMap<string, { topics: number; words: number }> = new Map([
  [eventTopics.v2Swap, { topics: 3, words: 4 }],
  [eventTopics.v2Sync, { topics: 1, words: 2 }],
  [eventTopics.v2Mint, { topics: 2, words: 2 }],
  [eventTopics.v2Burn, { topics: 3, words: 2 }],
  [eventTopics.v3Swap, { topics: 3, words: 5 }],
  [eventTopics.v3Mint, { topics: 4, words: 4 }],
  [eventTopics.v3Burn, { topics: 4, words: 3 }],
]);

/** Thrown inside the decoder for a log whose shape does not match its signature; counted, never escapes. */
class Malformed extends Error {}
/** The one instance thrown: malformed logs are common on real chains, and a stack trace is not needed. */
const malformed = new Malformed();

const wordPattern = /^(?:[0-9a-f]{64})*$/;
const topicPattern = /^0x[0-9a-f]{64}$/;
const paddedAddress = /^0{24}[0-9a-f]{40}$/;
const zeroAddress = `0x${'0'.repeat(40)}`;
const two256 = 2n ** 256n;

/** A log's topics and data words, lower-case, with readers that throw Malformed. */
class LogView {
  readonly topics: string[];
  readonly words: string[];
  constructor(readonly log: LogRow) {
    this.topics = log.topics.map((t) => t.toLowerCase());
    const data = log.data.toLowerCase();
    if (!data.startsWith('0x') || !wordPattern.test(data.slice(2))) throw malformed;
    this.words = [];
    for (let i = 2; i < data.length; i += 64) this.words.push(data.slice(i, i + 64));
  }
  /** Throws unless the log has exactly `topics` topics and `words` data words. */
  shape(topics: number, words: number): this {
    if (this.topics.length !== topics || this.words.length !== words) throw malformed;
    return this;
  }
  topicWord(i: number): string {
    const topic = this.topics[i]!;
    if (!topicPattern.test(topic)) throw malformed;
    return topic.slice(2);
  }
  topicAddress(i: number): string {
    return address(this.topicWord(i));
  }
  topicUint(i: number, bits = 256): bigint {
    return uint(this.topicWord(i), bits);
  }
  topicInt(i: number, bits: number): bigint {
    return int(this.topicWord(i), bits);
  }
  address(i: number): string {
    return address(this.words[i]!);
  }
  uint(i: number, bits = 256): bigint {
    return uint(this.words[i]!, bits);
  }
  int(i: number, bits: number): bigint {
    return int(this.words[i]!, bits);
  }
}

function address(word: string): string {
  if (!paddedAddress.test(word)) throw malformed;
  return `0x${word.slice(24)}`;
}

function uint(word: string, bits: number): bigint {
  const value = BigInt(`0x${word}`);
  if (bits < 256 && value >> BigInt(bits) !== 0n) throw malformed;
  return value;
}

function int(word: string, bits: number): bigint {
  const raw = BigInt(`0x${word}`);
  const value = raw >= two256 / 2n ? raw - two256 : raw;
  const limit = 1n << BigInt(bits - 1);
  if (value < -limit || value >= limit) throw malformed;
  return value;
}

/**
 * The fields every decoded row copies from its log. Rows spread it last: on Node 20, `{ ...base, a, b, … }`
 * with many properties after the spread is ~50 times slower than `{ a, b, …, ...base }`.
 */
function fromLog(log: LogRow): Omit<LogRow, 'address' | 'topics' | 'data'> {
  const base: Omit<LogRow, 'address' | 'topics' | 'data'> = {
    chain_id: log.chain_id,
    version: log.version,
    block_number: log.block_number,
    block_hash: log.block_hash,
    block_timestamp: log.block_timestamp,
    transaction_index: log.transaction_index,
    transaction_hash: log.transaction_hash,
    log_index: log.log_index,
  };
  if (log.is_deleted !== undefined) base.is_deleted = log.is_deleted;
  return base;
}

/** One token in, one token out, from the pool's net token flows (positive = into the pool). */
function direction(net0: bigint, net1: bigint, pool: PoolInfo) {
  if (net0 > 0n && net1 <= 0n) {
    return { token_in: pool.token0, amount_in: net0, token_out: pool.token1, amount_out: -net1 };
  }
  if (net1 > 0n && net0 <= 0n) {
    return { token_in: pool.token1, amount_in: net1, token_out: pool.token0, amount_out: -net0 };
  }
  return undefined;
}

/** Decodes token and Uniswap V2/V3 events by topic0 and shape (not emitter); misshapen logs are counted. */
export function decodeLogs(logs: readonly LogRow[], pools: PoolLookup): DecodedEvents {
  const out: DecodedEvents = {
    tokenTransfers: [],
    tokenApprovals: [],
    dexSwaps: [],
    dexPools: [],
    dexPoolEvents: [],
    skipped: 0,
    unknownPool: 0,
  };
  for (const log of logs) {
    const topic0 = log.topics[0]?.toLowerCase();
    const decode = topic0 === undefined ? undefined : decoders.get(topic0);
    if (!decode) continue;
    try {
      if (decode(new LogView(log), pools, out) === 'unknown pool') out.unknownPool += 1;
    } catch (error) {
      if (!(error instanceof Malformed)) throw error;
      out.skipped += 1;
    }
  }
  return out;
}

type Decoder = (view: LogView, pools: PoolLookup, out: DecodedEvents) => 'unknown pool' | undefined;

/** The pool a pool event came from, with lower-case tokens; undefined when the lookup does not know it. */
function lookUp(view: LogView, pools: PoolLookup): PoolInfo | undefined {
  const info = pools(view.log.address.toLowerCase());
  if (!info) return undefined;
  return { protocol: info.protocol, token0: info.token0.toLowerCase(), token1: info.token1.toLowerCase() };
}

const decoders = new Map<string, Decoder>([
  [
    eventTopics.transfer,
    (view, _pools, out) => {
      const erc721 = view.topics.length === 4;
      view.shape(erc721 ? 4 : 3, erc721 ? 0 : 1);
      out.tokenTransfers.push({
        batch_index: 0,
        token_address: view.log.address.toLowerCase(),
        token_standard: erc721 ? 'erc721' : 'erc20',
        operator: null,
        from_address: view.topicAddress(1),
        to_address: view.topicAddress(2),
        token_id: erc721 ? view.topicUint(3) : null,
        value: erc721 ? 1n : view.uint(0),
        ...fromLog(view.log),
      });
      return undefined;
    },
  ],
  [
    eventTopics.transferSingle,
    (view, _pools, out) => {
      view.shape(4, 2);
      out.tokenTransfers.push({
        batch_index: 0,
        token_address: view.log.address.toLowerCase(),
        token_standard: 'erc1155',
        operator: view.topicAddress(1),
        from_address: view.topicAddress(2),
        to_address: view.topicAddress(3),
        token_id: view.uint(0),
        value: view.uint(1),
        ...fromLog(view.log),
      });
      return undefined;
    },
  ],
  [
    eventTopics.transferBatch,
    (view, _pools, out) => {
      if (view.topics.length !== 4) throw malformed;
      const ids = uintArray(view.words, 0);
      const values = uintArray(view.words, 1);
      if (ids.length !== values.length) throw malformed;
      const [operator, from, to] = [view.topicAddress(1), view.topicAddress(2), view.topicAddress(3)];
      for (const [i, id] of ids.entries()) {
        out.tokenTransfers.push({
          batch_index: i,
          token_address: view.log.address.toLowerCase(),
          token_standard: 'erc1155',
          operator,
          from_address: from,
          to_address: to,
          token_id: id,
          value: values[i]!,
          ...fromLog(view.log),
        });
      }
      return undefined;
    },
  ],
  [
    eventTopics.approval,
    (view, _pools, out) => {
      const erc721 = view.topics.length === 4;
      view.shape(erc721 ? 4 : 3, erc721 ? 0 : 1);
      const spender = view.topicAddress(2);
      out.tokenApprovals.push({
        token_address: view.log.address.toLowerCase(),
        approval_type: erc721 ? 'erc721' : 'erc20',
        owner_address: view.topicAddress(1),
        spender_address: spender,
        token_id: erc721 ? view.topicUint(3) : null,
        value: erc721 ? (spender === zeroAddress ? 0n : 1n) : view.uint(0),
        ...fromLog(view.log),
      });
      return undefined;
    },
  ],
  [
    eventTopics.approvalForAll,
    (view, _pools, out) => {
      view.shape(3, 1);
      out.tokenApprovals.push({
        token_address: view.log.address.toLowerCase(),
        approval_type: 'approval_for_all',
        owner_address: view.topicAddress(1),
        spender_address: view.topicAddress(2),
        token_id: null,
        value: view.uint(0, 1),
        ...fromLog(view.log),
      });
      return undefined;
    },
  ],
  [
    eventTopics.v2Swap,
    (view, pools, out) => {
      view.shape(3, 4);
      const [in0, in1, out0, out1] = [view.uint(0), view.uint(1), view.uint(2), view.uint(3)];
      const sender = view.topicAddress(1);
      const recipient = view.topicAddress(2);
      const pool = lookUp(view, pools);
      if (!pool) return 'unknown pool';
      // The net flows decide; when they do not (the pool gained both tokens), the gross in and out do.
      const swap =
        direction(in0 - out0, in1 - out1, pool) ??
        (in0 > 0n && out1 > 0n ? direction(in0, -out1, pool) : undefined) ??
        (in1 > 0n && out0 > 0n ? direction(-out0, in1, pool) : undefined);
      if (!swap) throw malformed;
      out.dexSwaps.push({
        protocol: 'uniswap_v2',
        pool_address: view.log.address.toLowerCase(),
        sender,
        recipient,
        token_in: swap.token_in,
        amount_in: swap.amount_in,
        token_out: swap.token_out,
        amount_out: swap.amount_out,
        ...fromLog(view.log),
      });
      return undefined;
    },
  ],
  [
    eventTopics.v3Swap,
    (view, pools, out) => {
      view.shape(3, 5);
      const [amount0, amount1] = [view.int(0, 256), view.int(1, 256)];
      view.uint(2, 160); // sqrtPriceX96
      view.uint(3, 128); // liquidity
      view.int(4, 24); // tick
      const sender = view.topicAddress(1);
      const recipient = view.topicAddress(2);
      const pool = lookUp(view, pools);
      if (!pool) return 'unknown pool';
      const swap = direction(amount0, amount1, pool);
      if (!swap) throw malformed;
      out.dexSwaps.push({
        protocol: 'uniswap_v3',
        pool_address: view.log.address.toLowerCase(),
        sender,
        recipient,
        token_in: swap.token_in,
        amount_in: swap.amount_in,
        token_out: swap.token_out,
        amount_out: swap.amount_out,
        ...fromLog(view.log),
      });
      return undefined;
    },
  ],
  [
    eventTopics.v2Sync,
    (view, pools, out) => {
      view.shape(1, 2);
      return poolEvent(view, pools, out, 'uniswap_v2', 'sync', {
        amount0: view.uint(0, 112),
        amount1: view.uint(1, 112),
      });
    },
  ],
  [
    eventTopics.v2Mint,
    (view, pools, out) => {
      view.shape(2, 2);
      return poolEvent(view, pools, out, 'uniswap_v2', 'mint', {
        sender: view.topicAddress(1),
        amount0: view.uint(0),
        amount1: view.uint(1),
      });
    },
  ],
  [
    eventTopics.v2Burn,
    (view, pools, out) => {
      view.shape(3, 2);
      return poolEvent(view, pools, out, 'uniswap_v2', 'burn', {
        sender: view.topicAddress(1),
        owner: view.topicAddress(2),
        amount0: view.uint(0),
        amount1: view.uint(1),
      });
    },
  ],
  [
    eventTopics.v3Mint,
    (view, pools, out) => {
      view.shape(4, 4);
      return poolEvent(view, pools, out, 'uniswap_v3', 'mint', {
        sender: view.address(0),
        owner: view.topicAddress(1),
        tick_lower: Number(view.topicInt(2, 24)),
        tick_upper: Number(view.topicInt(3, 24)),
        liquidity: view.uint(1, 128),
        amount0: view.uint(2),
        amount1: view.uint(3),
      });
    },
  ],
  [
    eventTopics.v3Burn,
    (view, pools, out) => {
      view.shape(4, 3);
      return poolEvent(view, pools, out, 'uniswap_v3', 'burn', {
        owner: view.topicAddress(1),
        tick_lower: Number(view.topicInt(2, 24)),
        tick_upper: Number(view.topicInt(3, 24)),
        liquidity: view.uint(0, 128),
        amount0: view.uint(1),
        amount1: view.uint(2),
      });
    },
  ],
  [
    eventTopics.v2PairCreated,
    (view, _pools, out) => {
      view.shape(3, 2);
      out.dexPools.push({
        pool_address: view.address(0),
        protocol: 'uniswap_v2',
        factory_address: view.log.address.toLowerCase(),
        token0: view.topicAddress(1),
        token1: view.topicAddress(2),
        fee: null,
        ...fromLog(view.log),
      });
      return undefined;
    },
  ],
  [
    eventTopics.v3PoolCreated,
    (view, _pools, out) => {
      view.shape(4, 2);
      view.int(0, 24); // tickSpacing
      out.dexPools.push({
        pool_address: view.address(1),
        protocol: 'uniswap_v3',
        factory_address: view.log.address.toLowerCase(),
        token0: view.topicAddress(1),
        token1: view.topicAddress(2),
        fee: Number(view.topicUint(3, 24)),
        ...fromLog(view.log),
      });
      return undefined;
    },
  ],
]);

/** Adds a Sync/Mint/Burn row for a known pool; says 'unknown pool' otherwise. */
function poolEvent(
  view: LogView,
  pools: PoolLookup,
  out: DecodedEvents,
  protocol: DexPoolEventRow['protocol'],
  eventType: DexPoolEventRow['event_type'],
  fields: Pick<DexPoolEventRow, 'amount0' | 'amount1'> &
    Partial<Pick<DexPoolEventRow, 'sender' | 'owner' | 'liquidity' | 'tick_lower' | 'tick_upper'>>,
): 'unknown pool' | undefined {
  const pool = lookUp(view, pools);
  if (!pool) return 'unknown pool';
  out.dexPoolEvents.push({
    protocol,
    pool_address: view.log.address.toLowerCase(),
    event_type: eventType,
    sender: fields.sender ?? null,
    owner: fields.owner ?? null,
    token0: pool.token0,
    token1: pool.token1,
    amount0: fields.amount0,
    amount1: fields.amount1,
    liquidity: fields.liquidity ?? null,
    tick_lower: fields.tick_lower ?? null,
    tick_upper: fields.tick_upper ?? null,
    ...fromLog(view.log),
  });
  return undefined;
}

/** The ABI-encoded `uint256[]` whose offset is in head word `head`: strict about offsets and bounds. */
function uintArray(words: readonly string[], head: number): bigint[] {
  if (head >= words.length) throw malformed;
  const offset = BigInt(`0x${words[head]!}`);
  if (offset % 32n !== 0n || offset / 32n >= BigInt(words.length)) throw malformed;
  const start = Number(offset / 32n);
  const length = BigInt(`0x${words[start]!}`);
  if (length > BigInt(words.length - start - 1)) throw malformed;
  return words.slice(start + 1, start + 1 + Number(length)).map((word) => BigInt(`0x${word}`));
}
