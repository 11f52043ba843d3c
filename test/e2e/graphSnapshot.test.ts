import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Devnet, startDevnet } from '../../src/chain/devnet/startDevnet.js';
import { type SimulationResult, simulate } from '../../src/chain/simulator/simulate.js';
import { readSnapshotFile } from '../../src/graph/snapshotFile.js';
import { createLogger } from '../../src/internal/createLogger.js';
import { indexAndSnapshot } from '../setup/indexAndSnapshot.js';
import { runCli } from '../setup/spawnProcess.js';
import { useTempDir, useTestWarehouse } from '../setup/testWarehouse.js';

const logger = createLogger({ level: 'silent' });

describe('graph snapshots of the simulated world', () => {
  const warehouse = useTestWarehouse();
  const dataDir = useTempDir();
  let devnet: Devnet;
  let world: SimulationResult;

  beforeAll(async () => {
    devnet = await startDevnet();
    world = await simulate({ rpc: devnet.provider, seed: 4, scale: 'small' });
  });
  afterAll(() => devnet?.stop());

  it('puts most members of each funder-linked sybil farm into one shared community', async () => {
    const built = await indexAndSnapshot({
      rpcUrl: devnet.url,
      world,
      warehouse: warehouse(),
      dataDir: dataDir(),
      logger,
    });
    const index = new Map(built.snapshot.nodes.addresses.map((a, i) => [a, i]));
    const farms = new Map<string, number[]>();
    // Exchange-funded farms touch each other only through exchanges: no graph community can hold them (the airdrop's
    // lockstep rule finds them from behaviour instead).
    const funderLinked = world.labels.filter(
      (l) => l.label === 'sybil' && !l.clusterId.endsWith('exchange-funded'),
    );
    for (const label of funderLinked) {
      const node = index.get(label.address.toLowerCase());
      if (node !== undefined) farms.set(label.clusterId, [...(farms.get(label.clusterId) ?? []), node]);
    }
    expect(farms.size).toBeGreaterThanOrEqual(2);
    let together = 0;
    let members = 0;
    const mainSizes: number[] = [];
    for (const nodes of farms.values()) {
      const counts = new Map<number, number>();
      for (const v of nodes) {
        const community = built.communities.community[v]!;
        counts.set(community, (counts.get(community) ?? 0) + 1);
      }
      const [main, inMain] = [...counts.entries()].sort((x, y) => y[1] - x[1])[0]!;
      together += inMain;
      members += nodes.length;
      mainSizes.push(built.communities.communitySize[built.communities.community.indexOf(main)]!);
    }
    const share = together / members;
    const n = built.snapshot.nodes.addresses.length;
    process.stderr.write(
      `sybil farm members in their farm's main community: ${together}/${members} = ${share.toFixed(3)}; ` +
        `those communities hold ${mainSizes.join(', ')} of ${n} addresses\n`,
    );
    expect(share).toBeGreaterThan(0.6);
    // Not one blob: each farm's main community is a minor part of the graph (in this 286-address world the largest
    // holds 77).
    for (const size of mainSizes) expect(size).toBeLessThan(n / 3);
  });
});

describe('chaingnn graph (CLI)', () => {
  const dataDir = useTempDir();
  let devnet: Devnet;
  let router: string;

  beforeAll(async () => {
    devnet = await startDevnet();
    router = (await simulate({ rpc: devnet.provider, seed: 5, scale: 'small' })).contracts.router;
  });
  afterAll(() => devnet?.stop());

  it('builds a snapshot, then shows an address neighbourhood as a table, DOT and JSON', async () => {
    const env = { CHAINGNN_DATA_DIR: dataDir(), LOG_LEVEL: 'warn' };
    expect((await runCli(['index', '--rpc', devnet.url], env)).code).toBe(0);
    const build = await runCli(['graph', 'build'], env);
    expect(build.stderr).toBe('');
    expect(build.stdout).toMatch(/^Snapshot c31337_b\d+_f0: \d+ addresses, \d+ edges, \d+ communities/);

    const shown = await runCli(
      ['graph', 'show', router, '-f', 'json', '--hops', '2', '--max-nodes', '5000'],
      env,
    );
    expect(shown.code).toBe(0);
    const hood = JSON.parse(shown.stdout) as { nodes: { address: string; hops: number }[]; edges: unknown[] };
    expect(hood.nodes[0]).toMatchObject({ address: router.toLowerCase(), hops: 0 });
    expect(hood.nodes.some((n) => n.hops === 2)).toBe(true);
    expect(hood.edges.length).toBeGreaterThan(0);

    const dot = await runCli(['graph', 'show', router, '-f', 'dot'], env);
    expect(dot.stdout).toMatch(/^digraph "c31337_b\d+_f0" \{[\s\S]* -> [\s\S]*\}\n$/);
    const table = await runCli(['graph', 'show', router], env);
    expect(table.stdout).toMatch(/address\s+kind\s+hops\s+community\s+pagerank/);

    // A later-style snapshot applies the training snapshot's normalizer unchanged.
    const trainingId = /^Snapshot (\S+):/.exec(build.stdout)![1]!;
    const earlier = await runCli(
      ['graph', 'build', '--as-of-block', '100', '--normalize-like', trainingId],
      env,
    );
    expect(earlier.stdout).toMatch(/^Snapshot c31337_b100_f0:/);
    const read = (id: string) => readSnapshotFile(join(dataDir(), 'graphs', id, 'snapshot.bin'));
    expect(read('c31337_b100_f0').normalizer).toEqual(read(trainingId).normalizer);

    const unknown = await runCli(['graph', 'show', `0x${'12'.repeat(20)}`], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/is not in snapshot c31337_b\d+_f0/);
  });
});
