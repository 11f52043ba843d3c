import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import {
  type Address,
  createPublicClient,
  createWalletClient,
  decodeErrorResult,
  defineChain,
  encodeFunctionData,
  getAddress,
  type Hex,
  http,
  parseEther,
} from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileContracts } from '../../src/chain/devnet/compileContracts.js';
import { type Devnet, startDevnet } from '../../src/chain/devnet/startDevnet.js';
import { type SimulationResult, simulate } from '../../src/chain/simulator/simulate.js';
import { createLogger } from '../../src/internal/createLogger.js';
import { type Campaign, parseCampaign } from '../../src/tasks/airdrop/campaignSchema.js';
import { type AirdropRun, runAirdrop } from '../../src/tasks/airdrop/runAirdrop.js';
import { targetsCsvColumns, writeAirdropFiles } from '../../src/tasks/airdrop/writeAirdropFiles.js';
import { toSimulationLabelRows } from '../../src/tasks/labels/toSimulationLabelRows.js';
import { getAirdropCampaign, getAirdropTargets } from '../../src/warehouse/getAirdropRun.js';
import { insertRiskScores } from '../../src/warehouse/insertRiskScores.js';
import { insertRows } from '../../src/warehouse/insertRows.js';
import { indexAndSnapshot } from '../setup/indexAndSnapshot.js';
import { runCli } from '../setup/spawnProcess.js';
import { useTempDir, useTestWarehouse } from '../setup/testWarehouse.js';

const logger = createLogger({ level: 'silent' });
/** Every address the simulator planted as a sybil wallet, funder, hop or collector, lower-case. */
const sybilsOf = (world: SimulationResult) =>
  new Set(world.labels.filter((l) => l.label === 'sybil').map((l) => l.address.toLowerCase()));

/** A campaign over the whole simulated world: one action of any kind, proportional with a cap. */
function campaignFor(world: SimulationResult, overrides: Record<string, unknown> = {}): Campaign {
  return parseCampaign(
    {
      id: 'sim-season-1',
      chainId: world.chainId,
      snapshotBlock: world.lastBlock,
      token: { symbol: 'SIM', decimals: 18 },
      budget: '1000000.000000000000000007',
      minActivity: { actions: 3, activeDays: 1, distinctContracts: 2 },
      allocation: { rule: 'proportional', maxAmount: '20000' },
      sybil: { labels: 'weak' },
      ...overrides,
    },
    'test campaign',
  );
}

describe('chaingnn airdrop on the simulated world', () => {
  const warehouse = useTestWarehouse();
  const dataDir = useTempDir();
  const outDir = useTempDir();
  const cliDir = useTempDir();
  let devnet: Devnet;
  let world: SimulationResult;
  let run: AirdropRun;

  beforeAll(async () => {
    devnet = await startDevnet();
    world = await simulate({ rpc: devnet.provider, seed: 11, scale: 'small' });
  });
  afterAll(() => devnet?.stop());

  it('excludes the planted farms better than the components baseline, allocates the budget to the wei, and excludes listed and risky addresses', async () => {
    await indexAndSnapshot({ rpcUrl: devnet.url, world, warehouse: warehouse(), dataDir: dataDir(), logger });
    await insertRows(warehouse(), 'address_labels', toSimulationLabelRows(world.chainId, world.labels, 1));
    const campaign = campaignFor(world);
    const options = {
      campaign,
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      backend: 'wasm' as const,
      epochs: 30,
    };
    run = await runAirdrop(options);
    const { evaluation, targets } = run;
    expect(evaluation).toBeDefined();
    const [ours, clustersOnly, , baseline] = evaluation!.detectors;
    process.stderr.write(
      `${evaluation!.detectors.map((d) => `${d.name}: P ${d.all.precision.toFixed(3)} R ${d.all.recall.toFixed(3)} F1 ${d.all.f1.toFixed(3)}, genuine excluded ${d.genuineExcluded.count}`).join('\n')}\n`,
    );
    // The planted sybils are found, both kinds of farm, and fewer genuine users are excluded than by the baseline.
    expect(evaluation!.sybils).toBeGreaterThan(20);
    expect(Object.keys(ours!.byKind).sort()).toEqual(['disguised', 'plain']);
    expect(ours!.all.f1).toBeGreaterThan(baseline!.all.f1);
    expect(clustersOnly!.all.recall).toBeGreaterThan(0.8);
    expect(ours!.genuineExcluded.count).toBeLessThan(baseline!.genuineExcluded.count);

    // The sum of allocations is the budget, to the wei; no one is above the cap; recipients are ranked by engagement.
    const recipients = targets.filter((t) => !t.excluded);
    expect(recipients.reduce((sum, t) => sum + t.amount, 0n)).toBe(campaign.budget);
    const cap = 'maxAmount' in campaign.allocation ? campaign.allocation.maxAmount! : 0n;
    for (const t of recipients) expect(t.amount).toBeLessThanOrEqual(cap);
    expect(recipients.map((t) => t.rank)).toEqual(recipients.map((_, i) => i + 1));
    for (let i = 1; i < recipients.length; i += 1) {
      expect(recipients[i]!.engagement).toBeLessThanOrEqual(recipients[i - 1]!.engagement);
    }
    // Every excluded sybil names its cluster and evidence; the warehouse holds exactly this run.
    const sybils = sybilsOf(world);
    const caught = targets.filter((t) => t.reason === 'sybil_cluster');
    for (const t of caught) {
      expect(t.cluster_id).toMatch(/^sybil-\d+$/);
      expect(t.evidence.join(' ')).toMatch(/funding tree|lockstep/);
      expect(t.peers.length).toBeGreaterThan(0);
    }
    expect(caught.filter((t) => sybils.has(t.address)).length).toBe(
      ours!.all.truePositives -
        targets.filter((t) => t.reason === 'sybil_model' && sybils.has(t.address)).length,
    );
    const stored = await getAirdropCampaign(warehouse(), campaign.id);
    expect(stored).toMatchObject({
      merkle_root: run.tree!.root,
      recipients: recipients.length,
      sybil_labels: 'weak',
    });
    expect(await getAirdropTargets(warehouse(), stored)).toEqual(targets);

    // The same campaign and seed give the same targets and root.
    const again = await runAirdrop(options);
    expect(again.tree!.root).toBe(run.tree!.root);
    const strip = (rows: typeof targets) => rows.map(({ created_at: _, ...row }) => row);
    expect(strip(again.targets)).toEqual(strip(targets));

    // Listed and risky addresses are excluded with the reason; a risk cap without risk scores is refused.
    const [listed, risky, safe] = [recipients[0]!, recipients[1]!, recipients[2]!];
    const listFile = join(outDir(), 'team.csv');
    writeFileSync(listFile, `address,note\n${listed.address},team wallet\n`);
    const capped = campaignFor(world, { exclusions: { lists: [listFile], maxRiskScore: 0.8 } });
    const cappedOptions = {
      campaign: capped,
      warehouse: warehouse(),
      logger,
      dataDir: dataDir(),
      backend: 'wasm' as const,
      epochs: 10,
    };
    await expect(runAirdrop(cappedOptions)).rejects.toThrow(
      /exclusions\.maxRiskScore is set but snapshot c31337_b\d+_f0 has no risk scores/,
    );
    // Nothing of the refused run was stored: the previous run is still the current one.
    expect((await getAirdropCampaign(warehouse(), capped.id)).created_at).toBe(again.campaign.created_at);

    const scored = (address: string, score: number) => ({
      chain_id: world.chainId,
      snapshot_id: run.campaign.snapshot_id,
      address,
      score,
      category: 'phishing',
      model_version: 1,
      architecture: 'sage',
      scored_snapshot_id: run.campaign.snapshot_id,
      scored_at: 1,
      reasons: ['test'],
    });
    await insertRiskScores(warehouse(), [scored(risky.address, 0.95), scored(safe.address, 0.8)]);
    const excluded = await runAirdrop(cappedOptions);
    const byAddress = new Map(excluded.targets.map((t) => [t.address, t]));
    expect(byAddress.get(listed.address)).toMatchObject({ excluded: 1, reason: 'list', amount: 0n });
    expect(byAddress.get(listed.address)!.evidence[0]).toBe(`listed in ${listFile}:2`);
    expect(byAddress.get(risky.address)).toMatchObject({ excluded: 1, reason: 'risk' });
    expect(byAddress.get(risky.address)!.evidence[0]).toBe('risk score 0.950 is above 0.8');
    expect(byAddress.get(safe.address)).toMatchObject({ excluded: 0 });
    expect(excluded.targets.filter((t) => !t.excluded).reduce((sum, t) => sum + t.amount, 0n)).toBe(
      capped.budget,
    );
  });

  it('writes a CSV and a Merkle tree that verifies with @openzeppelin/merkle-tree', () => {
    const files = writeAirdropFiles(run, outDir());
    const csv = readFileSync(files.targets!, 'utf8').trim().split('\n');
    expect(csv[0]).toBe(targetsCsvColumns.join(','));
    expect(csv).toHaveLength(run.targets.length + 1);
    const tree = StandardMerkleTree.load(JSON.parse(readFileSync(files.merkleTree!, 'utf8')));
    expect(tree.root).toBe(run.tree!.root);
    const claims = JSON.parse(readFileSync(files.claims!, 'utf8')) as {
      root: string;
      claims: Record<string, { amount: string; proof: string[] }>;
    };
    const recipients = run.targets.filter((t) => !t.excluded);
    expect(Object.keys(claims.claims).sort()).toEqual(recipients.map((t) => t.address).sort());
    for (const t of recipients) {
      const claim = claims.claims[t.address]!;
      expect(claim.amount).toBe(t.amount.toString());
      expect(
        StandardMerkleTree.verify(
          claims.root,
          ['address', 'uint256'],
          [t.address, claim.amount],
          claim.proof,
        ),
      ).toBe(true);
    }
    for (const t of run.targets.filter((x) => x.excluded)) expect(claims.claims[t.address]).toBeUndefined();
  });

  it('recipients claim their amounts from the devnet claim contract; a sybil cannot', async () => {
    const artifacts = await compileContracts({ logger });
    const chain = defineChain({
      id: world.chainId,
      name: 'devnet',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [devnet.url] } },
    });
    const client = createPublicClient({ chain, transport: http(devnet.url) });
    const walletOf = async (address: Address) => {
      await devnet.provider.request({ method: 'hardhat_impersonateAccount', params: [address] });
      await devnet.provider.request({
        method: 'hardhat_setBalance',
        params: [address, `0x${parseEther('1').toString(16)}`],
      });
      return createWalletClient({ account: address, chain, transport: http(devnet.url) });
    };
    const owner = await walletOf('0x00000000000000000000000000000000000a1d70');
    const deploy = async (name: 'SimToken' | 'MerkleClaim', args: unknown[]) => {
      const hash = await owner.deployContract({
        abi: artifacts[name].abi,
        bytecode: artifacts[name].bytecode,
        args,
      });
      return getAddress((await client.waitForTransactionReceipt({ hash })).contractAddress!);
    };
    const token = await deploy('SimToken', ['Airdrop', 'SIM', 18, owner.account.address]);
    const claim = await deploy('MerkleClaim', [token, run.tree!.root]);
    const mint = await owner.writeContract({
      address: token,
      abi: artifacts.SimToken.abi,
      functionName: 'mint',
      args: [claim, run.campaign.budget],
    });
    await client.waitForTransactionReceipt({ hash: mint });
    const balanceOf = (address: Address) =>
      client.readContract({
        address: token,
        abi: artifacts.SimToken.abi,
        functionName: 'balanceOf',
        args: [address],
      });

    const recipients = run.targets.filter((t) => !t.excluded);
    const sample = [0, 1, Math.floor(recipients.length / 2), recipients.length - 1].map(
      (i) => recipients[i]!,
    );
    for (const target of sample) {
      const index = run.tree!.entries.findIndex((e) => e.address === target.address);
      const wallet = await walletOf(getAddress(target.address));
      const before = (await balanceOf(wallet.account.address)) as bigint;
      const hash = await wallet.writeContract({
        address: claim,
        abi: artifacts.MerkleClaim.abi,
        functionName: 'claim',
        args: [target.amount, run.tree!.getProof(index)],
      });
      expect((await client.waitForTransactionReceipt({ hash })).status).toBe('success');
      expect((await balanceOf(wallet.account.address)) as bigint).toBe(before + target.amount);
    }

    // An excluded sybil is not in the tree: a recipient's amount and proof do not work for it, and it gets nothing.
    const sybil = getAddress(run.targets.find((t) => t.reason === 'sybil_cluster')!.address);
    const stolen = {
      address: claim,
      abi: artifacts.MerkleClaim.abi,
      functionName: 'claim',
      args: [recipients[0]!.amount, run.tree!.getProof(0)],
    } as const;
    // The devnet answers a failing eth_call with the revert data (throwOnCallFailures off): decode the reason.
    const refusal = (await devnet.provider.request({
      method: 'eth_call',
      params: [{ from: sybil, to: claim, data: encodeFunctionData(stolen) }, 'latest'],
    })) as Hex;
    expect(decodeErrorResult({ abi: artifacts.MerkleClaim.abi, data: refusal })).toMatchObject({
      errorName: 'InvalidProof',
      args: [sybil, recipients[0]!.amount],
    });
    const sybilWallet = await walletOf(sybil);
    const hash = await sybilWallet.writeContract({ ...stolen, gas: 200_000n });
    expect((await client.waitForTransactionReceipt({ hash })).status).toBe('reverted');
    expect(await balanceOf(sybil)).toBe(0n);
  });

  it('chaingnn airdrop run|explain, with clear errors', async () => {
    const env = { CHAINGNN_DATA_DIR: cliDir(), LOG_LEVEL: 'warn', CHAINGNN_TF_BACKEND: 'wasm' };
    const bad = join(cliDir(), 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        id: 'Bad Id',
        chainId: 0,
        snapshotBlock: 1,
        token: { symbol: 'X' },
        budget: '-1',
        allocation: { rule: 'flat' },
        colour: 'red',
      }),
    );
    const refused = await runCli(['airdrop', 'run', '--campaign', bad, '--out', join(cliDir(), 'out')], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: Invalid campaign .*bad\.json: \d+ problems/);
    for (const field of ['id:', 'chainId:', 'budget:', 'colour']) expect(refused.stderr).toContain(field);

    expect((await runCli(['index', '--rpc', devnet.url, '--to', String(world.lastBlock)], env)).code).toBe(0);
    const file = join(cliDir(), 'campaign.json');
    writeFileSync(
      file,
      JSON.stringify({
        id: 'sim-season-1',
        chainId: world.chainId,
        snapshotBlock: world.lastBlock,
        token: { symbol: 'SIM', decimals: 18 },
        budget: '1000',
        allocation: { rule: 'flat' },
        minActivity: { actions: 3, activeDays: 1, distinctContracts: 2 },
      }),
    );
    const out = join(cliDir(), 'out');
    const ran = await runCli(['airdrop', 'run', '--campaign', file, '--out', out, '--epochs', '10'], env);
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toMatch(
      /^campaign sim-season-1 \(sim-season-1\) on chain 31337, snapshot c31337_b\d+_f0\n/,
    );
    expect(ran.stdout).toMatch(/ {2}recipients {3}\d+, 1000 SIM by the flat rule\n/);
    expect(ran.stdout).toMatch(/ {2}merkle root {2}0x[0-9a-f]{64}\n/);
    // Without sybil labels in this warehouse there is no evaluation, and the model learned from the clusters.
    expect(ran.stdout).not.toMatch(/against the sybil labels/);
    expect(ran.stdout).toMatch(/trained on weak labels \(the heuristic clusters\)/);

    const csv = readFileSync(join(out, 'targets.csv'), 'utf8').trim().split('\n').slice(1);
    const excludedSybil = csv.map((line) => line.split(',')).find((cols) => cols[8] === 'sybil_cluster')!;
    const explained = await runCli(
      ['airdrop', 'explain', excludedSybil[1]!, '--campaign', 'sim-season-1'],
      env,
    );
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/ {2}excluded {5}sybil_cluster \(cluster sybil-\d+\)\n/);
    expect(explained.stdout).toMatch(/ {2}- (funding tree|lockstep): /);
    expect(explained.stdout).toMatch(/ {2}peers {8}0x[0-9a-f]{40}/);
    const recipient = csv.map((line) => line.split(','))[0]!;
    const receives = await runCli(
      ['airdrop', 'explain', recipient[1]!.toUpperCase().replace('0X', '0x'), '--campaign', 'sim-season-1'],
      env,
    );
    expect(receives.stdout).toMatch(/ {2}receives {5}[\d.]+ SIM \(rank 1 of \d+\)\n/);

    const unknown = await runCli(['airdrop', 'explain', recipient[1]!, '--campaign', 'nope'], env);
    expect(unknown.stderr).toMatch(
      /^error: No airdrop campaign "nope" in the warehouse\nExpected one of: sim-season-1\./,
    );
    const malformed = await runCli(['airdrop', 'explain', '0x12', '--campaign', 'sim-season-1'], env);
    expect(malformed.stderr).toMatch(
      /^error: "0x12" is not an address\nExpected 0x followed by 40 hex digits\./,
    );
  });
});
