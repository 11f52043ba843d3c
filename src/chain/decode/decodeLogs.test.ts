import { type AbiEvent, encodeAbiParameters, encodeEventTopics, type Hex, parseAbiItem } from 'viem';
import { describe, expect, it } from 'vitest';
import { queryRows, useTestWarehouse } from '../../../test/setup/testWarehouse.js';
import type { LogRow, TableRows } from '../../types/tableRows.js';
import { insertRows } from '../../warehouse/insertRows.js';
import { type DecodedEvents, decodeLogs, eventTopics, type PoolInfo, type PoolLookup } from './decodeLogs.js';
import { findPoolAddresses } from './findPoolAddresses.js';

const addr = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;
const token = addr(0x70);
const nft = addr(0x71);
const multi = addr(0x72);
const weth = addr(0xee);
const usdc = addr(0xcc);
const v2Pool = addr(0xa2);
const v3Pool = addr(0xa3);
const factory = addr(0xfa);
const alice = addr(0xa11ce);
const bob = addr(0xb0b);
const router = addr(0x707);
const maxUint256 = 2n ** 256n - 1n;

const knownPools = new Map<string, PoolInfo>([
  [v2Pool, { protocol: 'uniswap_v2', token0: usdc, token1: weth }],
  [v3Pool, { protocol: 'uniswap_v3', token0: usdc, token1: weth }],
]);
const pools: PoolLookup = (pool) => knownPools.get(pool);

let nextLogIndex = 0;

/** A log as a node would emit it for `event <signature>` with `args`, encoded by viem. */
function eventLog(emitter: string, signature: string, args: Record<string, unknown>): LogRow {
  const event = parseAbiItem(`event ${signature}`) as AbiEvent;
  const topics = encodeEventTopics({ abi: [event], eventName: event.name, args } as never) as string[];
  const dataInputs = event.inputs.filter((input) => !input.indexed);
  const data = encodeAbiParameters(
    dataInputs,
    dataInputs.map((input) => args[input.name!]),
  );
  const logIndex = nextLogIndex++;
  return {
    chain_id: 1,
    version: 7,
    block_number: 19_000_000,
    block_hash: `0x${'b'.repeat(64)}`,
    block_timestamp: 1_705_000_000,
    transaction_index: 3,
    transaction_hash: `0x${'7'.repeat(64)}`,
    log_index: logIndex,
    address: emitter,
    topics,
    data,
  };
}

const signatures = {
  erc20Transfer: 'Transfer(address indexed from, address indexed to, uint256 value)',
  erc721Transfer: 'Transfer(address indexed from, address indexed to, uint256 indexed tokenId)',
  transferSingle:
    'TransferSingle(address indexed operator, address indexed from, address indexed to, uint256 id, uint256 value)',
  transferBatch:
    'TransferBatch(address indexed operator, address indexed from, address indexed to, uint256[] ids, uint256[] values)',
  erc20Approval: 'Approval(address indexed owner, address indexed spender, uint256 value)',
  erc721Approval: 'Approval(address indexed owner, address indexed approved, uint256 indexed tokenId)',
  approvalForAll: 'ApprovalForAll(address indexed owner, address indexed operator, bool approved)',
  v2Swap:
    'Swap(address indexed sender, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out, address indexed to)',
  v2Sync: 'Sync(uint112 reserve0, uint112 reserve1)',
  v2Mint: 'Mint(address indexed sender, uint256 amount0, uint256 amount1)',
  v2Burn: 'Burn(address indexed sender, uint256 amount0, uint256 amount1, address indexed to)',
  pairCreated: 'PairCreated(address indexed token0, address indexed token1, address pair, uint256 index)',
  v3Swap:
    'Swap(address indexed sender, address indexed recipient, int256 amount0, int256 amount1, uint160 sqrtPriceX96, uint128 liquidity, int24 tick)',
  v3Mint:
    'Mint(address sender, address indexed owner, int24 indexed tickLower, int24 indexed tickUpper, uint128 amount, uint256 amount0, uint256 amount1)',
  v3Burn:
    'Burn(address indexed owner, int24 indexed tickLower, int24 indexed tickUpper, uint128 amount, uint256 amount0, uint256 amount1)',
  poolCreated:
    'PoolCreated(address indexed token0, address indexed token1, uint24 indexed fee, int24 tickSpacing, address pool)',
} as const;

const v2Swap = (
  amount0In: bigint,
  amount1In: bigint,
  amount0Out: bigint,
  amount1Out: bigint,
  pool = v2Pool,
) =>
  eventLog(pool, signatures.v2Swap, {
    sender: router,
    to: alice,
    amount0In,
    amount1In,
    amount0Out,
    amount1Out,
  });
const v3Swap = (amount0: bigint, amount1: bigint, pool = v3Pool) =>
  eventLog(pool, signatures.v3Swap, {
    sender: router,
    recipient: alice,
    amount0,
    amount1,
    sqrtPriceX96: 2n ** 96n,
    liquidity: 10n ** 18n,
    tick: -887_000,
  });

/** The fields every decoded row copies from its log. */
const fromLog = (log: LogRow) => ({
  chain_id: log.chain_id,
  version: log.version,
  block_number: log.block_number,
  block_hash: log.block_hash,
  block_timestamp: log.block_timestamp,
  transaction_index: log.transaction_index,
  transaction_hash: log.transaction_hash,
  log_index: log.log_index,
});

const nothing: DecodedEvents = {
  tokenTransfers: [],
  tokenApprovals: [],
  dexSwaps: [],
  dexPools: [],
  dexPoolEvents: [],
  skipped: 0,
  unknownPool: 0,
};

/** Replaces a log's data. */
const withData = (log: LogRow, data: string): LogRow => ({ ...log, data });

describe('decodeLogs: token events', () => {
  it('tells ERC-20 from ERC-721 Transfer by topic count, not by the emitting contract', () => {
    const erc20 = eventLog(token, signatures.erc20Transfer, { from: alice, to: bob, value: maxUint256 });
    const erc721 = eventLog(nft, signatures.erc721Transfer, { from: alice, to: bob, tokenId: 42n });
    // The same contract emitting both shapes still gets one row of each standard.
    const erc721FromToken = {
      ...eventLog(token, signatures.erc721Transfer, { from: bob, to: alice, tokenId: 7n }),
    };
    expect(erc20.topics[0]).toBe(erc721.topics[0]);
    expect(decodeLogs([erc20, erc721, erc721FromToken], pools)).toEqual({
      ...nothing,
      tokenTransfers: [
        {
          ...fromLog(erc20),
          batch_index: 0,
          token_address: token,
          token_standard: 'erc20',
          operator: null,
          from_address: alice,
          to_address: bob,
          token_id: null,
          value: maxUint256,
        },
        {
          ...fromLog(erc721),
          batch_index: 0,
          token_address: nft,
          token_standard: 'erc721',
          operator: null,
          from_address: alice,
          to_address: bob,
          token_id: 42n,
          value: 1n,
        },
        {
          ...fromLog(erc721FromToken),
          batch_index: 0,
          token_address: token,
          token_standard: 'erc721',
          operator: null,
          from_address: bob,
          to_address: alice,
          token_id: 7n,
          value: 1n,
        },
      ],
    });
  });

  it('decodes ERC-1155 TransferSingle, and TransferBatch into one row per id numbered by position', () => {
    const single = eventLog(multi, signatures.transferSingle, {
      operator: router,
      from: alice,
      to: bob,
      id: 5n,
      value: 100n,
    });
    const batch = eventLog(multi, signatures.transferBatch, {
      operator: router,
      from: addr(0),
      to: bob,
      ids: [1n, 2n, maxUint256],
      values: [10n, 0n, 30n],
    });
    const rows = decodeLogs([single, batch], pools).tokenTransfers;
    expect(rows[0]).toEqual({
      ...fromLog(single),
      batch_index: 0,
      token_address: multi,
      token_standard: 'erc1155',
      operator: router,
      from_address: alice,
      to_address: bob,
      token_id: 5n,
      value: 100n,
    });
    expect(rows.slice(1)).toEqual(
      [
        [1n, 10n],
        [2n, 0n],
        [maxUint256, 30n],
      ].map(([id, value], i) => ({
        ...fromLog(batch),
        batch_index: i,
        token_address: multi,
        token_standard: 'erc1155',
        operator: router,
        from_address: addr(0),
        to_address: bob,
        token_id: id,
        value,
      })),
    );
  });

  it('decodes ERC-20 and ERC-721 Approval and ApprovalForAll, with 0 for a cleared or revoked approval', () => {
    const logs = [
      eventLog(token, signatures.erc20Approval, { owner: alice, spender: router, value: maxUint256 }),
      eventLog(nft, signatures.erc721Approval, { owner: alice, approved: bob, tokenId: 9n }),
      eventLog(nft, signatures.erc721Approval, { owner: alice, approved: addr(0), tokenId: 9n }),
      eventLog(nft, signatures.approvalForAll, { owner: alice, operator: router, approved: true }),
      eventLog(multi, signatures.approvalForAll, { owner: alice, operator: router, approved: false }),
    ];
    const decoded = decodeLogs(logs, pools);
    expect(decoded.skipped).toBe(0);
    expect(decoded.tokenApprovals).toEqual([
      {
        ...fromLog(logs[0]!),
        token_address: token,
        approval_type: 'erc20',
        owner_address: alice,
        spender_address: router,
        token_id: null,
        value: maxUint256,
      },
      {
        ...fromLog(logs[1]!),
        token_address: nft,
        approval_type: 'erc721',
        owner_address: alice,
        spender_address: bob,
        token_id: 9n,
        value: 1n,
      },
      {
        ...fromLog(logs[2]!),
        token_address: nft,
        approval_type: 'erc721',
        owner_address: alice,
        spender_address: addr(0),
        token_id: 9n,
        value: 0n,
      },
      {
        ...fromLog(logs[3]!),
        token_address: nft,
        approval_type: 'approval_for_all',
        owner_address: alice,
        spender_address: router,
        token_id: null,
        value: 1n,
      },
      {
        ...fromLog(logs[4]!),
        token_address: multi,
        approval_type: 'approval_for_all',
        owner_address: alice,
        spender_address: router,
        token_id: null,
        value: 0n,
      },
    ]);
  });

  it('lower-cases addresses from mixed-case input and carries a tombstone through', () => {
    const log = eventLog(token, signatures.erc20Transfer, { from: alice, to: bob, value: 1n });
    const shouting = {
      ...log,
      address: `0x${'AbC'.repeat(13)}D`,
      topics: log.topics.map((t) => t.toUpperCase().replace('0X', '0x')),
      is_deleted: 1 as const,
    };
    const [row] = decodeLogs([shouting], pools).tokenTransfers;
    expect(row).toMatchObject({
      token_address: `0x${'abc'.repeat(13)}d`,
      from_address: alice,
      is_deleted: 1,
    });
  });
});

describe('decodeLogs: Uniswap', () => {
  it('normalises a V2 swap to token in → token out, whichever side goes in', () => {
    const sell0 = v2Swap(1_000n, 0n, 0n, 3n);
    const sell1 = v2Swap(0n, 5n, 9_000n, 0n);
    const decoded = decodeLogs([sell0, sell1], pools);
    expect(decoded.dexSwaps).toEqual([
      {
        ...fromLog(sell0),
        protocol: 'uniswap_v2',
        pool_address: v2Pool,
        sender: router,
        recipient: alice,
        token_in: usdc,
        amount_in: 1_000n,
        token_out: weth,
        amount_out: 3n,
      },
      {
        ...fromLog(sell1),
        protocol: 'uniswap_v2',
        pool_address: v2Pool,
        sender: router,
        recipient: alice,
        token_in: weth,
        amount_in: 5n,
        token_out: usdc,
        amount_out: 9_000n,
      },
    ]);
  });

  it('takes the net direction of a V2 swap that has amounts in (and out) on both sides', () => {
    // 100 USDC and 2 WETH in, 7 WETH out: net 100 USDC in, 5 WETH out.
    const [swap] = decodeLogs([v2Swap(100n, 2n, 0n, 7n)], pools).dexSwaps;
    expect(swap).toMatchObject({ token_in: usdc, amount_in: 100n, token_out: weth, amount_out: 5n });
    // The pool gains both tokens net (an overpaid flash swap): fall back to the gross in and out.
    const [gross] = decodeLogs([v2Swap(10n, 20n, 4n, 0n)], pools).dexSwaps;
    expect(gross).toMatchObject({ token_in: weth, amount_in: 20n, token_out: usdc, amount_out: 4n });
  });

  it('decodes V3 swaps with signed amounts (positive = into the pool), down to -2^255', () => {
    const buyWeth = v3Swap(2_500_000_000n, -1_000_000_000_000_000_000n);
    const sellWeth = v3Swap(-(2n ** 255n), 1n);
    const decoded = decodeLogs([buyWeth, sellWeth], pools);
    expect(decoded.dexSwaps).toEqual([
      {
        ...fromLog(buyWeth),
        protocol: 'uniswap_v3',
        pool_address: v3Pool,
        sender: router,
        recipient: alice,
        token_in: usdc,
        amount_in: 2_500_000_000n,
        token_out: weth,
        amount_out: 10n ** 18n,
      },
      {
        ...fromLog(sellWeth),
        protocol: 'uniswap_v3',
        pool_address: v3Pool,
        sender: router,
        recipient: alice,
        token_in: weth,
        amount_in: 1n,
        token_out: usdc,
        amount_out: 2n ** 255n,
      },
    ]);
  });

  it('skips swaps and liquidity events of pools the lookup does not know, and counts them', () => {
    const stranger = addr(0xdead);
    const logs = [
      v2Swap(1n, 0n, 0n, 1n, stranger),
      v3Swap(1n, -1n, stranger),
      eventLog(stranger, signatures.v2Sync, { reserve0: 1n, reserve1: 2n }),
      eventLog(token, signatures.erc20Transfer, { from: alice, to: bob, value: 1n }),
    ];
    const decoded = decodeLogs(logs, pools);
    expect(decoded.dexSwaps).toEqual([]);
    expect(decoded.dexPoolEvents).toEqual([]);
    expect(decoded.tokenTransfers).toHaveLength(1);
    expect(decoded.unknownPool).toBe(3);
    expect(decoded.skipped).toBe(0);
  });

  it('decodes V2 Sync, Mint and Burn and V3 Mint and Burn (negative ticks) with the pool tokens', () => {
    const logs = [
      eventLog(v2Pool, signatures.v2Sync, { reserve0: 2n ** 112n - 1n, reserve1: 5n }),
      eventLog(v2Pool, signatures.v2Mint, { sender: router, amount0: 10n, amount1: 20n }),
      eventLog(v2Pool, signatures.v2Burn, { sender: router, amount0: 3n, amount1: 4n, to: bob }),
      eventLog(v3Pool, signatures.v3Mint, {
        sender: router,
        owner: alice,
        tickLower: -887_220,
        tickUpper: 60,
        amount: 2n ** 128n - 1n,
        amount0: 11n,
        amount1: 12n,
      }),
      eventLog(v3Pool, signatures.v3Burn, {
        owner: alice,
        tickLower: -60,
        tickUpper: 887_220,
        amount: 77n,
        amount0: 0n,
        amount1: 13n,
      }),
    ];
    const common = { token0: usdc, token1: weth };
    const v2 = {
      protocol: 'uniswap_v2',
      pool_address: v2Pool,
      liquidity: null,
      tick_lower: null,
      tick_upper: null,
    };
    expect(decodeLogs(logs, pools)).toEqual({
      ...nothing,
      dexPoolEvents: [
        {
          ...fromLog(logs[0]!),
          ...common,
          ...v2,
          event_type: 'sync',
          sender: null,
          owner: null,
          amount0: 2n ** 112n - 1n,
          amount1: 5n,
        },
        {
          ...fromLog(logs[1]!),
          ...common,
          ...v2,
          event_type: 'mint',
          sender: router,
          owner: null,
          amount0: 10n,
          amount1: 20n,
        },
        {
          ...fromLog(logs[2]!),
          ...common,
          ...v2,
          event_type: 'burn',
          sender: router,
          owner: bob,
          amount0: 3n,
          amount1: 4n,
        },
        {
          ...fromLog(logs[3]!),
          ...common,
          protocol: 'uniswap_v3',
          pool_address: v3Pool,
          event_type: 'mint',
          sender: router,
          owner: alice,
          amount0: 11n,
          amount1: 12n,
          liquidity: 2n ** 128n - 1n,
          tick_lower: -887_220,
          tick_upper: 60,
        },
        {
          ...fromLog(logs[4]!),
          ...common,
          protocol: 'uniswap_v3',
          pool_address: v3Pool,
          event_type: 'burn',
          sender: null,
          owner: alice,
          amount0: 0n,
          amount1: 13n,
          liquidity: 77n,
          tick_lower: -60,
          tick_upper: 887_220,
        },
      ],
    });
  });

  it('decodes factory events into pools: V2 PairCreated and V3 PoolCreated', () => {
    const pair = eventLog(factory, signatures.pairCreated, {
      token0: usdc,
      token1: weth,
      pair: v2Pool,
      index: 1n,
    });
    const pool = eventLog(factory, signatures.poolCreated, {
      token0: usdc,
      token1: weth,
      fee: 500,
      tickSpacing: 10,
      pool: v3Pool,
    });
    expect(decodeLogs([pair, pool], () => undefined).dexPools).toEqual([
      {
        ...fromLog(pair),
        pool_address: v2Pool,
        protocol: 'uniswap_v2',
        factory_address: factory,
        token0: usdc,
        token1: weth,
        fee: null,
      },
      {
        ...fromLog(pool),
        pool_address: v3Pool,
        protocol: 'uniswap_v3',
        factory_address: factory,
        token0: usdc,
        token1: weth,
        fee: 500,
      },
    ]);
  });
});

describe('decodeLogs: malformed logs', () => {
  it('skips and counts logs that match a signature but not its shape, and decodes the rest', () => {
    const transfer = eventLog(token, signatures.erc20Transfer, { from: alice, to: bob, value: 1n });
    const batch = eventLog(multi, signatures.transferBatch, {
      operator: router,
      from: alice,
      to: bob,
      ids: [1n, 2n],
      values: [1n, 2n],
    });
    const word = (n: bigint) => n.toString(16).padStart(64, '0');
    const malformed: LogRow[] = [
      // ERC-20 Transfer with a second data word, and with none.
      withData(transfer, `${transfer.data}${word(1n)}`),
      withData(transfer, '0x'),
      // Transfer with two topics (from indexed, to and value not): neither ERC-20 nor ERC-721.
      { ...transfer, topics: transfer.topics.slice(0, 2), data: `0x${word(BigInt(bob))}${word(1n)}` },
      // An address topic with dirt in its padding.
      {
        ...transfer,
        topics: [transfer.topics[0]!, `0x01${transfer.topics[1]!.slice(4)}`, transfer.topics[2]!],
      },
      // Data that is not whole words, or not hex.
      withData(transfer, `${transfer.data}00`),
      withData(transfer, `0x${'zz'.repeat(32)}`),
      // ERC-721 Transfer with data.
      withData(
        eventLog(nft, signatures.erc721Transfer, { from: alice, to: bob, tokenId: 1n }),
        `0x${word(1n)}`,
      ),
      // TransferBatch with arrays of different lengths, and with an offset past the end.
      withData(batch, `0x${word(64n)}${word(160n)}${word(2n)}${word(1n)}${word(2n)}${word(1n)}${word(1n)}`),
      withData(batch, `0x${word(64n)}${word(4096n)}${word(0n)}`),
      // ApprovalForAll whose bool is 2.
      withData(
        eventLog(nft, signatures.approvalForAll, { owner: alice, operator: bob, approved: true }),
        `0x${word(2n)}`,
      ),
      // V2 Swap with three words, and one where nothing moves.
      withData(v2Swap(1n, 0n, 0n, 1n), `0x${word(1n)}${word(0n)}${word(1n)}`),
      v2Swap(0n, 0n, 0n, 0n),
      // V3 Swap where both amounts go into the pool, and one whose tick is outside int24.
      v3Swap(5n, 5n),
      withData(v3Swap(1n, -1n), `${v3Swap(1n, -1n).data.slice(0, -64)}${word(2n ** 23n)}`),
      // Sync with a reserve above uint112.
      withData(
        eventLog(v2Pool, signatures.v2Sync, { reserve0: 1n, reserve1: 1n }),
        `0x${word(2n ** 112n)}${word(1n)}`,
      ),
    ];
    const unrelated = { ...transfer, topics: [`0x${'12'.repeat(32)}`], data: '0x' };
    const decoded = decodeLogs([...malformed, transfer, unrelated, batch], pools);
    expect(decoded.skipped).toBe(malformed.length);
    expect(decoded.unknownPool).toBe(0);
    expect(decoded.tokenTransfers.map((t) => [t.log_index, t.batch_index])).toEqual([
      [transfer.log_index, 0],
      [batch.log_index, 0],
      [batch.log_index, 1],
    ]);
    expect(decoded.dexSwaps).toEqual([]);
    expect(decoded.dexPoolEvents).toEqual([]);
    expect(decoded.tokenApprovals).toEqual([]);
  });

  it('decodes nothing from logs without topics and leaves them uncounted', () => {
    const anonymous = {
      ...eventLog(token, signatures.erc20Transfer, { from: alice, to: bob, value: 1n }),
      topics: [],
    };
    expect(decodeLogs([anonymous], pools)).toEqual(nothing);
  });
});

describe('findPoolAddresses', () => {
  it('lists each address that emitted a well-shaped V2/V3 swap or liquidity event once, in order', () => {
    const other = addr(0x5e);
    const logs = [
      eventLog(token, signatures.erc20Transfer, { from: alice, to: bob, value: 1n }),
      v3Swap(1n, -1n, v3Pool),
      v2Swap(1n, 0n, 0n, 1n, `0x${'A2'.padStart(40, '0')}`),
      eventLog(other, signatures.v2Sync, { reserve0: 1n, reserve1: 2n }),
      v2Swap(1n, 0n, 0n, 1n),
      eventLog(addr(0x5f), signatures.v3Burn, {
        owner: alice,
        tickLower: 0,
        tickUpper: 1,
        amount: 1n,
        amount0: 1n,
        amount1: 1n,
      }),
      // Factory events and malformed pool events do not make their emitter a pool.
      eventLog(factory, signatures.pairCreated, { token0: usdc, token1: weth, pair: v2Pool, index: 1n }),
      withData(v2Swap(1n, 0n, 0n, 1n, addr(0xbad)), '0x'),
    ];
    expect(findPoolAddresses(logs)).toEqual([v3Pool, v2Pool, other, addr(0x5f)]);
  });

  it('agrees with viem about every event topic', () => {
    const topics = Object.fromEntries(
      Object.entries(signatures).map(([name, signature]) => {
        const event = parseAbiItem(`event ${signature}`) as AbiEvent;
        return [name, (encodeEventTopics({ abi: [event], eventName: event.name } as never) as Hex[])[0]];
      }),
    );
    expect(topics).toEqual({
      erc20Transfer: eventTopics.transfer,
      erc721Transfer: eventTopics.transfer,
      transferSingle: eventTopics.transferSingle,
      transferBatch: eventTopics.transferBatch,
      erc20Approval: eventTopics.approval,
      erc721Approval: eventTopics.approval,
      approvalForAll: eventTopics.approvalForAll,
      v2Swap: eventTopics.v2Swap,
      v2Sync: eventTopics.v2Sync,
      v2Mint: eventTopics.v2Mint,
      v2Burn: eventTopics.v2Burn,
      pairCreated: eventTopics.v2PairCreated,
      v3Swap: eventTopics.v3Swap,
      v3Mint: eventTopics.v3Mint,
      v3Burn: eventTopics.v3Burn,
      poolCreated: eventTopics.v3PoolCreated,
    });
    expect(eventTopics.transfer).toBe('0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef');
    expect(eventTopics.v3Swap).toBe('0xc42079f94a6350d7e6235f29174924f928cc2ac818eb64fed8004e115fbcca67');
  });
});

describe('decoded rows in the warehouse', () => {
  const warehouse = useTestWarehouse();

  /** One log of every kind that makes a row of the new tables. */
  function everyNewRow() {
    return decodeLogs(
      [
        eventLog(token, signatures.erc20Approval, { owner: alice, spender: router, value: maxUint256 }),
        eventLog(nft, signatures.erc721Approval, { owner: alice, approved: bob, tokenId: maxUint256 }),
        eventLog(nft, signatures.approvalForAll, { owner: alice, operator: router, approved: false }),
        eventLog(factory, signatures.pairCreated, { token0: usdc, token1: weth, pair: v2Pool, index: 1n }),
        eventLog(factory, signatures.poolCreated, {
          token0: usdc,
          token1: weth,
          fee: 3000,
          tickSpacing: 60,
          pool: v3Pool,
        }),
        eventLog(v2Pool, signatures.v2Sync, { reserve0: 2n ** 112n - 1n, reserve1: 5n }),
        eventLog(v2Pool, signatures.v2Burn, { sender: router, amount0: 3n, amount1: 4n, to: bob }),
        eventLog(v3Pool, signatures.v3Mint, {
          sender: router,
          owner: alice,
          tickLower: -887_220,
          tickUpper: 887_220,
          amount: 2n ** 128n - 1n,
          amount0: maxUint256,
          amount1: 0n,
        }),
      ],
      pools,
    );
  }

  /** Every column of `table`, as strings (NULL as null), with times as unix seconds. */
  async function readBack(table: string): Promise<Record<string, string | null>[]> {
    const columns = await queryRows<{ name: string; type: string }>(warehouse(), `DESCRIBE TABLE ${table}`);
    const select = columns
      .map(({ name, type }) =>
        type.startsWith('DateTime')
          ? `toString(toUnixTimestamp(${name})) AS ${name}`
          : `toString(${name}) AS ${name}`,
      )
      .join(', ');
    return queryRows(warehouse(), `SELECT ${select} FROM ${table}`);
  }

  /** A decoded row as the warehouse should give it back: every value a string, is_deleted defaulted. */
  const asStored = (row: object) =>
    Object.fromEntries(
      Object.entries({ is_deleted: 0, ...row }).map(([key, value]) => [
        key,
        value === null ? null : String(value),
      ]),
    );

  it('the migrations create the three tables with one row per log (per pool for dex_pools)', async () => {
    const tables = await queryRows<{
      name: string;
      engine: string;
      sorting_key: string;
      partition_key: string;
    }>(
      warehouse(),
      `SELECT name, engine, sorting_key, partition_key FROM system.tables
       WHERE database = currentDatabase() AND name IN ('token_approvals', 'dex_pools', 'dex_pool_events')
       ORDER BY name`,
    );
    expect(tables).toEqual([
      {
        name: 'dex_pool_events',
        engine: 'ReplacingMergeTree',
        sorting_key: 'chain_id, block_number, log_index',
        partition_key: 'intDiv(block_number, 1000000)',
      },
      {
        name: 'dex_pools',
        engine: 'ReplacingMergeTree',
        sorting_key: 'chain_id, pool_address',
        partition_key: '',
      },
      {
        name: 'token_approvals',
        engine: 'ReplacingMergeTree',
        sorting_key: 'chain_id, block_number, log_index',
        partition_key: 'intDiv(block_number, 1000000)',
      },
    ]);
  });

  it('stores decoded rows of every new type exactly, once per key however often they are inserted', async () => {
    const decoded = everyNewRow();
    expect(decoded.tokenApprovals).toHaveLength(3);
    expect(decoded.dexPools).toHaveLength(2);
    expect(decoded.dexPoolEvents).toHaveLength(3);
    const tables: { [T in 'token_approvals' | 'dex_pools' | 'dex_pool_events']: TableRows[T][] } = {
      token_approvals: decoded.tokenApprovals,
      dex_pools: decoded.dexPools,
      dex_pool_events: decoded.dexPoolEvents,
    };
    for (let time = 0; time < 2; time += 1) {
      await insertRows(warehouse(), 'token_approvals', tables.token_approvals);
      await insertRows(warehouse(), 'dex_pools', tables.dex_pools);
      await insertRows(warehouse(), 'dex_pool_events', tables.dex_pool_events);
    }
    for (const [table, rows] of Object.entries(tables)) {
      const byLog = (a: Record<string, unknown>, b: Record<string, unknown>) =>
        Number(a.log_index) - Number(b.log_index);
      // Every column is one the decoder fills, and every value comes back as it went in.
      expect((await readBack(table)).sort(byLog), table).toEqual(rows.map(asStored).sort(byLog));
    }
  });

  it('rows decoded from a tombstoned log (after a reorg) remove the stored rows', async () => {
    const log = eventLog(token, signatures.erc20Approval, { owner: alice, spender: router, value: 5n });
    await insertRows(warehouse(), 'token_approvals', decodeLogs([log], pools).tokenApprovals);
    expect(await readBack('token_approvals')).toHaveLength(1);
    const tombstones = decodeLogs([{ ...log, version: 8, is_deleted: 1 }], pools).tokenApprovals;
    expect(tombstones).toMatchObject([{ version: 8, is_deleted: 1 }]);
    await insertRows(warehouse(), 'token_approvals', tombstones);
    expect(await readBack('token_approvals')).toEqual([]);
  });
});
