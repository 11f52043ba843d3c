import { describe, expect, it } from 'vitest';
import { queryRows, useTempDir, useTestWarehouse } from '../../../test/setup/testWarehouse.js';
import { computeGraphFeatures, graphFeatureNames } from '../../graph/computeGraphFeatures.js';
import { readEdgeValues, readSnapshotFile } from '../../graph/snapshotFile.js';
import { createLogger } from '../../internal/createLogger.js';
import { edgeTypes, type GraphSnapshot, nodeKinds, noToken, type SnapshotPoint } from '../../types/graph.js';
import type { TableRows } from '../../types/tableRows.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { insertRows } from '../../warehouse/insertRows.js';
import { getSnapshotPoint } from '../../warehouse/snapshots/getSnapshotPoint.js';
import { readSnapshotEdges, readSnapshotNodes } from '../../warehouse/snapshots/readSnapshotGraph.js';
import { type StageOptions, stageSnapshotGraph } from '../../warehouse/snapshots/stageSnapshotGraph.js';
import { buildSnapshot, featureNames } from './buildSnapshot.js';

const logger = createLogger({ level: 'silent' });
const chainId = 1;
const a = (prefix: string) => `0x${prefix.padEnd(40, '0')}`;
// Sorted: T (token), R (router), P (pool), A, B, C, F (accounts); W (the pool's other token) appears nowhere else.
const [T, R, P, A, B, C, F, W, D, E] = ['7', '8', '9', 'a', 'b', 'c', 'f', '5', 'd', 'e'].map(a) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  string,
];
const eth = 10n ** 18n;
/** Block n is at 22:13:20 UTC plus n hours (1,700,000,000 s is 22:13:20 on 2023-11-14). */
const time = (block: number) => 1_700_000_000 + block * 3_600;
const inBlock = (block: number) => ({
  chain_id: chainId,
  version: 1,
  block_number: block,
  block_hash: `0x${block.toString(16).padStart(64, '0')}`,
  block_timestamp: time(block),
});

function tx(
  block: number,
  index: number,
  from: string,
  to: string,
  value: bigint,
  extra: { input?: string; status?: 0 | 1; gasUsed?: number; gwei?: number } = {},
): TableRows['transactions'] {
  return {
    ...inBlock(block),
    transaction_index: index,
    hash: `0x${(block * 100 + index).toString(16).padStart(64, '0')}`,
    nonce: 0,
    from_address: from,
    to_address: to,
    value,
    gas: 100_000,
    gas_price: null,
    max_fee_per_gas: null,
    max_priority_fee_per_gas: null,
    transaction_type: 2,
    input: extra.input ?? '0x',
    status: extra.status ?? 1,
    gas_used: extra.gasUsed ?? 21_000,
    cumulative_gas_used: extra.gasUsed ?? 21_000,
    effective_gas_price: BigInt(extra.gwei ?? 10) * 10n ** 9n,
    contract_address: null,
  };
}

function transfer(
  block: number,
  index: number,
  from: string,
  to: string,
  value: bigint,
): TableRows['token_transfers'] {
  return {
    ...inBlock(block),
    transaction_index: index,
    transaction_hash: `0x${(block * 100 + index).toString(16).padStart(64, '0')}`,
    log_index: 0,
    batch_index: 0,
    token_address: T,
    token_standard: 'erc20',
    operator: null,
    from_address: from,
    to_address: to,
    token_id: null,
    value,
  } as TableRows['token_transfers'];
}

function contract(
  block: number,
  address: string,
  codeSize: number,
  standard: string,
): TableRows['contracts'] {
  return {
    ...inBlock(block),
    address,
    creator_address: F,
    transaction_hash: '0x',
    code_size: codeSize,
    code_hash: '',
    standard,
  };
}

function swap(block: number, index: number, pool: string): TableRows['dex_swaps'] {
  return {
    ...inBlock(block),
    transaction_index: index,
    transaction_hash: `0x${(block * 100 + index).toString(16).padStart(64, '0')}`,
    log_index: 1,
    protocol: 'uniswap_v2',
    pool_address: pool,
    sender: R,
    recipient: B,
    token_in: W,
    token_out: T,
    amount_in: eth / 2n,
    amount_out: 1_000n,
  };
}

const transferCall = '0xa9059cbb';

/** Blocks 0..5: F funds A and B; A calls T (a transfer to B); B swaps through R in P; A funds C; A's call at 5 fails. */
async function writeWorld(warehouse: Warehouse): Promise<void> {
  await insertRows(
    warehouse,
    'blocks',
    [0, 1, 2, 3, 4, 5].map((n) => block(n)),
  );
  await insertRows(warehouse, 'contracts', [
    contract(0, T, 100, 'erc20'),
    contract(0, R, 200, 'unknown'),
    contract(0, P, 300, 'unknown'),
  ]);
  await insertRows(warehouse, 'dex_pools', [
    {
      ...inBlock(0),
      transaction_index: 0,
      transaction_hash: '0x',
      log_index: 0,
      pool_address: P,
      protocol: 'uniswap_v2',
      factory_address: F,
      token0: W,
      token1: T,
      fee: null,
    },
  ]);
  await insertRows(warehouse, 'transactions', [
    tx(1, 0, F, A, eth),
    tx(1, 1, F, B, 2n * eth),
    tx(2, 0, A, T, 0n, { input: transferCall, gasUsed: 50_000, gwei: 20 }),
    tx(3, 0, B, R, eth / 2n, { input: '0x7ff36ab5', gasUsed: 120_000 }),
    tx(4, 0, A, C, eth / 4n, { gwei: 30 }),
    tx(5, 0, A, T, 0n, { input: transferCall, status: 0, gasUsed: 30_000, gwei: 10 }),
  ]);
  await insertRows(warehouse, 'token_transfers', [transfer(2, 0, A, B, 100n)]);
  await insertRows(warehouse, 'dex_swaps', [swap(3, 0, P)]);
}

/** Blocks 6..8, all after the snapshot point: new addresses, new edges between old ones, a new contract and pool. */
async function writeLater(warehouse: Warehouse): Promise<void> {
  await insertRows(
    warehouse,
    'blocks',
    [6, 7, 8].map((n) => block(n)),
  );
  await insertRows(warehouse, 'transactions', [
    tx(6, 0, C, A, eth),
    tx(6, 1, F, E, eth),
    tx(7, 0, A, D, 0n, { input: '0x12345678' }),
    tx(8, 0, C, R, eth, { input: '0x7ff36ab5' }),
  ]);
  await insertRows(warehouse, 'contracts', [contract(7, D, 999, 'erc20'), contract(7, A, 1, 'unknown')]);
  await insertRows(warehouse, 'token_transfers', [transfer(6, 1, B, C, 5n), transfer(8, 0, A, F, 7n)]);
  await insertRows(warehouse, 'dex_swaps', [swap(8, 0, P), swap(8, 1, E)]);
}

function block(n: number): TableRows['blocks'] {
  return {
    chain_id: chainId,
    version: 1,
    number: n,
    hash: `0x${n.toString(16).padStart(64, '0')}`,
    parent_hash: `0x${Math.max(0, n - 1)
      .toString(16)
      .padStart(64, '0')}`,
    timestamp: time(n),
    miner: F,
    gas_limit: 30_000_000,
    gas_used: 0,
    base_fee_per_gas: null,
    transaction_count: 0,
  };
}

const names = new Map([T, R, P, A, B, C, F, W, D, E].map((address, i) => [address, 'TRPABCFWDE'[i]!]));

/** Each edge as [`S>D type[:token]`, count, first block, last block], nodes by their letter, in edge order. */
function listEdges({
  nodes,
  edges,
}: Pick<GraphSnapshot, 'nodes' | 'edges'>): [string, number, number, number][] {
  const name = (v: number) => names.get(nodes.addresses[v]!);
  return Array.from(edges.src, (s, e) => [
    `${name(s)}>${name(edges.dst[e]!)} ${edgeTypes[edges.type[e]!]}${edges.token[e] === noToken ? '' : `:${name(edges.token[e]!)}`}`,
    edges.count[e]!,
    edges.firstBlock[e]!,
    edges.lastBlock[e]!,
  ]);
}

/** Stages the graph as of `point` and reads it back (nodes, edges and the exact values), dropping the stage. */
async function readStaged(warehouse: Warehouse, point: SnapshotPoint, options: StageOptions = {}) {
  const staged = await stageSnapshotGraph(warehouse, point, 'staged', options);
  try {
    const chunks: Uint8Array[] = [];
    const nodes = await readSnapshotNodes(warehouse, staged);
    const edges = await readSnapshotEdges(warehouse, staged, (bytes) => chunks.push(bytes.slice()));
    return {
      nodes,
      edges,
      values: Buffer.concat(chunks),
      keyedByAddressBecause: staged.keyedByAddressBecause,
      valueBytes: staged.valueBytes,
    };
  } finally {
    await staged.drop();
  }
}

describe('buildSnapshot on a hand-written warehouse', () => {
  const warehouse = useTestWarehouse();
  const dataDir = useTempDir();

  it('builds exactly the expected nodes, typed edges and features as of block 5', async () => {
    await writeWorld(warehouse());
    const built = await buildSnapshot({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      chainId,
      asOfBlock: 5,
    });
    const { nodes, edges } = built.snapshot;
    expect(nodes.addresses).toEqual([T, R, P, A, B, C, F]);
    expect(Array.from(nodes.kind)).toEqual([2, 1, 3, 0, 0, 0, 0]);

    const listed = listEdges(built.snapshot);
    expect(listed).toEqual([
      ['A>T call', 1, 2, 2],
      ['A>B token:T', 1, 2, 2],
      ['A>C native', 1, 4, 4],
      ['A>C funding', 1, 4, 4],
      ['B>R call', 1, 3, 3],
      ['B>R native', 1, 3, 3],
      ['B>P swap', 1, 3, 3],
      ['F>A native', 1, 1, 1],
      ['F>A funding', 1, 1, 1],
      ['F>B native', 1, 1, 1],
      ['F>B funding', 1, 1, 1],
    ]);
    const edge = (label: string) => listed.findIndex(([l]) => l === label);
    expect(edges.logTotal[edge('F>B native')]).toBeCloseTo(Math.log1p(2e18), 3);
    expect(edges.logTotal[edge('A>B token:T')]).toBeCloseTo(Math.log1p(100), 5);
    expect(edges.logMax[edge('B>P swap')]).toBeCloseTo(Math.log1p(5e17), 3);
    // Exact raw values, beside the snapshot file.
    const exact = readEdgeValues(built.file, built, [
      edge('F>B native'),
      edge('A>B token:T'),
      edge('B>P swap'),
    ]);
    expect(exact).toEqual([
      { total: 2n * eth, max: 2n * eth },
      { total: 100n, max: 100n },
      { total: eth / 2n, max: eth / 2n },
    ]);
    // CSR: out by source shares the edge order; in lists the same edges by target.
    expect(Array.from(built.snapshot.out.offsets)).toEqual([0, 0, 0, 0, 4, 7, 7, 11]);
    expect(Array.from(built.snapshot.in.offsets)).toEqual([0, 1, 3, 4, 6, 9, 11, 11]);

    const feature = (address: string, feature: string) =>
      built.rawFeatures[
        nodes.addresses.indexOf(address) * featureNames.length + featureNames.indexOf(feature)
      ];
    const hourEntropy = -(3 * 0.2 * Math.log2(0.2) + 0.4 * Math.log2(0.4)); // hours 23, 0, 0, 2, 3
    const gaps = [3_600, 0, 7_200, 3_600]; // events at blocks 1, 2, 2, 4, 5
    const mu = 3_600;
    const sigma = Math.sqrt(gaps.reduce((s, g) => s + (g - mu) ** 2, 0) / gaps.length);
    const expectedA: Record<string, number> = {
      tx_sent: 3,
      tx_failed_share: 1 / 3,
      tx_received: 1,
      eth_out: 0.25,
      eth_in: 1,
      eth_out_max: 0.25,
      eth_in_max: 1,
      token_transfers_out: 1,
      token_transfers_in: 0,
      active_span: 4 * 3_600,
      age: 4 * 3_600,
      burstiness: (sigma - mu) / (sigma + mu),
      hour_entropy: hourEntropy,
      gas_used_mean: (50_000 + 21_000 + 30_000) / 3,
      gas_price_mean: 20,
      is_contract: 0,
      code_size: 0,
      out_degree_call: 1,
      in_degree_call: 0,
      out_degree_native: 1,
      in_degree_native: 1,
      out_degree_token: 1,
      out_degree_funding: 1,
      in_degree_funding: 1,
      counterparties: 4,
      top_contract_share: 1,
      funding_depth: 32,
      funder_fan_out: 2,
      neighbour_degree_mean: (1 + 6 + 2 + 4) / 4,
      neighbour_counterparties_mean: (1 + 4 + 1 + 2) / 4,
    };
    for (const [key, value] of Object.entries(expectedA))
      expect([key, feature(A, key)]).toEqual([key, expect.closeTo(value, 6)]);
    expect(feature(T, 'is_contract')).toBe(1);
    expect(feature(P, 'code_size')).toBe(300);
    // The pool has no transaction or transfer of its own: no activity, not even an age.
    for (const name of ['tx_received', 'active_span', 'age', 'burstiness', 'hour_entropy', 'gas_used_mean'])
      expect([name, feature(P, name)]).toEqual([name, 0]);
    expect(feature(C, 'funder_fan_out')).toBe(1);
    expect(feature(F, 'age')).toBe(4 * 3_600);

    // With F counted as a large funder (it funds 2), funding depth is the hops from it.
    const depth = computeGraphFeatures(built.snapshot, { largeFunderMinFanOut: 2 });
    const depthOf = (address: string) =>
      depth[
        nodes.addresses.indexOf(address) * graphFeatureNames.length +
          graphFeatureNames.indexOf('funding_depth')
      ];
    expect([F, A, B, C, T].map(depthOf)).toEqual([0, 1, 1, 2, 32]);

    // Analytics: all seven weakly connected; A, B, F form the 2-core.
    const { communities } = built;
    expect(Array.from(communities.componentSize)).toEqual([7, 7, 7, 7, 7, 7, 7]);
    expect(Array.from(communities.coreNumber)).toEqual([1, 1, 1, 2, 2, 1, 2]);
    // T and P only have calls and swaps (not clustered): alone. R received ETH from B: with B.
    expect([0, 2].map((v) => communities.communitySize[v])).toEqual([1, 1]);
    expect(communities.community[1]).toBe(communities.community[4]);
    expect(communities.pagerank.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);

    // Normalized: fitted on this snapshot, so each feature's median maps to 0.
    const column = featureNames.indexOf('tx_sent');
    const normalized = nodes.addresses.map((_, v) => built.features[v * featureNames.length + column]!);
    expect(normalized.filter((x) => x === 0).length).toBeGreaterThanOrEqual(1);

    // The file holds the same, and the rows are in the warehouse.
    const file = readSnapshotFile(built.file);
    expect(file.snapshot.nodes.addresses).toEqual(nodes.addresses);
    expect(Array.from(file.snapshot.edges.count)).toEqual(Array.from(edges.count));
    expect(Array.from(file.rawFeatures)).toEqual(Array.from(built.rawFeatures));
    const [row] = await queryRows(warehouse(), `SELECT as_of_block, nodes, edges FROM graph_snapshots`);
    expect(row).toEqual({ as_of_block: '5', nodes: '7', edges: '11' });
    const stored = await queryRows<{
      address: string;
      node_index: number;
      kind: string;
      raw: number[];
      normalized: number[];
    }>(
      warehouse(),
      'SELECT address, node_index, kind, raw, normalized FROM address_features ORDER BY node_index',
    );
    expect(stored.find((r) => r.address === A)!.raw[featureNames.indexOf('tx_sent')]).toBe(3);
    const width = featureNames.length;
    expect(stored).toEqual(
      nodes.addresses.map((address, v) => ({
        address,
        node_index: v,
        kind: nodeKinds[nodes.kind[v]!],
        raw: Array.from(built.rawFeatures.subarray(v * width, (v + 1) * width)),
        // Float32 values print as their shortest decimal; rounded back to Float32 they are the same.
        normalized: expect.toSatisfy((values: number[]) =>
          values.every((x, i) => Math.fround(x) === built.features[v * width + i]),
        ),
      })),
    );
    const analytics = await queryRows(
      warehouse(),
      `SELECT address, community, community_size, pagerank, component, component_size, core_number
       FROM address_communities ORDER BY address`,
    );
    expect(analytics).toEqual(
      nodes.addresses.map((address, v) => ({
        address,
        community: communities.community[v],
        community_size: communities.communitySize[v],
        pagerank: communities.pagerank[v],
        component: communities.component[v],
        component_size: communities.componentSize[v],
        core_number: communities.coreNumber[v],
      })),
    );
  });

  it('never lets rows after the snapshot block reach the graph, its features or its communities', async () => {
    await writeWorld(warehouse());
    const before = await buildSnapshot({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      chainId,
      asOfBlock: 5,
    });
    await writeLater(warehouse());
    const after = await buildSnapshot({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      chainId,
      asOfBlock: 5,
    });
    expect(after.snapshot.nodes.addresses).toEqual(before.snapshot.nodes.addresses);
    expect(Array.from(after.snapshot.nodes.kind)).toEqual(Array.from(before.snapshot.nodes.kind));
    for (const [column, values] of Object.entries(before.snapshot.edges)) {
      expect([
        column,
        Array.from(after.snapshot.edges[column as keyof typeof before.snapshot.edges]),
      ]).toEqual([column, Array.from(values)]);
    }
    expect(Array.from(after.rawFeatures)).toEqual(Array.from(before.rawFeatures));
    expect(Array.from(after.features)).toEqual(Array.from(before.features));
    for (const key of ['community', 'pagerank', 'component', 'coreNumber'] as const) {
      expect([key, Array.from(after.communities[key])]).toEqual([key, Array.from(before.communities[key])]);
    }
    // The later rows are there: a snapshot as of block 8 sees them.
    const later = await buildSnapshot({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      chainId,
      asOfBlock: 8,
    });
    expect(later.snapshot.nodes.addresses).toContain(E);
    expect(later.snapshot.edges.src.length).toBeGreaterThan(before.snapshot.edges.src.length);
  });

  it('reads each key once at its newest version and leaves out keys a reorg deleted', async () => {
    await writeWorld(warehouse());
    // The same rows again (a retried batch), a rewrite with a higher version, and reorg tombstones.
    await insertRows(warehouse(), 'transactions', [
      tx(1, 0, F, A, eth),
      tx(1, 1, F, B, 2n * eth),
      { ...tx(4, 0, A, C, eth / 8n, { gwei: 30 }), version: 2 },
      { ...tx(3, 0, B, R, eth / 2n, { input: '0x7ff36ab5', gasUsed: 120_000 }), version: 2, is_deleted: 1 },
    ]);
    await insertRows(warehouse(), 'token_transfers', [
      transfer(2, 0, A, B, 100n),
      transfer(2, 0, A, B, 100n),
    ]);
    await insertRows(warehouse(), 'dex_swaps', [swap(3, 0, P)]);
    const built = await buildSnapshot({
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      chainId,
      asOfBlock: 5,
    });
    // B's transaction at block 3 is gone: no B>R edges, and its swap falls back to the swap's recipient (B).
    const listed = listEdges(built.snapshot);
    expect(listed).toEqual([
      ['A>T call', 1, 2, 2],
      ['A>B token:T', 1, 2, 2],
      ['A>C native', 1, 4, 4],
      ['A>C funding', 1, 4, 4],
      ['B>P swap', 1, 3, 3],
      ['F>A native', 1, 1, 1],
      ['F>A funding', 1, 1, 1],
      ['F>B native', 1, 1, 1],
      ['F>B funding', 1, 1, 1],
    ]);
    const edge = (label: string) => listed.findIndex(([l]) => l === label);
    const exact = readEdgeValues(built.file, built, [
      edge('A>C native'),
      edge('A>C funding'),
      edge('F>B native'),
      edge('A>B token:T'),
    ]);
    expect(exact).toEqual([
      { total: eth / 8n, max: eth / 8n },
      { total: eth / 8n, max: eth / 8n },
      { total: 2n * eth, max: 2n * eth },
      { total: 100n, max: 100n },
    ]);
  });

  it('makes a call of a transaction with calldata to an account, and none of one without', async () => {
    await insertRows(warehouse(), 'blocks', [block(1)]);
    await insertRows(warehouse(), 'transactions', [
      tx(1, 0, A, B, 0n, { input: '0x68656c6c6f' }),
      tx(1, 1, A, C, 0n),
      tx(1, 2, B, C, eth, { input: '0x' }),
    ]);
    const point = await getSnapshotPoint(warehouse(), { chainId, asOfBlock: 1 });
    expect(listEdges(await readStaged(warehouse(), point))).toEqual([
      ['A>B call', 1, 1, 1],
      ['B>C native', 1, 1, 1],
      ['B>C funding', 1, 1, 1],
    ]);
  });

  it('takes only the rows of a window, and funding from before it', async () => {
    await writeWorld(warehouse());
    // Blocks are an hour apart: 2.5 hours before block 5 leaves blocks 3, 4 and 5.
    const point = await getSnapshotPoint(warehouse(), { chainId, asOfBlock: 5, windowDays: 2.5 / 24 });
    expect(point).toEqual({ chainId, asOfBlock: 5, asOfTime: time(5), fromBlock: 3 });
    const { nodes, edges } = await readStaged(warehouse(), point);
    expect(nodes.addresses).toEqual([R, P, A, B, C, F]);
    expect(Array.from(nodes.kind)).toEqual([1, 3, 0, 0, 0, 0]);
    expect(listEdges({ nodes, edges })).toEqual([
      ['A>C native', 1, 4, 4],
      ['A>C funding', 1, 4, 4],
      ['B>R call', 1, 3, 3],
      ['B>R native', 1, 3, 3],
      ['B>P swap', 1, 3, 3],
      ['F>A funding', 1, 1, 1],
      ['F>B funding', 1, 1, 1],
    ]);
  });

  it('numbers the nodes the same when looking them up by address as by address hash', async () => {
    await writeWorld(warehouse());
    await writeLater(warehouse());
    const point = { chainId, asOfBlock: 8, asOfTime: time(8), fromBlock: 0 };
    const byHash = await readStaged(warehouse(), point);
    const byAddress = await readStaged(warehouse(), point, { byAddress: true });
    expect(byHash.keyedByAddressBecause).toBeUndefined();
    expect(byAddress.nodes).toEqual(byHash.nodes);
    expect(byAddress.edges).toEqual(byHash.edges);
    expect(byAddress.values).toEqual(byHash.values);
    expect(listEdges(byHash)).toContainEqual(['F>E funding', 1, 6, 6]);
  });

  it('streams the values as UInt128 when every one fits, else as UInt256, and totals them exactly either way', async () => {
    await writeWorld(warehouse());
    const point = { chainId, asOfBlock: 5, asOfTime: time(5), fromBlock: 0 };
    /** The exact total and max of the token edge A>B (64 bytes an edge: two little-endian UInt256). */
    const tokenEdge = async () => {
      const staged = await readStaged(warehouse(), point);
      const e = listEdges(staged).findIndex(([edge]) => edge === `A>B token:T`);
      const word = (at: number) =>
        [0, 1, 2, 3].reduce(
          (sum, i) => sum | (staged.values.readBigUInt64LE(at + 8 * i) << BigInt(64 * i)),
          0n,
        );
      return { valueBytes: staged.valueBytes, total: word(64 * e), max: word(64 * e + 32) };
    };
    expect(await tokenEdge()).toEqual({ valueBytes: 16, total: 100n, max: 100n });
    await insertRows(warehouse(), 'token_transfers', [transfer(4, 1, A, B, 2n ** 128n - 1n)]);
    expect(await tokenEdge()).toEqual({ valueBytes: 16, total: 2n ** 128n + 99n, max: 2n ** 128n - 1n });
    await insertRows(warehouse(), 'token_transfers', [transfer(5, 1, A, B, 2n ** 200n)]);
    expect(await tokenEdge()).toEqual({
      valueBytes: 32,
      total: 2n ** 200n + 2n ** 128n + 99n,
      max: 2n ** 200n,
    });
  });

  it('keys the addresses by themselves, saying why, when address_names cannot name the hashes exactly', async () => {
    await writeWorld(warehouse());
    await writeLater(warehouse());
    const point = { chainId, asOfBlock: 8, asOfTime: time(8), fromBlock: 0 };
    const expected = await readStaged(warehouse(), point, { byAddress: true });
    // The materialized views named every address of the chain tables (W is only a pool's token), once.
    const named = await queryRows<{ address: string; key: string }>(
      warehouse(),
      `SELECT address, key = cityHash64(address) AS key FROM address_names ORDER BY address`,
    );
    expect(named).toEqual([T, R, P, A, B, C, D, E, F].map((address) => ({ address, key: 1 })));
    const run = (query: string) => warehouse().client.command({ query });
    const staged = async (problem: RegExp) => {
      const got = await readStaged(warehouse(), point);
      expect(got.keyedByAddressBecause).toMatch(problem);
      expect([got.nodes, got.edges, got.values]).toEqual([expected.nodes, expected.edges, expected.values]);
    };
    // Another address with A's hash.
    await run(`INSERT INTO address_names VALUES (${chainId}, cityHash64('${A}'), '0xshares-a-hash')`);
    await staged(/^1 addresses share an address hash with another$/);
    await run(`DELETE FROM address_names WHERE address = '0xshares-a-hash'`);
    // An address with the hash of '' (no token).
    await run(`INSERT INTO address_names VALUES (${chainId}, cityHash64(''), '0xhash-of-no-token')`);
    await staged(/^1 addresses have the hash of '', which stands for "no token"$/);
    await run(`DELETE FROM address_names WHERE address = '0xhash-of-no-token'`);
    expect((await readStaged(warehouse(), point)).keyedByAddressBecause).toBeUndefined();
    await run(`DELETE FROM address_names WHERE address = '${B}'`);
    // B's name missing altogether.
    await staged(/^address_names lacks the names of 1 of the snapshot's 9 addresses/);
  });

  it('refuses an as-of point past the indexed blocks, naming the range', async () => {
    await writeWorld(warehouse());
    await expect(
      buildSnapshot({ warehouse: warehouse(), logger, dataDir: dataDir(), chainId, asOfBlock: 9 }),
    ).rejects.toThrow(/as of block 9 of chain 1[\s\S]*from 0 to 5/);
    await expect(
      buildSnapshot({ warehouse: warehouse(), logger, dataDir: dataDir(), chainId: 2 }),
    ).rejects.toThrow(/No blocks of chain 2/);
  });
});
