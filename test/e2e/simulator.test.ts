import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicClient, type Hex, http, parseAbiItem } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Devnet, startDevnet } from '../../src/chain/devnet/startDevnet.js';
import { scenarios } from '../../src/chain/simulator/scenarioParams.js';
import { type SimulationResult, simulate } from '../../src/chain/simulator/simulate.js';
import { runCli } from '../setup/spawnProcess.js';
import { useTempDir } from '../setup/testWarehouse.js';

async function blockHashes(devnet: Devnet, last: number): Promise<Hex[]> {
  const client = createPublicClient({ transport: http(devnet.url, { retryCount: 0, batch: true }) });
  const blocks = await Promise.all(
    Array.from({ length: last + 1 }, (_, n) => client.getBlock({ blockNumber: BigInt(n) })),
  );
  return blocks.map((b) => b.hash);
}

describe('world simulator on a real devnet', () => {
  const tmp = useTempDir();
  let first: { devnet: Devnet; result: SimulationResult; hashes: Hex[] };

  beforeAll(async () => {
    const devnet = await startDevnet();
    const result = await simulate({ rpc: devnet.provider, seed: 1, scale: 'small', verifyBalances: true });
    first = { devnet, result, hashes: await blockHashes(devnet, result.lastBlock) };
  });
  afterAll(() => first?.devnet.stop());

  it('is deterministic: the same seed on a fresh node gives the same block hashes (over HTTP too)', async () => {
    const devnet = await startDevnet();
    try {
      const again = await simulate({ rpc: devnet.url, seed: 1, scale: 'small' });
      expect(again.lastBlock).toBe(first.result.lastBlock);
      expect(again.transactions).toBe(first.result.transactions);
      expect(await blockHashes(devnet, again.lastBlock)).toEqual(first.hashes);
    } finally {
      await devnet.stop();
    }
  });

  it('plants the small world at the documented size', () => {
    const { result } = first;
    const params = scenarios.small;
    expect(result.transactions).toBeGreaterThan(1_500);
    expect(result.transactions).toBeLessThan(3_000);
    const accounts = result.labels.filter((l) => !l.isContract).length;
    expect(accounts).toBeGreaterThan(250);
    expect(accounts).toBeLessThan(400);
    const farms = new Set(result.labels.filter((l) => l.label === 'sybil').map((l) => l.clusterId));
    expect(farms.size).toBe(params.farms);
    for (const farm of farms) {
      expect(result.labels.filter((l) => l.clusterId === farm).length).toBeGreaterThanOrEqual(
        params.farmSize[0] + 1,
      );
    }
    for (const label of [
      'phishing',
      'drainer',
      'launderer',
      'poisoner',
      'rug',
      'whale',
      'organic',
    ] as const) {
      expect(
        result.labels.some((l) => l.label === label),
        label,
      ).toBe(true);
    }
  });

  it('labels every address that sent a transaction, and every labelled contract has code', async () => {
    const client = createPublicClient({ transport: http(first.devnet.url, { retryCount: 0, batch: true }) });
    const labelled = new Map(first.result.labels.map((l) => [l.address.toLowerCase(), l]));
    const senders = new Set<string>();
    for (let n = 1n; n <= BigInt(first.result.lastBlock); n += 1n) {
      const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) senders.add(tx.from.toLowerCase());
    }
    expect([...senders].filter((s) => !labelled.has(s))).toEqual([]);
    const contracts = first.result.labels.filter((l) => l.isContract);
    expect(contracts.map((c) => c.label).sort()).toEqual(
      expect.arrayContaining(['drainer', 'rug', 'protocol']),
    );
    // Every contract of the world's own protocols is labelled `protocol`, but a rug pull's token stays `rug`.
    const { result } = first;
    const labelOf = (address: string) => labelled.get(address.toLowerCase())?.label;
    for (const address of [...Object.values(result.contracts), ...result.pools.map((p) => p.address)])
      expect(labelOf(address), address).toBe('protocol');
    for (const { address, symbol } of result.tokens)
      expect(labelOf(address), symbol).toBe(symbol.startsWith('MOON') ? 'rug' : 'protocol');
    for (const contract of contracts)
      expect(await client.getCode({ address: contract.address })).toMatch(/^0x[0-9a-f]{100,}/);
  });

  it('viem reads Swap, Sync and Transfer logs back, and the mirror matched the chain throughout', async () => {
    const client = createPublicClient({ transport: http(first.devnet.url, { retryCount: 0 }) });
    const range = { fromBlock: 0n, toBlock: BigInt(first.result.lastBlock) };
    const swaps = await client.getLogs({
      event: parseAbiItem(
        'event Swap(address indexed sender, uint amount0In, uint amount1In, uint amount0Out, uint amount1Out, address indexed to)',
      ),
      ...range,
    });
    const syncs = await client.getLogs({
      event: parseAbiItem('event Sync(uint112 reserve0, uint112 reserve1)'),
      ...range,
    });
    const transfers = await client.getLogs({
      event: parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)'),
      ...range,
    });
    expect(swaps.length).toBeGreaterThan(200);
    expect(syncs.length).toBeGreaterThan(swaps.length);
    expect(transfers.length).toBeGreaterThan(swaps.length);
    for (const swap of swaps) {
      const { amount0In, amount1In, amount0Out, amount1Out } = swap.args;
      expect((amount0In! > 0n || amount1In! > 0n) && (amount0Out! > 0n || amount1Out! > 0n)).toBe(true);
    }
    const pools = new Set(first.result.pools.map((p) => p.address.toLowerCase()));
    expect(swaps.filter((s) => !pools.has(s.address.toLowerCase()))).toEqual([]);
    expect(syncs.filter((s) => !pools.has(s.address.toLowerCase()))).toEqual([]);
  });

  it('`chaingnn devnet simulate` writes the labels CSV and inserts them into the warehouse', async () => {
    const devnet = await startDevnet();
    try {
      const env = { CHAINGNN_DATA_DIR: join(tmp(), 'data') };
      expect((await runCli(['migrate'], env)).code).toBe(0);
      const labelsFile = join(tmp(), 'labels.csv');
      const run = await runCli(
        ['devnet', 'simulate', '--rpc', devnet.url, '--seed', '1', '--labels', labelsFile, '--insert-labels'],
        env,
      );
      expect(run.stderr).toContain('block');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Simulated small world, seed 1: \d+ transactions in \d+ blocks/);
      const csv = readFileSync(labelsFile, 'utf8').trim().split('\n');
      expect(csv[0]).toBe('address,label,cluster_id,is_contract');
      expect(csv.length - 1).toBe(first.result.labels.length);
      const sybils = first.result.labels.filter((l) => l.label === 'sybil');
      for (const s of sybils) expect(csv).toContain(`${s.address.toLowerCase()},sybil,${s.clusterId},0`);
      const count = await runCli(
        ['sql', "SELECT count() AS n FROM address_labels WHERE source = 'simulation'", '-f', 'json'],
        env,
      );
      expect(count.stdout).toBe(`{"n":"${first.result.labels.length}"}\n`);
    } finally {
      await devnet.stop();
    }
  });
});
