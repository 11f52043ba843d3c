import { describe, expect, it } from 'vitest';
import { useTestWarehouse } from '../../test/setup/testWarehouse.js';
import type {
  AddressLabelRow,
  BlockRow,
  DexSwapRow,
  TokenTransferRow,
  TransactionRow,
} from '../types/tableRows.js';
import type { AirdropCampaignRow, AirdropTargetRow } from './airdropRows.js';
import { setCheckpoint } from './checkpoints.js';
import { deleteBlocksAbove } from './deleteBlocksAbove.js';
import { getAddressActivity } from './getAddressActivity.js';
import { getAddressCommunities } from './getAddressCommunities.js';
import { getAddressFeatures } from './getAddressFeatures.js';
import { getAddressLabels } from './getAddressLabels.js';
import { getAirdropCampaigns } from './getAirdropCampaigns.js';
import { getAirdropCampaign, getAirdropTargets } from './getAirdropRun.js';
import { getIndexedBlock } from './getIndexedBlock.js';
import { getLatestAirdropTargets } from './getLatestAirdropTargets.js';
import { getRiskiest, type RiskiestQuery } from './getRiskiest.js';
import { getRiskScoredSnapshots } from './getRiskScoredSnapshots.js';
import { getRiskScoreSummaries, getRiskScores } from './getRiskScores.js';
import { insertAirdropRun } from './insertAirdropRun.js';
import { insertRiskScores, type RiskScoreRow } from './insertRiskScores.js';
import { insertRows } from './insertRows.js';

const [a, b, c, d, e] = ['a', 'b', 'c', 'd', 'e'].map((ch) => `0x${ch.repeat(40)}`) as [
  string,
  string,
  string,
  string,
  string,
];
const pool = `0x${'f'.repeat(40)}`;
const token = `0x${'7'.repeat(40)}`;
const time = (block: number) => 1_700_000_000 + block * 12;
const inBlock = (block: number, version = 1, chainId = 1) => ({
  chain_id: chainId,
  version,
  block_number: block,
  block_hash: `0x${block.toString(16).padStart(64, '0')}`,
  block_timestamp: time(block),
});

function tx(block: number, index: number, from: string, to: string | null, version = 1): TransactionRow {
  return {
    ...inBlock(block, version),
    transaction_index: index,
    hash: `0x${(block * 100 + index).toString(16).padStart(64, '0')}`,
    nonce: 0,
    from_address: from,
    to_address: to,
    value: 1n,
    gas: 21_000,
    gas_price: null,
    max_fee_per_gas: null,
    max_priority_fee_per_gas: null,
    transaction_type: 0,
    input: '0x',
    status: 1,
    gas_used: 21_000,
    cumulative_gas_used: 21_000,
    effective_gas_price: 1n,
    contract_address: null,
  };
}

function transfer(block: number, logIndex: number, from: string, to: string, chainId = 1): TokenTransferRow {
  return {
    ...inBlock(block, 1, chainId),
    transaction_index: 0,
    transaction_hash: `0x${block.toString(16).padStart(64, '0')}`,
    log_index: logIndex,
    batch_index: 0,
    token_address: token,
    token_standard: 'erc20',
    operator: null,
    from_address: from,
    to_address: to,
    token_id: null,
    value: 5n,
  };
}

function swap(block: number, logIndex: number, sender: string, recipient: string): DexSwapRow {
  return {
    ...inBlock(block),
    transaction_index: 0,
    transaction_hash: `0x${block.toString(16).padStart(64, '0')}`,
    log_index: logIndex,
    protocol: 'uniswap_v2',
    pool_address: pool,
    sender,
    recipient,
    token_in: token,
    token_out: `0x${'8'.repeat(40)}`,
    amount_in: 10n,
    amount_out: 9n,
  };
}

function score(address: string, value: number, category: string, overrides: Partial<RiskScoreRow> = {}) {
  return {
    chain_id: 1,
    snapshot_id: 's1',
    address,
    score: value,
    category,
    model_version: 3,
    architecture: 'gat',
    scored_snapshot_id: 's1',
    scored_at: 1_700_000_000_000,
    reasons: [`${category} ${value}`],
    ...overrides,
  } satisfies RiskScoreRow;
}

function campaign(id: string, createdAt: number, chainId = 1): AirdropCampaignRow {
  return {
    chain_id: chainId,
    campaign_id: id,
    name: `Campaign ${id}`,
    snapshot_id: 's1',
    snapshot_block: 1_000,
    token_symbol: 'DROP',
    token_decimals: 18,
    budget: 10n ** 24n + BigInt(createdAt % 1_000_000),
    allocation_rule: 'engagement',
    merkle_root: `0x${createdAt.toString(16).padStart(64, '0')}`,
    sybil_labels: 'weak',
    eligible: 10,
    recipients: 8,
    excluded: 2,
    sybil_clusters: 1,
    config: JSON.stringify({ id }),
    created_at: createdAt,
  };
}

function target(run: AirdropCampaignRow, address: string, rank: number): AirdropTargetRow {
  return {
    chain_id: run.chain_id,
    campaign_id: run.campaign_id,
    address,
    amount: 10n ** 20n * BigInt(rank) + BigInt(run.created_at % 1_000_000),
    rank,
    engagement: 1 / (rank + 1),
    sybil_probability: 0.125,
    cluster_id: '',
    excluded: 0,
    reason: '',
    evidence: [],
    peers: [],
    created_at: run.created_at,
  };
}

describe('warehouse reads of the API', () => {
  const warehouse = useTestWarehouse();

  it('reads communities and features of the asked addresses in the asked snapshot only', async () => {
    const community = (snapshot: string, address: string, value: number, chainId = 1) => ({
      chain_id: chainId,
      snapshot_id: snapshot,
      address,
      community: value,
      community_size: value + 1,
      pagerank: value / 8,
      component: value + 2,
      component_size: value + 3,
      core_number: value + 4,
    });
    await insertRows(warehouse(), 'address_communities', [
      community('s1', a, 1),
      community('s1', b, 2),
      community('s1', c, 3),
      community('s2', a, 4),
      community('s1', a, 5, 2),
    ]);
    const features = (snapshot: string, address: string, index: number, chainId = 1) => ({
      chain_id: chainId,
      snapshot_id: snapshot,
      address,
      node_index: index,
      kind: index === 2 ? 'contract' : 'eoa',
      raw: [index + 0.5, 2 ** 40 + index],
      normalized: [index / 4, -0.5],
    });
    await insertRows(warehouse(), 'address_features', [
      features('s1', a, 0),
      features('s1', b, 1),
      features('s1', c, 2),
      features('s2', a, 3),
      features('s1', a, 4, 2),
    ]);

    expect(await getAddressCommunities(warehouse(), 1, 's1', [c, a, d])).toEqual([
      {
        address: a,
        community: 1,
        communitySize: 2,
        pagerank: 0.125,
        component: 3,
        componentSize: 4,
        coreNumber: 5,
      },
      {
        address: c,
        community: 3,
        communitySize: 4,
        pagerank: 0.375,
        component: 5,
        componentSize: 6,
        coreNumber: 7,
      },
    ]);
    expect(await getAddressFeatures(warehouse(), 1, 's1', [c, a, d])).toEqual([
      { address: a, nodeIndex: 0, kind: 'eoa', raw: [0.5, 2 ** 40], normalized: [0, -0.5] },
      { address: c, nodeIndex: 2, kind: 'contract', raw: [2.5, 2 ** 40 + 2], normalized: [0.5, -0.5] },
    ]);
    expect(await getAddressCommunities(warehouse(), 1, 's3', [a])).toEqual([]);
    expect(await getAddressFeatures(warehouse(), 1, 's1', [])).toEqual([]);
  });

  it('counts activity of the asked addresses over current rows only: reorg tombstones and rewritten rows do not count', async () => {
    await insertRows(warehouse(), 'transactions', [
      tx(100, 0, a, b),
      tx(101, 0, a, a), // to itself: sent and received
      tx(102, 0, b, d),
      tx(102, 1, a, null), // a contract creation
      tx(103, 0, c, a), // rewritten below by a reorg
      tx(110, 0, a, b), // above the fork: tombstoned below
      tx(100, 0, e, e, 1), // a duplicate key of the first row: replaced below
    ]);
    await insertRows(warehouse(), 'transactions', [tx(103, 0, d, b, 2), tx(100, 0, a, b, 2)]);
    await insertRows(warehouse(), 'token_transfers', [
      transfer(100, 0, a, c),
      transfer(101, 1, c, c), // to itself: once
      transfer(104, 0, b, d),
      transfer(110, 0, c, a),
      transfer(120, 0, a, b, 2), // another chain
    ]);
    await insertRows(warehouse(), 'dex_swaps', [
      swap(102, 2, a, a), // sender and recipient: once
      swap(104, 1, d, b),
      swap(110, 1, a, a),
    ]);
    expect(await deleteBlocksAbove(warehouse(), 1, 105, 10)).toMatchObject({
      transactions: 1,
      token_transfers: 1,
      dex_swaps: 1,
    });

    const activity = await getAddressActivity(warehouse(), 1, [e, c, b, a]);
    expect(activity).toEqual([
      {
        address: a,
        transactionsSent: 3,
        transactionsReceived: 1,
        tokenTransfers: 1,
        swaps: 1,
        firstBlock: 100,
        lastBlock: 102,
        firstSeen: time(100),
        lastSeen: time(102),
      },
      {
        address: b,
        transactionsSent: 1,
        transactionsReceived: 2,
        tokenTransfers: 1,
        swaps: 1,
        firstBlock: 100,
        lastBlock: 104,
        firstSeen: time(100),
        lastSeen: time(104),
      },
      {
        address: c,
        transactionsSent: 0,
        transactionsReceived: 0,
        tokenTransfers: 2,
        swaps: 0,
        firstBlock: 100,
        lastBlock: 101,
        firstSeen: time(100),
        lastSeen: time(101),
      },
    ]);
    expect(await getAddressActivity(warehouse(), 2, [a, b])).toEqual([
      expect.objectContaining({ address: a, tokenTransfers: 1, firstBlock: 120 }),
      expect.objectContaining({ address: b, tokenTransfers: 1, lastSeen: time(120) }),
    ]);
    expect(await getAddressActivity(warehouse(), 1, [])).toEqual([]);
  });

  it('pages the riskiest addresses by keyset: every row exactly once, ties in score broken by address', async () => {
    const [r1, r2, r3, r4, r5, r6, r7] = [1, 2, 3, 4, 5, 6, 7].map((n) => `0x${String(n).repeat(40)}`) as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    await insertRiskScores(warehouse(), [
      score(r4, 0.95, 'drainer', { scored_at: 1_600_000_000_000 }), // scored again below: replaced
      score(r6, 0.9, 'phishing'),
      score(r2, 0.1 + 0.2, 'drainer'),
      score(r3, 0.9, 'drainer'),
      score(r1, 0.9, 'phishing'),
      score(r5, 0.1 + 0.2, 'phishing'),
      score(r7, Math.PI / 4, 'drainer'),
      score(r1, 0.99, 'phishing', { snapshot_id: 's0' }),
      score(r2, 0.99, 'phishing', { chain_id: 2 }),
    ]);
    await insertRiskScores(warehouse(), [score(r4, 1 / 3, 'phishing')]);

    const query = { chainId: 1, snapshotId: 's1' };
    const all = await getRiskiest(warehouse(), { ...query, first: 100 });
    expect(all.map((row) => [row.address, row.score])).toEqual([
      [r1, 0.9],
      [r3, 0.9],
      [r6, 0.9],
      [r7, Math.PI / 4],
      [r4, 1 / 3],
      [r2, 0.1 + 0.2],
      [r5, 0.1 + 0.2],
    ]);
    expect(all[0]).toEqual(score(r1, 0.9, 'phishing'));
    // The same rows as getRiskScores reads, in another order.
    const byAddress = await getRiskScores(warehouse(), 1, 's1');
    expect([...all].sort((x, y) => x.address.localeCompare(y.address))).toEqual(byAddress);

    const pageThrough = async (q: Omit<RiskiestQuery, 'first' | 'after'>, size: number) => {
      const seen: string[] = [];
      let after: RiskiestQuery['after'];
      for (let pages = 0; pages < 20; pages += 1) {
        const page = await getRiskiest(warehouse(), { ...q, first: size, after });
        expect(page.length).toBeLessThanOrEqual(size);
        seen.push(...page.map((row) => row.address));
        const last = page.at(-1);
        if (!last) return seen;
        after = { score: last.score, address: last.address };
      }
      throw new Error('paging did not end');
    };
    for (const size of [1, 2, 3, 7]) {
      expect(await pageThrough(query, size)).toEqual([r1, r3, r6, r7, r4, r2, r5]);
      expect(await pageThrough({ ...query, category: 'phishing' }, size)).toEqual([r1, r6, r4, r5]);
    }
    expect(
      (await getRiskiest(warehouse(), { ...query, first: 2, after: { score: 0.9, address: r1 } })).map(
        (row) => row.address,
      ),
    ).toEqual([r3, r6]);
    expect(await getRiskiest(warehouse(), { ...query, category: 'laundering', first: 5 })).toEqual([]);
    expect(await getRiskiest(warehouse(), { ...query, snapshotId: 's9', first: 5 })).toEqual([]);
    await expect(getRiskiest(warehouse(), { ...query, first: -1 })).rejects.toMatchObject({
      code: 'RISK_QUERY_INVALID',
    });
  });

  it('looks up the scores of the asked addresses in the asked snapshot and chain only, the latest scoring winning', async () => {
    const [a, b, c, unknown] = ['a', 'b', 'c', 'd'].map((n) => `0x${n.repeat(40)}`) as [
      string,
      string,
      string,
      string,
    ];
    await insertRiskScores(warehouse(), [
      score(c, 0.7, 'drainer'),
      score(a, 0.2, 'phishing'),
      score(b, 0.6, 'phishing', { snapshot_id: 's0' }),
      score(b, 0.9, 'phishing', { chain_id: 2 }),
    ]);
    await insertRiskScores(warehouse(), [score(c, 0.4, 'laundering', { scored_at: 1_700_000_001_000 })]);

    const summaries = await getRiskScoreSummaries(warehouse(), 1, 's1', [c, unknown, b, a]);
    const { reasons: _a, ...first } = score(a, 0.2, 'phishing');
    const { reasons: _c, ...rescored } = score(c, 0.4, 'laundering', { scored_at: 1_700_000_001_000 });
    expect(summaries).toEqual([first, rescored]);
    // What risk_scores holds for them, without the reasons.
    const stored = (await getRiskScores(warehouse(), 1, 's1', [a, c])).map(({ reasons: _, ...row }) => row);
    expect(summaries).toEqual(stored);
    expect(await getRiskScoreSummaries(warehouse(), 1, 's0', [a, b])).toEqual([
      expect.objectContaining({ address: b, score: 0.6 }),
    ]);
    expect(await getRiskScoreSummaries(warehouse(), 2, 's1', [b])).toEqual([
      expect.objectContaining({ chain_id: 2, address: b, score: 0.9 }),
    ]);
    expect(await getRiskScoreSummaries(warehouse(), 1, 's1', [])).toEqual([]);
    // The addresses and the snapshot go in the query's text: quotes, backslashes and the separator find nothing.
    expect(
      await getRiskScoreSummaries(warehouse(), 1, 's1', [`${a},${c}`, `${a}'`, `${a}\\`, "') OR 1 --"]),
    ).toEqual([]);
    expect(await getRiskScoreSummaries(warehouse(), 1, "s1'", [a, c])).toEqual([]);
    expect(await getRiskScoreSummaries(warehouse(), 1, 's1', [`${a},${c}`, b, c])).toEqual([rescored]);
  });

  it('lists the scored snapshots of a chain, newest as-of block first, each with its newest scoring', async () => {
    const [a, b] = ['a', 'b'].map((n) => `0x${n.repeat(40)}`) as [string, string];
    const snapshot = (snapshot_id: string, as_of_block: number) => ({
      chain_id: 1,
      snapshot_id,
      as_of_block,
      as_of_time: 1_700_000_000,
      from_block: 0,
      nodes: 2,
      edges: 1,
      communities: 1,
      feature_names: [],
      files: '',
    });
    await warehouse().insert('graph_snapshots', [snapshot('s0', 10), snapshot('s1', 20), snapshot('s9', 30)]);
    const inS0 = (version: number, at: number) => ({
      snapshot_id: 's0',
      model_version: version,
      scored_at: at,
    });
    await insertRiskScores(warehouse(), [score(a, 0.1, 'phishing', inS0(1, 1_600_000_000_000))]);
    await insertRiskScores(warehouse(), [score(a, 0.2, 'phishing')]);
    // s0 scored again by version 4: its current scoring.
    await insertRiskScores(warehouse(), [
      score(a, 0.3, 'phishing', inS0(4, 1_800_000_000_000)),
      score(b, 0.4, 'drainer', inS0(4, 1_800_000_000_000)),
    ]);
    await insertRiskScores(warehouse(), [score(a, 0.5, 'phishing', { chain_id: 2 })]);

    expect(await getRiskScoredSnapshots(warehouse(), 1)).toEqual([
      { snapshotId: 's1', asOfBlock: 20, modelVersion: 3, addresses: 1, scoredAt: 1_700_000_000_000 },
      { snapshotId: 's0', asOfBlock: 10, modelVersion: 4, addresses: 2, scoredAt: 1_800_000_000_000 },
    ]);
    expect(await getRiskScoredSnapshots(warehouse(), 3)).toEqual([]);
  });

  it("lists each campaign's latest run and each address's target in the newest current run", async () => {
    const t = 1_700_000_000_000;
    const alpha1 = campaign('alpha', t + 1_000);
    const beta = campaign('beta', t + 2_000);
    const alpha2 = campaign('alpha', t + 3_000);
    const betaInterrupted = campaign('beta', t + 4_000);
    const gamma = campaign('gamma', t + 5_000, 2);
    await insertAirdropRun(warehouse(), alpha1, [
      target(alpha1, a, 1),
      target(alpha1, b, 2),
      target(alpha1, c, 3),
    ]);
    await insertAirdropRun(warehouse(), beta, [target(beta, b, 1), target(beta, d, 2)]);
    await insertAirdropRun(warehouse(), alpha2, [{ ...target(alpha2, a, 0), excluded: 1, reason: 'risk' }]);
    // A run that stopped before its campaign row: its targets are not current.
    await warehouse().insert('airdrop_targets', [
      target(betaInterrupted, b, 1),
      target(betaInterrupted, d, 2),
    ]);
    await insertAirdropRun(warehouse(), gamma, [target(gamma, a, 1)]);

    expect(await getAirdropCampaigns(warehouse())).toEqual([gamma, alpha2, beta]);
    expect(await getAirdropCampaigns(warehouse(), 1)).toEqual([alpha2, beta]);
    expect(await getAirdropCampaigns(warehouse(), 3)).toEqual([]);
    expect(await getAirdropCampaign(warehouse(), 'alpha')).toEqual(alpha2);

    // a: alpha's latest run (newer than beta); b: alpha's latest run dropped it, so beta's; c: only in a
    // superseded run; d: beta's run, not the interrupted one; e: in none.
    expect(await getLatestAirdropTargets(warehouse(), 1, [e, d, c, b, a])).toEqual([
      { ...target(alpha2, a, 0), excluded: 1, reason: 'risk' },
      target(beta, b, 1),
      target(beta, d, 2),
    ]);
    expect(await getLatestAirdropTargets(warehouse(), 2, [a, b])).toEqual([target(gamma, a, 1)]);
    expect(await getLatestAirdropTargets(warehouse(), 1, [])).toEqual([]);
    expect(await getAirdropTargets(warehouse(), beta)).toEqual([target(beta, b, 1), target(beta, d, 2)]);
  });

  it('reads the current labels of the asked addresses only', async () => {
    const label = (
      address: string,
      source: string,
      addedAt: number,
      isDeleted: 0 | 1 = 0,
    ): AddressLabelRow => ({
      chain_id: 1,
      address,
      label: `${source} says ${address.slice(0, 4)}`,
      category: 'phishing',
      source,
      confidence: 1,
      added_at: addedAt,
      is_deleted: isDeleted,
    });
    await insertRows(warehouse(), 'address_labels', [
      label(a, 'scam-list', 1_000),
      label(a, 'manual', 1_000),
      label(b, 'manual', 1_000),
      label(c, 'manual', 1_000),
      { ...label(a, 'manual', 1_000), chain_id: 2 },
    ]);
    await insertRows(warehouse(), 'address_labels', [label(b, 'manual', 2_000, 1)]);
    const row = (address: string, source: string) => {
      const {
        chain_id: _,
        confidence: __,
        added_at: ___,
        is_deleted: ____,
        ...rest
      } = label(address, source, 0);
      return rest;
    };

    expect(await getAddressLabels(warehouse(), 1, [d, b, a])).toEqual([
      row(a, 'manual'),
      row(a, 'scam-list'),
    ]);
    expect(await getAddressLabels(warehouse(), 1)).toEqual([
      row(a, 'manual'),
      row(a, 'scam-list'),
      row(c, 'manual'),
    ]);
    expect(await getAddressLabels(warehouse(), 1, [])).toEqual([]);
  });

  it('reads the indexed block: the furthest checkpoint, else the highest current block', async () => {
    expect(await getIndexedBlock(warehouse(), 1)).toBeUndefined();
    const block = (number: number): BlockRow => ({
      chain_id: 1,
      version: 1,
      number,
      hash: `0x${number.toString(16).padStart(64, '0')}`,
      parent_hash: `0x${(number - 1).toString(16).padStart(64, '0')}`,
      timestamp: time(number),
      miner: a,
      gas_limit: 30_000_000,
      gas_used: 0,
      base_fee_per_gas: null,
      transaction_count: 0,
    });
    await insertRows(warehouse(), 'blocks', [block(5), block(6), block(7)]);
    await deleteBlocksAbove(warehouse(), 1, 6, 2);
    expect(await getIndexedBlock(warehouse(), 1)).toEqual({ blockNumber: 6, updatedAt: undefined });

    const before = Date.now();
    await setCheckpoint(warehouse(), 1, 'default', { blockNumber: 4, blockHash: block(4).hash });
    await setCheckpoint(warehouse(), 1, 'other', { blockNumber: 9, blockHash: block(9).hash });
    await setCheckpoint(warehouse(), 2, 'default', { blockNumber: 50, blockHash: block(50).hash });
    const indexed = await getIndexedBlock(warehouse(), 1);
    expect(indexed?.blockNumber).toBe(9);
    expect(indexed?.updatedAt).toBeGreaterThanOrEqual(before);
    expect(indexed?.updatedAt).toBeLessThanOrEqual(Date.now());
    expect(await getIndexedBlock(warehouse(), 3)).toBeUndefined();
  });
});
