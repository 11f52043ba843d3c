import { createPublicClient, createTestClient, createWalletClient, http, parseAbiItem } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Devnet, startDevnet } from '../../src/chain/devnet/startDevnet.js';
import { createRpcClient } from '../../src/chain/rpc/createRpcClient.js';
import { type SimulationResult, simulate } from '../../src/chain/simulator/simulate.js';
import { createLogger } from '../../src/internal/createLogger.js';
import { type IndexerProgress, runIndexer } from '../../src/tasks/indexer/runIndexer.js';
import { blockScopedTables } from '../../src/warehouse/deleteBlocksAbove.js';
import { getTableChecksums } from '../../src/warehouse/getTableChecksums.js';
import { startFaultyProxy } from '../setup/startFaultyProxy.js';
import { queryRows, useTestWarehouse } from '../setup/testWarehouse.js';

const logger = createLogger({ level: 'silent' });

describe('indexer on the simulated devnet', () => {
  const warehouse = useTestWarehouse();
  let devnet: Devnet;
  let world: SimulationResult;

  beforeAll(async () => {
    devnet = await startDevnet();
    world = await simulate({ rpc: devnet.provider, seed: 2, scale: 'small' });
  });
  afterAll(() => devnet?.stop());

  it('writes exactly what the chain holds: blocks, transactions, logs, and every Transfer and Swap as viem decodes it', async () => {
    const rpc = createRpcClient({ url: devnet.url });
    const writes: IndexerProgress[] = [];
    const result = await runIndexer({
      rpc,
      warehouse: warehouse(),
      logger,
      to: world.lastBlock,
      batchBlocks: 40,
      // Every batch gathered into one write, made once the indexer has caught up.
      minRowsPerWrite: Number.MAX_SAFE_INTEGER,
      maxWriteDelayMs: Number.MAX_SAFE_INTEGER,
      onProgress: (progress) => writes.push(progress),
    });
    expect(result.block).toBe(world.lastBlock);
    expect(world.lastBlock).toBeGreaterThan(4 * 40);
    expect(writes.map((w) => w.block)).toEqual([world.lastBlock]);
    const client = createPublicClient({ transport: http(devnet.url, { retryCount: 0 }) });
    const range = { fromBlock: 0n, toBlock: BigInt(world.lastBlock) };
    const allLogs = await client.getLogs(range);
    const [counts] = await queryRows<Record<string, string>>(
      warehouse(),
      `SELECT (SELECT count() FROM blocks) AS blocks, (SELECT count() FROM transactions) AS txs,
              (SELECT count() FROM logs) AS logs, (SELECT countIf(status = 1) FROM transactions) AS ok`,
    );
    expect(counts).toMatchObject({
      blocks: String(world.lastBlock + 1),
      txs: String(world.transactions),
      logs: String(allLogs.length),
    });

    const transfers = await client.getLogs({
      event: parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)'),
      ...range,
      strict: true,
    });
    const stored = await queryRows<{ key: string }>(
      warehouse(),
      `SELECT concat(transaction_hash, ':', toString(log_index), ':', from_address, ':', to_address, ':', toString(value)) AS key
       FROM token_transfers WHERE token_standard = 'erc20' ORDER BY block_number, log_index`,
    );
    const expected = transfers
      .filter((l) => l.topics.length === 3)
      .map(
        (l) =>
          `${l.transactionHash}:${l.logIndex}:${l.args.from.toLowerCase()}:${l.args.to.toLowerCase()}:${l.args.value}`,
      );
    expect(stored.map((r) => r.key)).toEqual(expected);

    const swaps = await client.getLogs({
      event: parseAbiItem(
        'event Swap(address indexed sender, uint amount0In, uint amount1In, uint amount0Out, uint amount1Out, address indexed to)',
      ),
      ...range,
      strict: true,
    });
    const storedSwaps = await queryRows<{ key: string }>(
      warehouse(),
      `SELECT concat(transaction_hash, ':', toString(log_index), ':', pool_address, ':', toString(amount_in), ':', toString(amount_out)) AS key
       FROM dex_swaps ORDER BY block_number, log_index`,
    );
    const expectedSwaps = swaps.map((s) => {
      const { amount0In, amount1In, amount0Out, amount1Out } = s.args;
      const [amountIn, amountOut] = amount0In > 0n ? [amount0In, amount1Out] : [amount1In, amount0Out];
      return `${s.transactionHash}:${s.logIndex}:${s.address.toLowerCase()}:${amountIn}:${amountOut}`;
    });
    expect(storedSwaps.map((r) => r.key)).toEqual(expectedSwaps);
    expect(expectedSwaps.length).toBeGreaterThan(100);

    const again = await runIndexer({ rpc, warehouse: warehouse(), logger, to: world.lastBlock });
    expect(again.blocks).toBe(0);
  });

  it('completes with identical data through a provider that fails 20% of requests, rate-limits and refuses batches', async () => {
    const reference = await runIndexer({
      rpc: createRpcClient({ url: devnet.url }),
      warehouse: warehouse(),
      logger,
      to: world.lastBlock,
    });
    const expected = await getTableChecksums(warehouse(), Object.keys(blockScopedTables));
    await warehouse().client.command({ query: 'TRUNCATE TABLE indexer_checkpoints' });
    for (const table of Object.keys(blockScopedTables))
      await warehouse().client.command({ query: `TRUNCATE TABLE ${table}` });

    const proxy = await startFaultyProxy({
      target: devnet.url,
      failureRate: 0.2,
      burstPer100ms: 40,
      refuseBatches: true,
      seed: 7,
    });
    try {
      const rpc = createRpcClient({ url: proxy.url, backoffMs: 5, maxAttempts: 12 });
      const result = await runIndexer({ rpc, warehouse: warehouse(), logger, to: world.lastBlock });
      expect(result.block).toBe(reference.block);
      expect(await getTableChecksums(warehouse(), Object.keys(blockScopedTables))).toEqual(expected);
      expect(proxy.stats.failed).toBeGreaterThan(10);
      expect(proxy.stats.rateLimited).toBeGreaterThan(0);
      expect(proxy.stats.batchesRefused).toBeGreaterThan(0);
      // Every 5xx is retried; a dropped connection that was kept alive is sent again on a new one without
      // counting as a retry (the client cannot tell it from the server closing an idle connection).
      expect(rpc.stats.retries).toBeGreaterThanOrEqual(proxy.stats.failed - proxy.stats.dropped);
      expect(rpc.stats.retries).toBeGreaterThan(0);
    } finally {
      await proxy.stop();
    }
  });

  it('logs-only mode writes the same blocks, logs and events as full mode through capped, failing eth_getLogs', async () => {
    const shared = [
      'blocks',
      'logs',
      'token_transfers',
      'token_approvals',
      'dex_swaps',
      'dex_pools',
      'dex_pool_events',
    ];
    await runIndexer({
      rpc: createRpcClient({ url: devnet.url }),
      warehouse: warehouse(),
      logger,
      to: world.lastBlock,
    });
    const expected = await getTableChecksums(warehouse(), shared);
    await expect(
      runIndexer({ rpc: createRpcClient({ url: devnet.url }), warehouse: warehouse(), logger, mode: 'logs' }),
    ).rejects.toThrow(/indexed in full mode \(up to block \d+\), not logs mode/);
    const truncateAll = async () => {
      for (const table of [...Object.keys(blockScopedTables), 'indexer_checkpoints'])
        await warehouse().client.command({ query: `TRUNCATE TABLE ${table}` });
    };
    await truncateAll();

    const proxy = await startFaultyProxy({
      target: devnet.url,
      failureRate: 0.2,
      burstPer100ms: 40,
      maxLogBlocks: 40,
      maxLogResults: 150,
      seed: 11,
    });
    try {
      const rpc = createRpcClient({ url: proxy.url, backoffMs: 5, maxAttempts: 12 });
      const result = await runIndexer({
        rpc,
        warehouse: warehouse(),
        logger,
        to: world.lastBlock,
        mode: 'logs',
      });
      expect(result).toMatchObject({ block: world.lastBlock, transactions: 0 });
      expect(await getTableChecksums(warehouse(), shared)).toEqual(expected);
      expect(proxy.stats.rangesRefused).toBeGreaterThan(0);
      expect(proxy.stats.resultsRefused).toBeGreaterThan(0);
      expect(proxy.stats.failed).toBeGreaterThan(5);
    } finally {
      await proxy.stop();
    }

    // A reply over the client's size limit (viem's is 10 MB) is a range limit too: split, not fail.
    await truncateAll();
    const small = createRpcClient({ url: devnet.url, maxResponseBytes: 256 * 1024 });
    await runIndexer({ rpc: small, warehouse: warehouse(), logger, to: world.lastBlock, mode: 'logs' });
    expect(await getTableChecksums(warehouse(), shared)).toEqual(expected);
  });

  it('ignores a PairCreated from a contract that did not create the pair (the pair keeps its factory and tokens)', async () => {
    const real = world.pools[0]!;
    const account = privateKeyToAccount(devnet.fundedKeys[5]!);
    const wallet = createWalletClient({ account, transport: http(devnet.url, { retryCount: 0 }) });
    const test = createTestClient({ mode: 'hardhat', transport: http(devnet.url, { retryCount: 0 }) });
    const client = createPublicClient({ transport: http(devnet.url, { retryCount: 0 }) });
    const mined = async (hash: `0x${string}`) => {
      await test.mine({ blocks: 1 });
      return client.getTransactionReceipt({ hash });
    };
    // 21 bytes of runtime: LOG3(memory[0x60..0xa0], topics = calldata words 0, 1, 2), data = calldata words 3, 4.
    const emitter = '0x36600060003760405160205160005160406060a300';
    const initCode = `0x6015600c60003960156000f3${emitter.slice(2)}` as const;
    const deployed = await mined(await wallet.deployContract({ abi: [], bytecode: initCode, chain: null }));
    const spoofer = deployed.contractAddress!;
    const word = (hex: string) => hex.slice(2).toLowerCase().padStart(64, '0');
    const pairCreated = '0x0d3648bd0f6ba80134a33ba9275ac585d9d315f0ad8355cddefde31afa28d0e9';
    const fakeToken = '0x00000000000000000000000000000000000f4ce0';
    await mined(
      await wallet.sendTransaction({
        to: spoofer,
        data: `0x${word(pairCreated)}${word(fakeToken)}${word(real.token1)}${word(real.address)}${word('0x1')}`,
        chain: null,
      }),
    );

    const result = await runIndexer({
      rpc: createRpcClient({ url: devnet.url }),
      warehouse: warehouse(),
      logger,
    });
    const spoofLogs = await queryRows<{ n: string }>(
      warehouse(),
      `SELECT count() AS n FROM logs WHERE address = '${spoofer.toLowerCase()}' AND topics[1] = '${pairCreated}'`,
    );
    expect(spoofLogs).toEqual([{ n: '1' }]);
    expect(result.block).toBeGreaterThan(world.lastBlock);
    const stored = await queryRows(
      warehouse(),
      `SELECT factory_address, token0, token1 FROM dex_pools WHERE pool_address = '${real.address.toLowerCase()}'`,
    );
    expect(stored).toEqual([
      {
        factory_address: world.contracts.factory.toLowerCase(),
        token0: real.token0.toLowerCase(),
        token1: real.token1.toLowerCase(),
      },
    ]);
    const [{ pools }] = (await queryRows<{ pools: string }>(
      warehouse(),
      'SELECT count() AS pools FROM dex_pools',
    )) as [{ pools: string }];
    expect(Number(pools)).toBe(world.pools.length);
  });

  it('keeps only canonical rows when the chain reorganises while it follows', async () => {
    const node = await startDevnet();
    try {
      const rpc = createRpcClient({ url: node.url, backoffMs: 10 });
      const account = privateKeyToAccount(node.fundedKeys[3]!);
      const wallet = createWalletClient({ account, transport: http(node.url, { retryCount: 0 }) });
      const test = createTestClient({ mode: 'hardhat', transport: http(node.url, { retryCount: 0 }) });
      const send = (value: bigint) =>
        wallet.sendTransaction({ to: '0x000000000000000000000000000000000000dEaD', value, chain: null });
      for (let i = 0; i < 3; i += 1) await send(1n);

      let latest: IndexerProgress | undefined;
      const waiters = new Set<{ block: number; resolve: (p: IndexerProgress) => void }>();
      const reached = (block: number) =>
        latest && latest.block >= block
          ? Promise.resolve(latest)
          : new Promise<IndexerProgress>((resolve) => waiters.add({ block, resolve }));
      const controller = new AbortController();
      const following = runIndexer({
        rpc,
        warehouse: warehouse(),
        logger,
        follow: true,
        pollIntervalMs: 20,
        signal: controller.signal,
        onProgress: (p) => {
          latest = p;
          for (const waiter of [...waiters]) {
            if (p.block < waiter.block) continue;
            waiters.delete(waiter);
            waiter.resolve(p);
          }
        },
      });
      await reached(3);
      const snapshot = await test.snapshot();
      const orphaned = [await send(2n), await send(3n)];
      await reached(5);
      await test.revert({ id: snapshot });
      const canonical = [await send(4n), await send(5n), await send(6n)];
      const after = await reached(6);
      controller.abort();
      await following;
      expect(after.reorgs).toBeGreaterThanOrEqual(1);

      const client = createPublicClient({ transport: http(node.url, { retryCount: 0 }) });
      const chainHashes = await Promise.all(
        [0, 1, 2, 3, 4, 5, 6].map(async (n) => (await client.getBlock({ blockNumber: BigInt(n) })).hash),
      );
      const stored = await queryRows<{ number: string; hash: string }>(
        warehouse(),
        'SELECT number, hash FROM blocks ORDER BY number',
      );
      expect(stored.map((b) => b.hash)).toEqual(chainHashes);
      const txs = await queryRows<{ hash: string }>(
        warehouse(),
        'SELECT hash FROM transactions ORDER BY block_number',
      );
      const hashes = txs.map((t) => t.hash);
      for (const tx of orphaned) expect(hashes).not.toContain(tx);
      for (const tx of canonical) expect(hashes).toContain(tx);
      expect(hashes).toHaveLength(6);
    } finally {
      await node.stop();
    }
  });
});
