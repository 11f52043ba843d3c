import { createClient } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createApiKey } from '../../src/api/auth/createApiKey.js';
import { type ApiServer, createApiServer } from '../../src/api/createApiServer.js';
import { type Common, createCommon } from '../../src/internal/createCommon.js';
import { createJobContext } from '../../src/jobs/createJobContext.js';
import { createJobQueues } from '../../src/jobs/createJobQueues.js';
import { createJobWorkers } from '../../src/jobs/createJobWorkers.js';
import { jobProcessors } from '../../src/jobs/jobProcessors.js';
import type { Warehouse } from '../../src/warehouse/createWarehouse.js';
import { insertApiKey } from '../../src/warehouse/insertApiKey.js';
import { insertRiskScores, type RiskScoreRow } from '../../src/warehouse/insertRiskScores.js';
import { insertRows } from '../../src/warehouse/insertRows.js';
import { postGraphql } from '../setup/postGraphql.js';
import { useTestRedis } from '../setup/testRedis.js';
import { useTempDir, useTestWarehouse } from '../setup/testWarehouse.js';

const chainId = 31337;
const snapshotId = 'c31337_b10_f0';
const scored = `0x${'5a'.repeat(20)}`;

/** A risk score of `address` in a snapshot (the test one by default), scored at `at` (unix ms). */
const scoreRow = (score: number, at: number, address = scored, snapshot = snapshotId): RiskScoreRow => ({
  chain_id: chainId,
  snapshot_id: snapshot,
  address,
  score,
  category: 'phishing',
  model_version: 1,
  architecture: 'sage',
  scored_snapshot_id: snapshot,
  scored_at: at,
  reasons: ['planted'],
});

/** A block of the test chain, and a scored snapshot as of `block`, so the API finds its chain and scoring. */
async function insertSnapshot(warehouse: Warehouse, id: string, block: number): Promise<void> {
  await insertRows(warehouse, 'blocks', [
    {
      chain_id: chainId,
      number: block,
      hash: `0x${block.toString(16).padStart(64, '0')}`,
      parent_hash: `0x${'00'.repeat(32)}`,
      timestamp: 1_700_000_000 + block,
      miner: scored,
      gas_limit: 30_000_000,
      gas_used: 0,
      base_fee_per_gas: null,
      transaction_count: 0,
      version: 1,
    },
  ]);
  await insertRows(warehouse, 'graph_snapshots', [
    {
      chain_id: chainId,
      snapshot_id: id,
      as_of_block: block,
      as_of_time: 1_700_000_000 + block,
      from_block: 0,
      nodes: 1,
      edges: 0,
      communities: 0,
      feature_names: [],
      files: '',
    },
  ]);
}

describe('GraphQL API with Redis: BullMQ jobs and the queue dashboard', () => {
  const warehouse = useTestWarehouse();
  const redis = useTestRedis();
  const dataDir = useTempDir();
  let common: Common | undefined;
  let server: ApiServer | undefined;
  const keys: Record<'reader' | 'admin', string> = { reader: '', admin: '' };

  /** A server on this test's queues, with the latest scoring trusted for an hour (only job events refresh it). */
  const start = async () => {
    const { url, prefix } = redis();
    common = await createCommon({
      env: {},
      overrides: { dataDir: dataDir(), logLevel: 'silent', redisUrl: url },
    });
    server = await createApiServer(common, {
      warehouse: warehouse(),
      port: 0,
      queuePrefix: prefix,
      latestTtlMs: 3_600_000,
    });
    for (const role of ['reader', 'admin'] as const) {
      const created = createApiKey(role, role);
      await insertApiKey(warehouse(), created.row);
      keys[role] = created.key;
    }
    return server;
  };
  /** Enqueues a scoring job through the API and lets a worker complete it (the scoring itself is tested elsewhere). */
  const completeScoreJob = async (api: ApiServer) => {
    const { url, prefix } = redis();
    const workers = createJobWorkers({
      redisUrl: url,
      prefix,
      context: createJobContext(common!, { warehouse: warehouse() }),
      queues: ['score'],
      processors: { ...jobProcessors, score: async () => ({ scored: 1 }) },
    });
    try {
      await workers.ready();
      // The server listens first, so when this listener hears the completion the server has dropped its cache.
      const completed = new Promise<string>((resolve) => api.services.jobs.onCompleted(resolve));
      await postGraphql(api.url, keys.admin, 'mutation { enqueueJob(kind: "score") { id } }');
      expect(await completed).toBe('score');
    } finally {
      await workers.close();
    }
  };
  afterEach(async () => {
    await server?.close();
    await common?.shutdown.close();
  });

  it('enqueues jobs on the queues once per payload and lists them', async () => {
    const api = await start();
    const enqueue = () =>
      postGraphql(
        api.url,
        keys.admin,
        'mutation { enqueueJob(kind: "score", payload: { incremental: true }) { id kind status payload } }',
      );
    const first = (await enqueue()).body.data!.enqueueJob;
    expect(first).toMatchObject({ kind: 'score', status: 'waiting', payload: { incremental: true } });
    expect((await enqueue()).body.data!.enqueueJob.id).toBe(first.id);
    const queues = createJobQueues({ redisUrl: redis().url, prefix: redis().prefix });
    try {
      expect(await queues.get(first.id)).toMatchObject({ kind: 'score', status: 'waiting' });
    } finally {
      await queues.close();
    }
    const listed = await postGraphql(api.url, keys.admin, '{ jobs(status: WAITING) { id } }');
    expect(listed.body.data!.jobs).toEqual([{ id: first.id }]);
  });

  it('drops its cached scores when a worker completes a scoring job', async () => {
    await insertSnapshot(warehouse(), snapshotId, 10);
    const at = Date.now() - 60_000;
    await insertRiskScores(warehouse(), [scoreRow(0.1, at)]);
    const api = await start();
    const ask = () =>
      postGraphql(api.url, keys.reader, `{ riskScores(addresses: ["${scored}"]) { risk { score } } }`);
    expect((await ask()).body.data!.riskScores[0].risk.score).toBe(0.1);
    // A rescoring writes a newer row; until its job is reported complete the cached score is served.
    await insertRiskScores(warehouse(), [scoreRow(0.9, at + 1000)]);
    expect((await ask()).body.data!.riskScores[0].risk.score).toBe(0.1);
    await completeScoreJob(api);
    expect((await ask()).body.data!.riskScores[0].risk.score).toBe(0.9);
  });

  it('alerts subscribers over graphql-ws to addresses that rose to their threshold in a new scoring', async () => {
    const [rising, alreadyHigh, belowThreshold] = ['a1', 'a2', 'a3'].map((tag) => `0x${tag.repeat(20)}`) as [
      string,
      string,
      string,
    ];
    const at = Date.now() - 60_000;
    await insertSnapshot(warehouse(), 'c31337_b10_f0', 10);
    await insertRiskScores(warehouse(), [
      scoreRow(0.2, at, rising, 'c31337_b10_f0'),
      scoreRow(0.95, at, alreadyHigh, 'c31337_b10_f0'),
    ]);
    const api = await start();
    const client = (key: string) =>
      createClient({
        url: api.url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${key}` },
        retryAttempts: 0,
        lazy: false,
      });
    const refused = createClient({
      url: api.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
    });
    const closed = new Promise<number>((resolve) =>
      refused.on('closed', (event) => resolve((event as { code: number }).code)),
    );
    expect(await closed).toBe(4403);
    await refused.dispose();

    const reader = client(keys.reader);
    try {
      const alerts = reader.iterate<{ riskAlerts: Record<string, unknown> }>({
        query:
          'subscription { riskAlerts(threshold: 0.9) { address score previousScore category snapshotId } }',
      });
      const first = alerts.next();
      await api.services.alerts.whenSubscribed(1);
      // A newer snapshot is scored: one address rises past 0.9, one was there already, one stays below.
      await insertSnapshot(warehouse(), 'c31337_b20_f0', 20);
      await insertRiskScores(warehouse(), [
        scoreRow(0.97, at + 1000, rising, 'c31337_b20_f0'),
        scoreRow(0.96, at + 1000, alreadyHigh, 'c31337_b20_f0'),
        scoreRow(0.5, at + 1000, belowThreshold, 'c31337_b20_f0'),
      ]);
      await completeScoreJob(api);
      expect((await first).value).toEqual({
        data: {
          riskAlerts: {
            address: rising,
            score: 0.97,
            previousScore: 0.2,
            category: 'phishing',
            snapshotId: 'c31337_b20_f0',
          },
        },
      });
      await alerts.return?.();
    } finally {
      await reader.dispose();
    }
  });

  it('serves the queue dashboard to admin keys only', async () => {
    const api = await start();
    const dashboard = api.url.replace('/graphql', '/admin/queues');
    const basic = (key: string) => ({
      authorization: `Basic ${Buffer.from(`ops:${key}`).toString('base64')}`,
    });
    const anonymous = await fetch(dashboard);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Basic');
    expect((await fetch(dashboard, { headers: basic(keys.reader) })).status).toBe(401);
    const page = await fetch(dashboard, { headers: basic(keys.admin) });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<html');
    const queues = await fetch(`${dashboard}/api/queues`, { headers: basic(keys.admin) });
    expect(queues.status).toBe(200);
    const names = ((await queues.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toContain('score');
  });
});
