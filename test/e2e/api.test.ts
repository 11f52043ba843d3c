import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/api/auth/createApiKey.js';
import { type ApiServer, createApiServer } from '../../src/api/createApiServer.js';
import { type Common, createCommon } from '../../src/internal/createCommon.js';
import { createJobContext } from '../../src/jobs/createJobContext.js';
import { runJob } from '../../src/jobs/runJob.js';
import { loadSnapshot } from '../../src/tasks/graphs/loadSnapshot.js';
import { toSimulationLabelRows } from '../../src/tasks/labels/toSimulationLabelRows.js';
import { createWarehouse, type Warehouse } from '../../src/warehouse/createWarehouse.js';
import { getAddressActivity } from '../../src/warehouse/getAddressActivity.js';
import { getAddressCommunities } from '../../src/warehouse/getAddressCommunities.js';
import { getAddressFeatures } from '../../src/warehouse/getAddressFeatures.js';
import { getAddressLabels } from '../../src/warehouse/getAddressLabels.js';
import { getAirdropCampaign, getAirdropTargets } from '../../src/warehouse/getAirdropRun.js';
import { getPricePredictions } from '../../src/warehouse/getPricePredictions.js';
import { getRiskiest } from '../../src/warehouse/getRiskiest.js';
import { getRiskScoredSnapshots } from '../../src/warehouse/getRiskScoredSnapshots.js';
import { getRiskScores } from '../../src/warehouse/getRiskScores.js';
import { insertApiKey } from '../../src/warehouse/insertApiKey.js';
import { insertRows } from '../../src/warehouse/insertRows.js';
import { applyMigrations } from '../../src/warehouse/migrations.js';
import { errorCodes, postGraphql } from '../setup/postGraphql.js';
import { useTempDir } from '../setup/testWarehouse.js';
import { useSimulatedWorld } from '../setup/useSimulatedWorld.js';

const campaignId = 'api-season-1';

describe('GraphQL API on the simulated world', () => {
  const dataDir = useTempDir();
  const simulated = useSimulatedWorld({
    seed: 13,
    scale: 'small',
    params: { blocks: 700, informedTraders: 8, farms: 1, phishingCampaigns: 3, poisoners: 2 },
  });
  let common: Common;
  let warehouse: Warehouse;
  let server: ApiServer;
  let reader: string;
  let admin: string;
  let chainId: number;
  let snapshotId: string;
  /** Queries against a reader key. */
  const read = (query: string, variables?: Record<string, unknown>) =>
    postGraphql(server.url, reader, query, variables);

  beforeAll(async () => {
    const { devnet, world } = simulated();
    chainId = world.chainId;
    common = await createCommon({
      env: {},
      overrides: {
        dataDir: dataDir(),
        logLevel: 'silent',
        tfBackend: 'wasm',
        api: { maxDepth: 9, maxComplexity: 20_000 },
      },
    });
    warehouse = await createWarehouse(common, { database: 'api_e2e' });
    await applyMigrations(warehouse);
    await insertRows(
      warehouse,
      'address_labels',
      toSimulationLabelRows(world.chainId, world.labels, Date.now()),
    );
    // The whole pipeline as jobs run it: ingest, snapshot, train and score risk, an airdrop, price forecasts.
    const context = createJobContext(common, { warehouse });
    await runJob('ingest-range', { rpcUrl: devnet.url, to: world.lastBlock }, context);
    snapshotId = String((await runJob('build-graph', {}, context)).snapshotId);
    await runJob('train-model', { task: 'risk', epochs: 30, seed: 1 }, context);
    await runJob('score', {}, context);
    const campaignPath = join(dataDir(), 'campaign.json');
    writeFileSync(
      campaignPath,
      JSON.stringify({
        id: campaignId,
        chainId,
        snapshotBlock: world.lastBlock,
        token: { symbol: 'SIM', decimals: 18 },
        budget: '1000000',
        minActivity: { actions: 3, activeDays: 1, distinctContracts: 2 },
        allocation: { rule: 'proportional' },
        sybil: { labels: 'weak' },
      }),
    );
    await runJob('airdrop-run', { campaignPath, outDir: join(dataDir(), 'airdrop') }, context);
    await runJob('train-model', { task: 'price', epochs: 5, seed: 1 }, context);
    await runJob('price-predict', {}, context);
    server = await createApiServer(common, { warehouse, port: 0 });
    for (const role of ['reader', 'admin'] as const) {
      const created = createApiKey(role, `e2e ${role}`);
      await insertApiKey(warehouse, created.row);
      if (role === 'reader') reader = created.key;
      else admin = created.key;
    }
  }, 600_000);
  afterAll(async () => {
    await server?.close();
    await common?.shutdown.close();
  });

  it('answers an address with what the warehouse and the snapshot hold', async () => {
    const { world } = simulated();
    const phisher = world.labels.find((l) => l.label === 'phishing')!.address.toLowerCase();
    const reply = await read(
      `query ($address: Address!) {
        address(address: $address) {
          address
          risk { score category modelVersion snapshotId scoredAt reasons }
          labels { label category source }
          sybil { campaignId probability clusterId evidence excluded }
          community { id size pagerank componentSize coreNumber snapshotId }
          features { name value normalized }
          counterparties(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { node { address direction type count } } }
          activity { transactionsSent transactionsReceived tokenTransfers swaps firstBlock lastBlock firstSeen lastSeen }
        }
      }`,
      { address: phisher.toUpperCase().replace('0X', '0x') },
    );
    expect(reply.status).toBe(200);
    expect(reply.body.errors).toBeUndefined();
    const profile = reply.body.data!.address;
    expect(profile.address).toBe(phisher);

    const [score] = await getRiskScores(warehouse, chainId, snapshotId, [phisher]);
    expect(profile.risk).toEqual({
      score: score!.score,
      category: score!.category,
      modelVersion: score!.model_version,
      snapshotId,
      scoredAt: new Date(score!.scored_at).toISOString(),
      reasons: score!.reasons,
    });
    const labels = await getAddressLabels(warehouse, chainId, [phisher]);
    expect(profile.labels).toEqual(
      labels.map(({ label, category, source }) => ({ label, category, source })),
    );
    expect(profile.labels.length).toBeGreaterThan(0);
    const [community] = await getAddressCommunities(warehouse, chainId, snapshotId, [phisher]);
    expect(profile.community).toEqual({
      id: community!.community,
      size: community!.communitySize,
      pagerank: community!.pagerank,
      componentSize: community!.componentSize,
      coreNumber: community!.coreNumber,
      snapshotId,
    });
    const [features] = await getAddressFeatures(warehouse, chainId, snapshotId, [phisher]);
    expect(profile.features.map((f: { value: number }) => f.value)).toEqual(features!.raw);
    expect(profile.features.length).toBeGreaterThan(10);
    const [activity] = await getAddressActivity(warehouse, chainId, [phisher]);
    expect(profile.activity.transactionsSent).toBe(activity!.transactionsSent);
    expect(profile.activity.lastBlock).toBe(activity!.lastBlock);

    // Counterparties: every interaction of the address in the snapshot, both directions, most first, paged.
    const { content } = await loadSnapshot(warehouse, dataDir(), { snapshotId });
    const node = content.snapshot.nodes.addresses.indexOf(phisher);
    const { out, in: inbound } = content.snapshot;
    const degree =
      out.offsets[node + 1]! - out.offsets[node]! + inbound.offsets[node + 1]! - inbound.offsets[node]!;
    expect(profile.counterparties.totalCount).toBe(degree);
    const counts = profile.counterparties.edges.map((e: { node: { count: number } }) => e.node.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const next = await read(
      `query ($address: Address!, $after: String) {
        address(address: $address) { counterparties(first: 100, after: $after) { edges { node { address } } } }
      }`,
      { address: phisher, after: profile.counterparties.pageInfo.endCursor },
    );
    const rest = next.body.data!.address.counterparties.edges;
    expect(rest).toHaveLength(Math.min(100, degree - 3));
  });

  it('returns risk scores in the order asked, null with a reason for unknown addresses, and pages the riskiest', async () => {
    const top = await getRiskiest(warehouse, { chainId, snapshotId, first: 12 });
    const unknown = `0x${'ab'.repeat(20)}`;
    const asked = [top[3]!.address, unknown, top[0]!.address];
    const reply = await read(
      'query ($a: [Address!]!) { riskScores(addresses: $a) { address risk { score } reason } }',
      { a: asked },
    );
    expect(reply.body.data!.riskScores).toEqual([
      { address: top[3]!.address, risk: { score: top[3]!.score }, reason: null },
      { address: unknown, risk: null, reason: expect.stringContaining(snapshotId) },
      { address: top[0]!.address, risk: { score: top[0]!.score }, reason: null },
    ]);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page += 1) {
      const reply: Awaited<ReturnType<typeof read>> = await read(
        'query ($after: String) { riskiest(first: 4, after: $after) { edges { node { address risk { score } } } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
      const connection = reply.body.data!.riskiest;
      seen.push(...connection.edges.map((e: { node: { address: string } }) => e.node.address));
      expect(connection.pageInfo.hasNextPage).toBe(true);
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(top.map((row) => row.address));
  });

  it('serves the airdrop campaign with proofs that verify against its Merkle root', async () => {
    const campaign = await getAirdropCampaign(warehouse, campaignId, chainId);
    const targets = await getAirdropTargets(warehouse, campaign);
    const reply = await read(
      `query ($id: ID!) {
        airdropCampaigns { id merkleRoot }
        airdropCampaign(id: $id) {
          id merkleRoot budget stats { eligible recipients excluded sybilClusters }
          targets(first: 5) { totalCount edges { node { address amount rank proof excluded } } }
          excludedTargets: targets(first: 2, excluded: true) { totalCount edges { node { address rank proof excluded reason } } }
        }
        missing: airdropCampaign(id: "no-such-campaign") { id }
      }`,
      { id: campaignId },
    );
    expect(reply.body.errors).toBeUndefined();
    const data = reply.body.data!;
    expect(data.airdropCampaigns).toEqual([{ id: campaignId, merkleRoot: campaign.merkle_root }]);
    expect(data.missing).toBeNull();
    const served = data.airdropCampaign;
    expect(served.budget).toBe(String(campaign.budget));
    expect(served.stats.recipients).toBe(campaign.recipients);
    expect(served.targets.totalCount).toBe(targets.filter((t) => t.excluded === 0).length);
    for (const [i, { node }] of served.targets.edges.entries()) {
      expect(node.rank).toBe(i + 1);
      expect(
        StandardMerkleTree.verify(
          campaign.merkle_root,
          ['address', 'uint256'],
          [node.address, node.amount],
          node.proof,
        ),
      ).toBe(true);
    }
    expect(served.excludedTargets.totalCount).toBe(campaign.excluded);
    for (const { node } of served.excludedTargets.edges)
      expect(node).toMatchObject({ rank: null, proof: null, excluded: true });
  });

  it('serves price forecasts, model cards and the indexer status', async () => {
    const stored = await getPricePredictions(warehouse, { chainId });
    const token = stored[0]!.token;
    const ofToken = stored
      .filter((row) => row.token === token)
      .sort((a, b) => a.window_start - b.window_start);
    const reply = await read(
      `query ($token: Address!) {
        pricePredictions(token: $token) { token windowStart predictedReturn lower upper directionProbability modelVersion }
        models(task: "risk") { task version architecture metrics baseline error }
        indexerStatus { chainId indexedBlock }
      }`,
      { token },
    );
    const data = reply.body.data!;
    expect(data.pricePredictions.map((p: { predictedReturn: number }) => p.predictedReturn)).toEqual(
      ofToken.map((row) => row.predicted_return),
    );
    expect(data.pricePredictions[0].windowStart).toBe(
      new Date(ofToken[0]!.window_start * 1000).toISOString(),
    );
    expect(data.models).toHaveLength(1);
    expect(data.models[0]).toMatchObject({ task: 'risk', version: 1, error: null });
    expect(data.models[0].metrics).toHaveProperty('rocAuc');
    expect(data.indexerStatus).toEqual({ chainId, indexedBlock: simulated().world.lastBlock });
  });

  it('refuses callers without a valid key, and readers where an admin is needed', async () => {
    const query = '{ riskiest(first: 1) { edges { node { address } } } }';
    for (const key of [undefined, 'cgn_000000000000_notakey', `${reader.slice(0, -4)}AAAA`]) {
      const reply = await postGraphql(server.url, key, query);
      expect(reply.status).toBe(401);
      expect(reply.body.data).toBeUndefined();
      expect(errorCodes(reply)).toEqual(['UNAUTHENTICATED']);
    }
    const mutation =
      'mutation { addLabels(source: "e2e", labels: [{ address: "0x00000000000000000000000000000000000000aa", label: "x", category: "scam" }]) { added } }';
    const refused = await read(mutation);
    expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
    expect(refused.body.errors![0]!.message).toContain('admin');
    expect(errorCodes(await read('{ jobs { id } }'))).toEqual(['FORBIDDEN']);
    const answered = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${reader}` },
      body: JSON.stringify({ query }),
    });
    expect(answered.headers.get('cache-control')).toBe('no-store');
    // The whole body with its length, not chunked.
    expect(answered.headers.get('transfer-encoding')).toBeNull();
    expect(Number(answered.headers.get('content-length'))).toBe(Buffer.byteLength(await answered.text()));
    const health = await fetch(server.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);
    const metrics = await fetch(server.url.replace('/graphql', '/metrics'), {
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(metrics.status).toBe(403);
    const scraped = await fetch(server.url.replace('/graphql', '/metrics'), {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(scraped.status).toBe(200);
    const scrapedText = await scraped.text();
    expect(scrapedText).toMatch(/chaingnn_http_requests_total\{route="graphql",status="401"\} [1-9]/);
    expect(scrapedText).toMatch(/chaingnn_http_requests_total\{route="graphql",status="200"\} [1-9]/);
    expect(scrapedText).toMatch(/chaingnn_http_request_duration_seconds_count\{route="graphql"\} [1-9]/);
  });

  it('serves GraphiQL and its assets from node_modules in development mode', async () => {
    const base = server.url.replace('/graphql', '');
    const page = await fetch(`${base}/graphiql`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/graphiql\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toHaveLength(4);
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of assets) {
      const reply = await fetch(`${base}${asset}`);
      expect(reply.status, asset).toBe(200);
      expect((await reply.arrayBuffer()).byteLength, asset).toBeGreaterThan(10_000);
    }
  });

  it('lets an admin add labels and enqueue jobs, and serves fresh scores after a rescoring', async () => {
    const address = `0x${'cd'.repeat(20)}`;
    const added = await postGraphql(
      server.url,
      admin,
      'mutation ($labels: [LabelInput!]!) { addLabels(source: "e2e", labels: $labels) { added source } }',
      {
        labels: [
          { address: address.toUpperCase().replace('0X', '0x'), label: 'Drainer kit', category: 'Drainer' },
        ],
      },
    );
    expect(added.body.data).toEqual({ addLabels: { added: 1, source: 'e2e' } });
    const labels = await read(`{ address(address: "${address}") { labels { label category source } } }`);
    expect(labels.body.data!.address.labels).toEqual([
      { label: 'Drainer kit', category: 'drainer', source: 'e2e' },
    ]);

    const invalid = await postGraphql(
      server.url,
      admin,
      'mutation { enqueueJob(kind: "score", payload: { incremental: "yes" }) { id } }',
    );
    expect(errorCodes(invalid)).toEqual(['JOB_INVALID']);
    expect(invalid.body.errors![0]!.extensions!.details).toContain('incremental');

    const before = await getRiskScoredSnapshots(warehouse, chainId);
    const top = (await getRiskiest(warehouse, { chainId, snapshotId, first: 1 }))[0]!;
    const ask = `{ riskScores(addresses: ["${top.address}"]) { risk { scoredAt } } }`;
    const cached = (await read(ask)).body.data!.riskScores[0].risk.scoredAt;
    expect(cached).toBe(new Date(before[0]!.scoredAt).toISOString());
    const job = await postGraphql(
      server.url,
      admin,
      'mutation { enqueueJob(kind: "score") { id kind status } }',
    );
    expect(job.body.data!.enqueueJob).toMatchObject({ kind: 'score' });
    await server.services.jobs.idle();
    const listed = await postGraphql(server.url, admin, '{ jobs(status: COMPLETED) { id kind status } }');
    expect(listed.body.data!.jobs).toContainEqual({
      id: job.body.data!.enqueueJob.id,
      kind: 'score',
      status: 'completed',
    });
    const rescored = (await read(ask)).body.data!.riskScores[0].risk.scoredAt;
    expect(Date.parse(rescored)).toBeGreaterThan(Date.parse(cached));
  });

  it('refuses depth bombs, oversized batches and pages, bad addresses and bodies, with codes', async () => {
    const addressArg = `"0x${'11'.repeat(20)}"`;
    let nested = 'address';
    for (let i = 0; i < 4; i += 1)
      nested = `counterparties(first: 1) { edges { node { profile { ${nested} } } } }`;
    const deep = await read(`{ address(address: ${addressArg}) { ${nested} } }`);
    expect(deep.status).toBe(400);
    expect(errorCodes(deep)).toEqual(['DEPTH_LIMIT_EXCEEDED']);
    const costly = await read(
      `{ address(address: ${addressArg}) { counterparties(first: 100) { edges { node { profile { counterparties(first: 100) { edges { node { address type } } } } } } } } }`,
    );
    expect(errorCodes(costly)).toEqual(['COMPLEXITY_LIMIT_EXCEEDED']);
    const batch = Array.from({ length: 1001 }, (_, i) => `0x${i.toString(16).padStart(40, '0')}`);
    const tooMany = await read('query ($a: [Address!]!) { riskScores(addresses: $a) { address } }', {
      a: batch,
    });
    expect(errorCodes(tooMany)).toEqual(['BATCH_SIZE_EXCEEDED']);
    expect(tooMany.body.data).toBeUndefined();
    expect(errorCodes(await read('{ riskiest(first: 101) { edges { cursor } } }'))).toEqual([
      'PAGE_SIZE_EXCEEDED',
    ]);
    for (const reply of [
      await read('{ address(address: "0xabc") { risk { score } } }'),
      await read('query ($a: Address!) { address(address: $a) { risk { score } } }', { a: '0xabc' }),
    ]) {
      expect(errorCodes(reply)).toEqual(['BAD_USER_INPUT']);
      expect(reply.body.errors![0]!.message).toContain('"0xabc"');
    }
    const cursor = await read('{ riskiest(first: 1, after: "garbage") { edges { cursor } } }');
    expect(errorCodes(cursor)).toEqual(['BAD_USER_INPUT']);
    const huge = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${reader}` },
      body: JSON.stringify({ query: `{ indexerStatus { chainId } } #${'x'.repeat(2 << 20)}` }),
    });
    expect(huge.status).toBe(413);
    expect(
      ((await huge.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code,
    ).toBe('PAYLOAD_TOO_LARGE');
  });

  /** Records the SQL of every warehouse query until `restore` is called; a query waits for what `hold` returns. */
  const recordQueries = (hold: (sql: string) => Promise<void> | undefined = () => undefined) => {
    const seen: string[] = [];
    const client = warehouse.client;
    const query = client.query.bind(client);
    client.query = (async (params: { query: string }) => {
      seen.push(params.query);
      await hold(params.query);
      return query(params as never);
    }) as typeof client.query;
    const restore = () => {
      client.query = query;
    };
    return { seen, restore };
  };

  it('loads the fields of many addresses with one warehouse query per kind', async () => {
    const top = await getRiskiest(warehouse, { chainId, snapshotId, first: 20 });
    const { seen, restore } = recordQueries();
    try {
      const aliases = top.map(
        (row, i) => `a${i}: address(address: "${row.address}") { labels { label } activity { swaps } }`,
      );
      const reply = await read(`{ ${aliases.join('\n')} }`);
      expect(reply.body.errors).toBeUndefined();
    } finally {
      restore();
    }
    expect(seen.filter((sql) => sql.includes('FROM address_labels'))).toHaveLength(1);
    expect(seen.filter((sql) => sql.includes('transactions'))).toHaveLength(1);
  });

  it('after invalidate() reads the latest scoring and the scores again, but keeps the chain', async () => {
    const [top] = await getRiskiest(warehouse, { chainId, snapshotId, first: 1 });
    await read('{ indexerStatus { chainId } }');
    server.services.invalidate();
    const { seen, restore } = recordQueries();
    try {
      const reply = await read(`{ address(address: "${top!.address}") { risk { score } } }`);
      expect(reply.body.errors).toBeUndefined();
      expect((reply.body.data as { address: { risk: { score: number } } }).address.risk.score).toBeCloseTo(
        top!.score,
        6,
      );
    } finally {
      restore();
    }
    expect(seen.filter((sql) => sql.includes('FROM risk_scorings'))).toHaveLength(1);
    expect(seen.filter((sql) => sql.includes('FROM risk_score_lookup'))).toHaveLength(1);
    expect(seen.filter((sql) => sql.includes('FROM blocks'))).toHaveLength(0);
  });

  it('answers cached scores, whatever the case asked, with every field of the first answer and no read', async () => {
    const top = await getRiskiest(warehouse, { chainId, snapshotId, first: 3 });
    const risk = 'address risk { score category modelVersion architecture snapshotId scoredAt }';
    const ask = (addresses: string[]) =>
      read(`query($a: [Address!]!) { riskScores(addresses: $a) { ${risk} } }`, { a: addresses });
    const unknown = `0x${'cd'.repeat(20)}`;
    server.services.invalidate();
    const first = await ask([...top.map((row) => row.address), unknown]);
    expect(first.body.errors).toBeUndefined();
    const { seen, restore } = recordQueries();
    let again: Awaited<ReturnType<typeof read>>;
    try {
      again = await ask([...top.map((row) => `0x${row.address.slice(2).toUpperCase()}`), unknown]);
    } finally {
      restore();
    }
    expect(again.body.data).toEqual(first.body.data);
    expect((first.body.data as { riskScores: { risk: unknown }[] }).riskScores.at(-1)!.risk).toBeNull();
    expect(seen.filter((sql) => sql.includes('FROM risk_score_lookup'))).toHaveLength(0);
  });

  it('reads the addresses of concurrent requests together, each request answered with its own', async () => {
    const [first, ...top] = await getRiskiest(warehouse, { chainId, snapshotId, first: 41 });
    const addresses = top.map((row) => row.address);
    const [labels, activity] = await Promise.all([
      getAddressLabels(warehouse, chainId, addresses),
      getAddressActivity(warehouse, chainId, addresses),
    ]);
    const activityOf = (address: string) => {
      const row = activity.find((a) => a.address === address);
      return row ? { swaps: row.swaps } : null;
    };
    const ask = (address: string) =>
      read(`{ address(address: "${address}") { risk { score } labels { label } activity { swaps } } }`);
    // Every cache dropped, then the latest scoring read again by one request: the others go straight to the reads.
    server.services.invalidate();
    await ask(first!.address);

    // Each kind's first read waits until every request has asked for its address: the other 39 addresses wait in
    // the meantime, and must go to the warehouse together in the next read.
    const { services } = server;
    const reads = {
      risk: 'FROM risk_score_lookup',
      labels: 'FROM address_labels',
      activity: 'from_address IN {addresses',
    };
    const asked = { risk: 0, labels: 0, activity: 0 };
    let allAsked = () => {};
    const arrived = new Promise<void>((resolve) => {
      allAsked = resolve;
    });
    const count = (kind: keyof typeof asked) => {
      asked[kind] += 1;
      if (Object.values(asked).every((n) => n === addresses.length)) allAsked();
    };
    const { riskScores } = services;
    const { labels: labelReader, activity: activityReader } = services.addressReads;
    const [loadLabels, loadActivity] = [labelReader.load, activityReader.load];
    services.riskScores = (list) => {
      count('risk');
      return riskScores(list);
    };
    labelReader.load = (list) => {
      count('labels');
      return loadLabels(list);
    };
    activityReader.load = (list) => {
      count('activity');
      return loadActivity(list);
    };
    const { seen, restore } = recordQueries((sql) =>
      Object.values(reads).some((marker) => sql.includes(marker)) ? arrived : undefined,
    );
    let replies: Awaited<ReturnType<typeof read>>[];
    try {
      replies = await Promise.all(addresses.map(ask));
    } finally {
      restore();
      services.riskScores = riskScores;
      labelReader.load = loadLabels;
      activityReader.load = loadActivity;
    }
    expect(replies.map((reply) => reply.body.data)).toEqual(
      top.map((row) => ({
        address: {
          risk: { score: row.score },
          labels: labels.filter((label) => label.address === row.address).map(({ label }) => ({ label })),
          activity: activityOf(row.address),
        },
      })),
    );
    expect(labels.length).toBeGreaterThan(0);
    // One read of each kind per request before.
    for (const [kind, marker] of Object.entries(reads))
      expect(seen.filter((sql) => sql.includes(marker)).length, kind).toBe(2);
  });

  it('reads the reasons of scores only for queries that select them, all in one query', async () => {
    const top = await getRiskiest(warehouse, { chainId, snapshotId, first: 20 });
    const addresses = top.map((row) => row.address);
    const { seen, restore } = recordQueries();
    const ask = async (fields: string) => {
      const reply = await read(
        `query($addresses: [Address!]!) { riskScores(addresses: $addresses) { risk { ${fields} } } }`,
        { addresses },
      );
      expect(reply.body.errors).toBeUndefined();
      return (reply.body.data as { riskScores: { risk: { score: number; reasons?: string[] } }[] })
        .riskScores;
    };
    const readsReasons = () => seen.filter((sql) => /SELECT address, reasons/.test(sql));
    try {
      await ask('score');
      expect(readsReasons()).toHaveLength(0);
      const scores = await ask('score reasons');
      expect(readsReasons()).toHaveLength(1);
      expect(scores.map((s) => s.risk.reasons)).toEqual(top.map((row) => row.reasons));
      expect(top.some((row) => row.reasons.length > 0)).toBe(true);
    } finally {
      restore();
    }
  });
});
