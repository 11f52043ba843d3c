import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/api/auth/createApiKey.js';
import { revokeApiKey } from '../../src/api/auth/revokeApiKey.js';
import { createApiServer } from '../../src/api/createApiServer.js';
import { encodeCursor } from '../../src/api/resolvers/cursors.js';
import { createCommon } from '../../src/internal/createCommon.js';
import { createLogger, type Logger } from '../../src/internal/createLogger.js';
import { jobKinds } from '../../src/jobs/jobPayloads.js';
import { buildClaimTree } from '../../src/tasks/airdrop/buildClaimTree.js';
import { buildSnapshot } from '../../src/tasks/graphs/buildSnapshot.js';
import type { TableRows } from '../../src/types/tableRows.js';
import { createRng, type Rng } from '../../src/utils/createRng.js';
import type { AirdropCampaignRow, AirdropTargetRow } from '../../src/warehouse/airdropRows.js';
import type { Warehouse } from '../../src/warehouse/createWarehouse.js';
import { insertAirdropRun } from '../../src/warehouse/insertAirdropRun.js';
import { insertApiKey } from '../../src/warehouse/insertApiKey.js';
import { insertRiskScores, type RiskScoreRow } from '../../src/warehouse/insertRiskScores.js';
import { insertRows } from '../../src/warehouse/insertRows.js';
import { postGraphql } from '../setup/postGraphql.js';
import { queryRows, useTempDir, useTestWarehouse } from '../setup/testWarehouse.js';

// A seeded fuzz of the API's HTTP surface (issue 11): a few thousand malformed, hostile or merely odd requests, sent
// 16 at a time. Every response must be < 500 and JSON with a code on every error (no stacktrace in production); a
// caller without a valid key gets 401 and no `data`; afterwards the server still answers correctly. A failure
// prints each offending request (seed, index, method, path, headers with keys named by role, body).

const seed = 'issue-11';
const concurrency = 16;
const limits = {
  maxDepth: 10,
  maxComplexity: 5_000,
  maxPageSize: 25,
  maxBatchSize: 20,
  maxBodyBytes: 64 << 10,
};

// ---------------------------------------------------------------------------------------------------------------
// The warehouse: one chain of 11 blocks among 40 accounts, its graph snapshot, 30 risk scores (more than a page),
// labels, an airdrop campaign.

const chainId = 1;
const lastBlock = 10;
const accounts = Array.from(
  { length: 40 },
  (_, i) => `0x${(i + 1).toString(16).padStart(2, '0').repeat(20)}`,
);
const token = `0x${'ee'.repeat(20)}`;
const categories = ['phishing', 'drainer', 'laundering'];
const time = (block: number) => 1_700_000_000 + block * 12;
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
const inBlock = (block: number) => ({
  chain_id: chainId,
  version: 1,
  block_number: block,
  block_hash: hash(block),
  block_timestamp: time(block),
});

/** What the fuzz knows of the warehouse it wrote. */
interface World {
  snapshotId: string;
  /** Highest score first. */
  scores: RiskScoreRow[];
  labels: TableRows['address_labels'][];
  campaignId: string;
}

async function writeWorld(warehouse: Warehouse, dataDir: string, logger: Logger): Promise<World> {
  const rng = createRng(`${seed}/world`);
  await insertRows(
    warehouse,
    'blocks',
    Array.from({ length: lastBlock + 1 }, (_, n) => ({
      chain_id: chainId,
      version: 1,
      number: n,
      hash: hash(n),
      parent_hash: hash(Math.max(0, n - 1)),
      timestamp: time(n),
      miner: accounts[0]!,
      gas_limit: 30_000_000,
      gas_used: 0,
      base_fee_per_gas: null,
      transaction_count: n === 0 ? 0 : 8,
    })),
  );
  const transactions: TableRows['transactions'][] = [];
  const transfers: TableRows['token_transfers'][] = [];
  for (let block = 1; block <= lastBlock; block += 1) {
    for (let index = 0; index < 8; index += 1) {
      const [from, to] = rng.shuffle(accounts) as [string, string];
      transactions.push({
        ...inBlock(block),
        transaction_index: index,
        hash: hash(block * 100 + index),
        nonce: index,
        from_address: from,
        to_address: to,
        value: BigInt(rng.int(1, 100)) * 10n ** 16n,
        gas: 100_000,
        gas_price: null,
        max_fee_per_gas: null,
        max_priority_fee_per_gas: null,
        transaction_type: 2,
        input: '0x',
        status: 1,
        gas_used: 21_000,
        cumulative_gas_used: 21_000,
        effective_gas_price: 10n ** 10n,
        contract_address: null,
      });
      if (index === 0) {
        transfers.push({
          ...inBlock(block),
          transaction_index: index,
          transaction_hash: hash(block * 100 + index),
          log_index: 0,
          batch_index: 0,
          token_address: token,
          token_standard: 'erc20',
          operator: null,
          from_address: to,
          to_address: from,
          token_id: null,
          value: BigInt(rng.int(1, 1_000)),
        });
      }
    }
  }
  await insertRows(warehouse, 'transactions', transactions);
  await insertRows(warehouse, 'token_transfers', transfers);
  const built = await buildSnapshot({ warehouse, logger, dataDir, chainId });
  const snapshotId = built.snapshot.id;

  const scores = accounts.slice(0, 30).map(
    (address, i): RiskScoreRow => ({
      chain_id: chainId,
      snapshot_id: snapshotId,
      address,
      score: (97 - i * 3) / 100,
      category: categories[i % categories.length]!,
      model_version: 2,
      architecture: 'sage',
      scored_snapshot_id: snapshotId,
      scored_at: 1_700_000_000_000,
      reasons: [`reason ${i}`],
    }),
  );
  await insertRiskScores(warehouse, scores);

  const labels = accounts.slice(0, 4).map((address, i): TableRows['address_labels'] => ({
    chain_id: chainId,
    address,
    label: `label ${i}`,
    category: categories[i % categories.length]!,
    source: 'seed',
    confidence: 1,
  }));
  await insertRows(warehouse, 'address_labels', labels);

  const campaignId = 'fuzz-drop';
  const createdAt = 1_700_000_100_000;
  const targets = accounts.slice(0, 7).map(
    (address, i): AirdropTargetRow => ({
      chain_id: chainId,
      campaign_id: campaignId,
      address,
      amount: i === 6 ? 0n : 10n ** 18n * BigInt(7 - i),
      rank: i === 6 ? 0 : i + 1,
      engagement: 1 / (i + 1),
      sybil_probability: i === 6 ? 0.9 : 0.1,
      cluster_id: i === 6 ? 'c1' : '',
      excluded: i === 6 ? 1 : 0,
      reason: i === 6 ? 'sybil' : '',
      evidence: i === 6 ? ['shared funder'] : [],
      peers: [],
      created_at: createdAt,
    }),
  );
  const tree = buildClaimTree(
    targets.filter((t) => t.amount > 0n).map(({ address, amount }) => ({ address, amount })),
  );
  const campaign: AirdropCampaignRow = {
    chain_id: chainId,
    campaign_id: campaignId,
    name: 'Fuzz drop',
    snapshot_id: snapshotId,
    snapshot_block: lastBlock,
    token_symbol: 'FUZZ',
    token_decimals: 18,
    budget: 28n * 10n ** 18n,
    allocation_rule: 'engagement',
    merkle_root: tree.root,
    sybil_labels: 'weak',
    eligible: 7,
    recipients: 6,
    excluded: 1,
    sybil_clusters: 1,
    config: JSON.stringify({ id: campaignId }),
    created_at: createdAt,
  };
  await insertAirdropRun(warehouse, campaign, targets);
  return { snapshotId, scores, labels, campaignId };
}

// ---------------------------------------------------------------------------------------------------------------
// Keys and credentials.

/** The keys of a run: two usable ones, a revoked one, a known id with a wrong secret, an unknown id. */
interface Keys {
  reader: string;
  admin: string;
  revoked: string;
  wrongSecret: string;
  unknown: string;
}

async function writeKeys(warehouse: Warehouse): Promise<Keys> {
  const reader = createApiKey('reader', 'fuzz reader');
  const admin = createApiKey('admin', 'fuzz admin');
  const revoked = createApiKey('reader', 'fuzz revoked');
  for (const { row } of [reader, admin, revoked]) await insertApiKey(warehouse, row);
  await revokeApiKey(warehouse, revoked.row.key_id);
  const other = createApiKey('reader', 'never stored');
  return {
    reader: reader.key,
    admin: admin.key,
    revoked: revoked.key,
    wrongSecret: `cgn_${reader.row.key_id}_${other.key.slice(-43)}`,
    unknown: other.key,
  };
}

/** Who a request claims to be; only `reader` and `admin` carry a usable key. */
type Caller =
  | 'reader'
  | 'admin'
  | 'none'
  | 'revoked'
  | 'wrong-secret'
  | 'unknown'
  | 'malformed'
  | 'conflicting';

type HeaderList = [string, string][];

const isAuthenticated = (caller: Caller) => caller === 'reader' || caller === 'admin';

/** A well-formed key placed where the server looks for one (Bearer preferred; x-api-key otherwise). */
function placeKey(rng: Rng, key: string): HeaderList {
  return rng.weighted<HeaderList>([
    [[['authorization', `Bearer ${key}`]], 6],
    [[['authorization', `${rng.pick(['bearer', 'BEARER', 'Bearer  '])} ${key}`]], 1],
    [[['x-api-key', key]], 3],
    [[['x-api-key', `  ${key}  `]], 1],
    [
      [
        ['authorization', `Bearer ${key}`],
        ['x-api-key', 'not-a-key'],
      ],
      1,
    ],
    [
      [
        ['authorization', `Basic ${Buffer.from(`x:${key}`).toString('base64')}`],
        ['x-api-key', key],
      ],
      1,
    ],
  ]);
}

/** A key no parser should accept: near misses of a real key, junk, and the wrong scheme. */
function malformedKey(rng: Rng, key: string): string {
  const secret = key.slice(-43);
  return rng.pick([
    key.toUpperCase(),
    key.slice(0, -1),
    `${key}A`,
    key.replace('cgn_', 'cgk_'),
    `${key.slice(0, -1)}${secret.endsWith('B') ? 'C' : 'B'}`, // leaves non-zero bits past the 32 bytes, or differs
    'cgn_',
    'cgn__',
    `cgn_${'0'.repeat(12)}_`,
    `cgn_${'g'.repeat(12)}_${secret}`,
    JSON.stringify(key),
    Buffer.from(key).toString('base64'),
    'x'.repeat(rng.int(1, 4_000)),
    randomAscii(rng, rng.int(1, 80)),
    `${key},${key}`,
  ]);
}

function credentialsFor(rng: Rng, keys: Keys): { caller: Caller; headers: HeaderList } {
  const caller = rng.weighted<Caller>([
    ['reader', 40],
    ['admin', 25],
    ['none', 8],
    ['revoked', 6],
    ['wrong-secret', 5],
    ['unknown', 4],
    ['malformed', 8],
    ['conflicting', 4],
  ]);
  switch (caller) {
    case 'reader':
    case 'admin':
      return { caller, headers: placeKey(rng, keys[caller]) };
    case 'revoked':
      return { caller, headers: placeKey(rng, keys.revoked) };
    case 'wrong-secret':
      return { caller, headers: placeKey(rng, keys.wrongSecret) };
    case 'unknown':
      return { caller, headers: placeKey(rng, keys.unknown) };
    case 'none':
      return {
        caller,
        headers: rng.pick<HeaderList>([
          [],
          [],
          [['authorization', '']],
          [['x-api-key', '']],
          [['authorization', 'Bearer']],
          [['authorization', 'Bearer   ']],
          [['cookie', `api-key=${keys.admin}`]],
          [['api-key', keys.admin]],
          // (Basic with the admin key would be admin on /metrics, which takes it as the dashboard password.)
          [['authorization', `Basic ${Buffer.from('admin:admin').toString('base64')}`]],
        ]),
      };
    case 'malformed': {
      const key = malformedKey(rng, rng.pick([keys.reader, keys.admin]));
      return {
        caller,
        headers: rng.pick<HeaderList>([
          [['authorization', `Bearer ${key}`]],
          [['x-api-key', key]],
          [['authorization', `Token ${keys.admin}`]],
          [['authorization', `Bearer ${keys.admin} ${keys.admin}`]],
          [['authorization', `Bearer\t${keys.admin}`]],
        ]),
      };
    }
    case 'conflicting':
      // Bearer is preferred when both headers come: a bad Bearer key is not rescued by a good x-api-key.
      return {
        caller,
        headers: [
          [
            'authorization',
            // (A value with spaces inside is no Bearer token at all: then x-api-key would rightly count.)
            `Bearer ${rng.pick([keys.revoked, keys.wrongSecret, malformedKey(rng, keys.admin).replace(/\s/g, '') || 'x'])}`,
          ],
          ['x-api-key', rng.pick([keys.reader, keys.admin])],
        ],
      };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Random values.

function randomAscii(rng: Rng, length: number): string {
  let text = '';
  for (let i = 0; i < length; i += 1) text += String.fromCharCode(rng.int(0x20, 0x7e));
  return text;
}

function randomUnicode(rng: Rng, length: number): string {
  let text = '';
  for (let i = 0; i < length; i += 1) {
    text += String.fromCharCode(
      rng.weighted([
        [rng.int(0, 0x1f), 1],
        [rng.int(0x20, 0x7e), 6],
        [rng.int(0x80, 0xffff), 2],
      ]),
    );
  }
  return text;
}

const trickyStrings = [
  '',
  ' ',
  'phishing',
  'risk',
  "'; DROP TABLE risk_scores; --",
  '\\',
  '"',
  '\u0000',
  '\ud800',
  '💥',
  '../../../../etc/passwd',
  '%00',
  '\u0024{jndi:ldap://x}',
  '{{7*7}}',
  'null',
  'NaN',
  'Infinity',
  '__proto__',
  'constructor',
  '0x',
  '1e999',
];

function randomString(rng: Rng): string {
  return rng.weighted<() => string>([
    [() => rng.pick(trickyStrings), 4],
    [() => randomAscii(rng, rng.int(0, 40)), 3],
    [() => randomUnicode(rng, rng.int(0, 20)), 2],
    [() => 'a'.repeat(rng.int(100, 20_000)), 1],
  ])();
}

const oddNumbers = [
  0,
  -0,
  1,
  -1,
  5,
  6,
  100,
  10_000,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  1e21,
  1e100,
  -1e100,
  0.5,
  -0.5,
  1e-300,
  Number.MAX_VALUE,
];

function randomJson(rng: Rng, depth = 0): unknown {
  const leaf = depth >= 3 || rng.chance(0.5);
  const kind = leaf ? rng.int(0, 4) : rng.int(5, 6);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick(oddNumbers);
    case 3:
    case 4:
      return rng.chance(0.3) ? rng.pick(accounts) : randomString(rng);
    case 5:
      return Array.from({ length: rng.int(0, 4) }, () => randomJson(rng, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: rng.int(0, 4) }, () => [
          rng.chance(0.5) ? rng.pick(variableNames) : randomString(rng).slice(0, 20),
          randomJson(rng, depth + 1),
        ]),
      );
  }
}

/** A JSON value that is `depth` arrays (or objects) deep. */
function deepJson(depth: number, objects: boolean): string {
  return objects
    ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

const variableNames = (
  'first after category address addresses type id excluded token from to horizon modelVersion task ' +
  'status kind payload source labels campaign'
).split(' ');

const schemaNames = (
  'query mutation subscription fragment on true false null Query Mutation address riskScores ' +
  'riskiest airdropCampaigns airdropCampaign pricePredictions models indexerStatus jobs ' +
  'createAirdropCampaign enqueueJob addLabels AddressProfile Counterparty profile counterparties ' +
  'edges node cursor pageInfo risk score labels features community sybil activity targets ' +
  '__typename __schema __type READER ADMIN CALL TOKEN FAILED Int String Address JSON requiresRole ' +
  'include skip deprecated'
).split(' ');

function randomName(rng: Rng): string {
  return rng.weighted<() => string>([
    [() => rng.pick(schemaNames), 6],
    [() => rng.pick(variableNames), 2],
    [() => `x${rng.int(0, 99)}`, 1],
    [() => `_${'a'.repeat(rng.int(1, 300))}`, 1],
  ])();
}

/** An address as a variable: mostly a real one (any case), else something that is not an address. */
function randomAddressValue(rng: Rng): unknown {
  const real = rng.pick(accounts);
  return rng.weighted<() => unknown>([
    [() => real, 4],
    [() => real.toUpperCase().replace('0X', '0x'), 1],
    [() => `0x${randomHex(rng, 40)}`, 2],
    [() => `0x${randomHex(rng, rng.pick([0, 39, 41, 64]))}`, 1],
    [() => real.replace('0x', '0X'), 1],
    [() => real.slice(2), 1],
    [() => ` ${real}`, 1],
    [() => `${real}\n`, 1],
    [() => `0x${'g'.repeat(40)}`, 1],
    [() => `0x${'０'.repeat(40)}`, 1],
    [() => 'vitalik.eth', 1],
    [() => real + real.slice(2), 1],
    [() => randomJson(rng), 2],
  ])();
}

function randomHex(rng: Rng, length: number): string {
  let text = '';
  for (let i = 0; i < length; i += 1) text += '0123456789abcdefABCDEF'[rng.int(0, 21)];
  return text;
}

/** A page cursor: real encodings of plausible and implausible positions, and junk. */
function randomCursor(rng: Rng, world: World): string {
  const row = rng.pick(world.scores);
  return rng.weighted<() => string>([
    [() => encodeCursor(rng.int(0, 8)), 3],
    [() => encodeCursor({ score: row.score, address: row.address }), 3],
    [() => encodeCursor(rng.pick([-1, -0.5, 1.5, 2 ** 53 + 2, 1e300, '3', null, true, [1], {}])), 2],
    [
      () =>
        encodeCursor(
          rng.pick([
            { score: '0.5', address: row.address },
            { score: 0.5, address: 7 },
            { score: -1e308, address: '' },
            { score: 0.5 },
            { address: row.address },
            { score: 0.5, address: row.address, extra: 1 },
          ]),
        ),
      2,
    ],
    [() => Buffer.from('{"score":1e999,"address":"x"}').toString('base64url'), 1],
    [() => Buffer.from(randomAscii(rng, rng.int(0, 30))).toString('base64url'), 1],
    [() => randomString(rng), 2],
    [() => rng.pick(['', '=', '====', '!!!', 'eyJ', 'bnVsbA', 'LTE']), 1],
  ])();
}

/** A literal argument value in GraphQL syntax: sometimes of the expected type, often not. */
function randomLiteral(rng: Rng): string {
  return rng.weighted<() => string>([
    [() => String(rng.pick([0, -1, 5, 6, 100, 2 ** 31, -(2 ** 31) - 1])), 3],
    [
      () =>
        rng.pick([
          '1e100',
          '-0',
          '0.5',
          '5.0',
          '99999999999999999999999',
          '1e999',
          '-1e999',
          '007',
          '0x10',
          '.5',
          '5.',
          '+5',
        ]),
      2,
    ],
    [() => JSON.stringify(randomString(rng)), 2],
    [() => rng.pick(['null', 'true', 'false', 'CALL', 'READER', '[5]', '[]', '{}', '{a: 1}', '$nope']), 2],
    [() => `"""${randomAscii(rng, rng.int(0, 20)).replaceAll('"""', '')}"""`, 1],
    [() => toLiteral(randomJson(rng)), 2],
  ])();
}

/** A JSON value written as a GraphQL literal (object keys that are not names are replaced). */
function toLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toLiteral).join(', ')}]`;
  const fields = Object.entries(value as Record<string, unknown>).map(
    ([name, v], i) => `${/^[_A-Za-z][_0-9A-Za-z]*$/.test(name) ? name : `k${i}`}: ${toLiteral(v)}`,
  );
  return `{${fields.join(', ')}}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Valid operations: the starting point of most of the fuzz.

/** Who a request's key belongs to, as far as its generator cares (to keep admins away from real jobs). */
type Role = 'reader' | 'admin' | 'other';

interface Operation {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

interface Template {
  name: string;
  build(rng: Rng, world: World, role: Role): Operation;
}

const riskFields = 'score category modelVersion architecture snapshotId scoredAt reasons';
const profileFields = `address risk { ${riskFields} } labels { label category source }
  sybil { campaignId probability clusterId evidence excluded }
  community { id size pagerank componentSize coreNumber snapshotId } features { name value normalized }
  activity { transactionsSent transactionsReceived tokenTransfers swaps firstBlock lastBlock firstSeen lastSeen }`;

const templates: Template[] = [
  {
    name: 'riskiest',
    build: (rng, world) => ({
      query: `query Riskiest($first: Int, $after: String, $category: String) {
  riskiest(first: $first, after: $after, category: $category) {
    edges { cursor node { address risk { ${riskFields} } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
      variables: {
        first: rng.int(0, limits.maxPageSize),
        ...(rng.chance(0.4) ? { after: randomCursor(rng, world) } : {}),
        ...(rng.chance(0.3) ? { category: rng.pick(categories) } : {}),
      },
    }),
  },
  {
    name: 'riskiest literal',
    build: (rng) => ({
      query: `{ riskiest(first: ${rng.int(1, limits.maxPageSize)}, category: "${rng.pick(categories)}") { edges { node { address risk { score } } } pageInfo { endCursor } } }`,
    }),
  },
  {
    name: 'profile',
    build: (rng) => ({
      query: `query Profile($address: Address!) { address(address: $address) { ${profileFields} } }`,
      variables: { address: rng.pick(accounts) },
    }),
  },
  {
    name: 'profile literal',
    build: (rng) => ({
      query: `{ address(address: "${rng.pick(accounts)}") { address risk { score category } labels { label } community { id size } } }`,
    }),
  },
  {
    name: 'counterparties',
    build: (rng, world) => ({
      query: `query Hop($address: Address!, $first: Int, $after: String, $type: InteractionType) {
  address(address: $address) {
    counterparties(first: $first, after: $after, type: $type) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { address direction type token count firstBlock lastBlock profile { address risk { score } labels { label } } } }
    }
  }
}`,
      variables: {
        address: rng.pick(accounts),
        first: rng.int(0, limits.maxPageSize),
        ...(rng.chance(0.3) ? { after: randomCursor(rng, world) } : {}),
        ...(rng.chance(0.3) ? { type: rng.pick(['CALL', 'NATIVE', 'TOKEN', 'SWAP', 'FUNDING']) } : {}),
      },
    }),
  },
  {
    name: 'riskScores',
    build: (rng) => ({
      query:
        'query Batch($addresses: [Address!]!) { riskScores(addresses: $addresses) { address reason risk { score category } } }',
      variables: {
        addresses: Array.from({ length: rng.int(0, limits.maxBatchSize) }, () =>
          rng.chance(0.7) ? rng.pick(accounts) : `0x${randomHex(rng, 40)}`,
        ),
      },
    }),
  },
  {
    name: 'riskScores literal',
    build: (rng) => ({
      query: `{ riskScores(addresses: [${rng
        .shuffle(accounts)
        .slice(0, rng.int(1, 5))
        .map((a) => `"${a}"`)
        .join(', ')}]) { address reason risk { score } } }`,
    }),
  },
  {
    name: 'campaigns',
    build: () => ({
      query: `query Campaigns { airdropCampaigns { id name snapshotId snapshotBlock tokenSymbol tokenDecimals budget
  allocationRule merkleRoot createdAt stats { eligible recipients excluded sybilClusters } } }`,
    }),
  },
  {
    name: 'campaign targets',
    build: (rng, world) => ({
      query: `query Campaign($id: ID!, $first: Int, $after: String, $excluded: Boolean) {
  airdropCampaign(id: $id) {
    id name
    targets(first: $first, after: $after, excluded: $excluded) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { address amount rank engagement sybilProbability clusterId excluded reason evidence proof } }
    }
  }
}`,
      variables: {
        id: rng.chance(0.8) ? world.campaignId : randomString(rng),
        first: rng.int(0, limits.maxPageSize),
        ...(rng.chance(0.3) ? { after: randomCursor(rng, world) } : {}),
        excluded: rng.chance(0.3),
      },
    }),
  },
  {
    name: 'prices',
    build: (rng) => ({
      query: `query Prices($token: Address!, $from: DateTime, $to: DateTime, $horizon: Int, $modelVersion: String) {
  pricePredictions(token: $token, from: $from, to: $to, horizon: $horizon, modelVersion: $modelVersion) {
    token windowStart horizonSeconds predictedReturn lower upper directionProbability actualReturn modelVersion predictedAt
  }
}`,
      variables: {
        token: rng.chance(0.5) ? token : rng.pick(accounts),
        ...(rng.chance(0.5) ? { from: rng.pick(['2023-11-14T00:00:00Z', 1_700_000_000, '2023-11-14']) } : {}),
        ...(rng.chance(0.5) ? { to: rng.pick(['2030-01-01T00:00:00.000Z', 1_900_000_000]) } : {}),
        ...(rng.chance(0.3) ? { horizon: rng.pick([3_600, 86_400]) } : {}),
        ...(rng.chance(0.3) ? { modelVersion: 'price-v1' } : {}),
      },
    }),
  },
  {
    name: 'models',
    build: (rng) => ({
      query: `query Models($task: String) { models(task: $task) { task version architecture snapshotId createdAt backend
  metrics baseline split training hyperparameters featureNames error } }`,
      variables: rng.chance(0.5) ? { task: rng.pick(['risk', 'sybil', 'price']) } : {},
    }),
  },
  {
    name: 'status',
    build: () => ({ query: '{ indexerStatus { chainId indexedBlock head lag } }' }),
  },
  {
    name: 'jobs',
    build: (rng) => ({
      query: `query Jobs($status: JobStatus, $first: Int) { jobs(status: $status, first: $first) {
  id kind status attemptsMade progress payload result failedReason createdAt finishedAt } }`,
      variables: {
        first: rng.int(0, limits.maxPageSize),
        ...(rng.chance(0.5) ? { status: rng.pick(['WAITING', 'ACTIVE', 'FAILED', 'WAITING_CHILDREN']) } : {}),
      },
    }),
  },
  {
    name: 'addLabels',
    build: (rng, _world, role) => ({
      query: `mutation Label($source: String!, $labels: [LabelInput!]!) { addLabels(source: $source, labels: $labels) { added source } }`,
      variables: {
        source: role === 'admin' ? 'fuzzadmin' : 'fuzzreader',
        labels: Array.from({ length: rng.int(0, 3) }, () => ({
          address: `0x${randomHex(rng, 40)}`,
          label: `fuzz ${rng.int(0, 99)}`,
          category: rng.pick(categories),
        })),
      },
    }),
  },
  {
    name: 'addLabels literal',
    build: (rng, _world, role) => ({
      query: `mutation { addLabels(source: "${role === 'admin' ? 'fuzzadmin' : 'fuzzreader'}", labels: [{ address: "0x${randomHex(rng, 40)}", label: "fuzz", category: "phishing", confidence: 0.5 }]) { added source } }`,
    }),
  },
  {
    name: 'enqueueJob',
    build: (rng, _world, role) => ({
      query:
        'mutation Enqueue($kind: String!, $payload: JSON) { enqueueJob(kind: $kind, payload: $payload) { id kind status } }',
      variables: { kind: jobKind(rng, role), payload: randomJson(rng) },
    }),
  },
  {
    name: 'createAirdropCampaign',
    build: (rng, _world, role) => ({
      query:
        'mutation Drop($campaign: JSON!) { createAirdropCampaign(campaign: $campaign) { id kind status } }',
      variables: {
        campaign:
          role === 'admin'
            ? randomJson(rng)
            : { id: 'fuzz', name: 'Fuzz', budget: '1000', token: { symbol: 'F', decimals: 18 } },
      },
    }),
  },
];

/** A job kind: any for callers who may not enqueue, never a real one for an admin (that would run a job). */
function jobKind(rng: Rng, role: Role): string {
  const bogus = [
    '',
    'bogus',
    'SCORE',
    ' score',
    'score ',
    'build_graph',
    'ingest-range\u0000',
    randomString(rng),
  ];
  const kind = role === 'admin' || rng.chance(0.5) ? rng.pick(bogus) : rng.pick(jobKinds);
  return role === 'admin' && (jobKinds as readonly string[]).includes(kind) ? 'bogus' : kind;
}

const templateNamed = (name: string) => templates.find((t) => t.name === name)!;

/** Any template (each keeps an admin's mutations from starting a job: see {@link jobKind}). */
function pickTemplate(rng: Rng): Template {
  return rng.pick(templates);
}

// ---------------------------------------------------------------------------------------------------------------
// Request families.

interface FuzzRequest {
  index: number;
  family: string;
  caller: Caller;
  method: string;
  path: string;
  headers: HeaderList;
  body?: string | Uint8Array;
}

type Draft = Omit<FuzzRequest, 'index' | 'caller' | 'headers' | 'family'> & { headers?: HeaderList };

function post(operation: unknown, headers: HeaderList = []): Draft {
  return {
    method: 'POST',
    path: '/graphql',
    headers: [['content-type', 'application/json'], ...headers],
    body: JSON.stringify(operation),
  };
}

const tokenPattern =
  /"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|\.\.\.|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[_A-Za-z][_0-9A-Za-z]*|\S/g;
const punctuation = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '$',
  '!',
  '@',
  '...',
  '=',
  '"',
  '#',
  '|',
  '&',
  ',',
  '\\',
];

/** A query with 1–4 token-level edits: deletions, duplications, swaps, renames, stray punctuation, truncation. */
function mutateQuery(rng: Rng, query: string): string {
  const tokens = query.match(tokenPattern) ?? [];
  for (let edits = rng.int(1, 4); edits > 0 && tokens.length > 0; edits -= 1) {
    const i = rng.int(0, tokens.length - 1);
    switch (rng.int(0, 9)) {
      case 0:
        tokens.splice(i, 1);
        break;
      case 1:
        tokens.splice(i, 0, tokens[i]!);
        break;
      case 2:
        if (i + 1 < tokens.length) [tokens[i], tokens[i + 1]] = [tokens[i + 1]!, tokens[i]!];
        break;
      case 3:
        tokens[i] = randomName(rng);
        break;
      case 4:
        tokens.splice(i, 0, rng.pick(punctuation));
        break;
      case 5:
        tokens.length = i;
        break;
      case 6:
        tokens.splice(i, 0, ...tokens.slice(i, i + rng.int(1, 12)));
        break;
      case 7:
        tokens[i] = randomLiteral(rng);
        break;
      case 8:
        tokens.splice(i, rng.int(1, 6));
        break;
      default:
        tokens.splice(i, 0, rng.pick(['{', '}']).repeat(rng.int(1, 50)));
    }
  }
  return tokens.join(' ');
}

/** Fields taking `first`, with what must surround them. */
const pagedFields = [
  (first: string, after = '') =>
    `riskiest(first: ${first}${after}) { edges { cursor node { address } } pageInfo { hasNextPage endCursor } }`,
  (first: string, after = '') =>
    `address(address: "${accounts[0]}") { counterparties(first: ${first}${after}) { totalCount edges { cursor node { address } } pageInfo { endCursor } } }`,
  (first: string, after = '') =>
    `airdropCampaign(id: "fuzz-drop") { targets(first: ${first}${after}) { totalCount edges { cursor node { address rank } } } }`,
  (first: string) => `jobs(first: ${first}) { id }`,
];

function firstValues(rng: Rng): Draft {
  const field = rng.pick(pagedFields);
  const type = rng.weighted([
    ['Int', 6],
    ['Int!', 2],
    ['Float', 1],
    ['String', 1],
    ['[Int]', 1],
    ['ID', 1],
  ]);
  return rng.weighted<() => Draft>([
    [() => post({ query: `{ ${field(randomLiteral(rng))} }` }), 3],
    [
      () =>
        post({
          query: `query Page($first: ${type}) { ${field('$first')} }`,
          variables: { first: rng.chance(0.7) ? rng.pick(oddNumbers) : randomJson(rng) },
        }),
      3,
    ],
    [
      // The variable's default is what runs when no value comes for it.
      () =>
        post({
          query: `query Page($first: Int = ${rng.pick(['-1', '0', '6', '50', '1000', '2147483647', '-2147483648'])}) { ${field('$first')} }`,
        }),
      2,
    ],
  ])();
}

function addressFuzz(rng: Rng): Draft {
  const value = randomAddressValue(rng);
  const literal = typeof value === 'string' ? JSON.stringify(value) : toLiteral(value);
  return rng.weighted<() => Draft>([
    [
      () => post({ query: `{ address(address: ${literal}) { address risk { score } labels { label } } }` }),
      2,
    ],
    [
      () =>
        post({
          query: 'query A($a: Address!) { address(address: $a) { address activity { swaps lastSeen } } }',
          variables: { a: value },
        }),
      2,
    ],
    [
      () =>
        post({
          query: 'query B($a: [Address!]!) { riskScores(addresses: $a) { address reason } }',
          variables: { a: [rng.pick(accounts), value] },
        }),
      2,
    ],
    [
      () =>
        post({
          query: `query P($t: Address!, $from: DateTime, $to: DateTime, $h: Int) {
  pricePredictions(token: $t, from: $from, to: $to, horizon: $h) { token windowStart } }`,
          variables: {
            t: value,
            from: rng.pick([...oddNumbers, '2023-13-45', '2023-01-01T99:00:00Z', '9999-12-31', 'now', '']),
            to: randomJson(rng),
            h: rng.pick(oddNumbers),
          },
        }),
      2,
    ],
    [
      () =>
        post({
          query: `{ pricePredictions(token: ${literal}, from: ${rng.pick(['1e999', '-1', '"2023-11-14"', '1.5', '4294967296'])}) { token } }`,
        }),
      1,
    ],
    [
      () =>
        post({
          query: 'query M($task: String) { models(task: $task) { task version error } }',
          variables: {
            task: rng.chance(0.5)
              ? randomString(rng)
              : rng.pick([
                  '\u0000',
                  'risk\u0000',
                  '.',
                  '..',
                  '../..',
                  '/',
                  '/etc',
                  'risk/../..',
                  'Risk',
                  'a'.repeat(300),
                ]),
          },
        }),
      1,
    ],
  ])();
}

function cursorFuzz(rng: Rng, world: World): Draft {
  const field = rng.pick(pagedFields.slice(0, 3));
  const cursor = randomCursor(rng, world);
  return rng.chance(0.5)
    ? post({
        query: `query Page($after: String) { ${field(String(rng.int(0, limits.maxPageSize)), ', after: $after')} }`,
        variables: { after: rng.chance(0.9) ? cursor : randomJson(rng) },
      })
    : post({
        query: `{ ${field(String(rng.int(0, limits.maxPageSize)), `, after: ${JSON.stringify(cursor)}`)} }`,
      });
}

function nestingFuzz(rng: Rng): Draft {
  return rng.weighted<() => Draft>([
    [
      () => {
        // Walk the graph `hops` counterparties further through Counterparty.profile.
        const hops = rng.int(1, 14);
        const first = rng.int(0, limits.maxPageSize);
        const open = `counterparties(first: ${first}) { totalCount edges { node { address profile { `;
        const leaf = rng.pick(['address', 'address risk { score }', `${profileFields}`]);
        const inner = `${open.repeat(hops)}${leaf}${' } } } }'.repeat(hops)}`;
        return post({ query: `{ address(address: "${rng.pick(accounts)}") { ${inner} } }` });
      },
      5,
    ],
    [
      () => {
        const n = rng.pick([10, 100, 1_000, 3_000]);
        return post({
          query: `{ ${'... on Query { '.repeat(n)} indexerStatus { chainId } ${'} '.repeat(n)} }`,
        });
      },
      2,
    ],
    [() => post({ query: `${'{'.repeat(rng.int(1_000, 30_000))}` }), 1],
    [
      () => {
        const n = rng.int(100, 20_000);
        return post({
          query: `{ riskScores(addresses: ${'['.repeat(n)}"${accounts[0]}"${']'.repeat(n)}) { address } }`,
        });
      },
      1,
    ],
    [
      () => {
        const n = rng.int(100, 10_000);
        return post({
          query: `mutation { enqueueJob(kind: "bogus", payload: ${'{a: '.repeat(n)}1${'}'.repeat(n)}) { id } }`,
        });
      },
      1,
    ],
    [
      () => {
        // Deeply nested variables: the body is still well under the size limit.
        const text = deepJson(rng.int(1_000, 20_000), rng.chance(0.5));
        const query = rng.pick([
          'query B($a: [Address!]!) { riskScores(addresses: $a) { address } }',
          'mutation E($p: JSON) { enqueueJob(kind: "bogus", payload: $p) { id } }',
          'query P($a: String) { riskiest(after: $a) { edges { cursor } } }',
        ]);
        const name = query.includes('$a') ? 'a' : 'p';
        return {
          method: 'POST',
          path: '/graphql',
          headers: [['content-type', 'application/json']],
          body: `{"query":${JSON.stringify(query)},"variables":{"${name}":${text}}}`,
        };
      },
      1,
    ],
  ])();
}

function batchFuzz(rng: Rng): Draft {
  const size = rng.pick([
    0,
    1,
    limits.maxBatchSize - 1,
    limits.maxBatchSize,
    limits.maxBatchSize + 1,
    3 * limits.maxBatchSize,
    rng.int(0, 1_500),
  ]);
  const addresses = Array.from({ length: size }, (_, i) =>
    i % 3 === 0 ? rng.pick(accounts) : `0x${randomHex(rng, 40)}`,
  );
  const list = `[${addresses.map((a) => `"${a}"`).join(',')}]`;
  const selection = '{ address reason risk { score category reasons } }';
  return rng.weighted<() => Draft>([
    [() => post({ query: `{ riskScores(addresses: ${list}) ${selection} }` }), 2],
    [
      () =>
        post({
          query: `query B($a: [Address!]!) { riskScores(addresses: $a) ${selection} }`,
          variables: { a: addresses },
        }),
      3,
    ],
    [
      () => post({ query: `query B($a: [Address!]! = ${list}) { riskScores(addresses: $a) ${selection} }` }),
      2,
    ],
    [
      () =>
        post({
          query: `query B($x: Address!) { riskScores(addresses: [${addresses.map(() => '$x').join(',')}]) ${selection} }`,
          variables: { x: rng.pick(accounts) },
        }),
      1,
    ],
    [
      () =>
        post({
          query: `query B($a: [Address!]!) { ${Array.from({ length: rng.int(2, 8) }, (_, i) => `b${i}: riskScores(addresses: $a) ${selection}`).join(' ')} }`,
          variables: { a: addresses.slice(0, limits.maxBatchSize) },
        }),
      1,
    ],
  ])();
}

function wrongVariables(rng: Rng, world: World, role: Role): Draft {
  const operation = pickTemplate(rng).build(rng, world, role);
  const names = [...operation.query.matchAll(/\$(\w+)\s*:/g)].map((m) => m[1]!);
  const variables = rng.weighted<() => unknown>([
    [
      () =>
        Object.fromEntries(
          names.map((name) => [
            name,
            name === 'kind' ? jobKind(rng, role) : name === 'source' ? 'fuzz!' : randomJson(rng),
          ]),
        ),
      5,
    ],
    [() => ({ ...operation.variables, [rng.pick(variableNames)]: randomJson(rng) }), 2],
    [() => randomJson(rng), 2],
    [() => JSON.stringify(operation.variables ?? {}), 1],
    [() => rng.pick([[], 0, '', 'null', true]), 1],
  ])();
  return post({ query: operation.query, variables });
}

function aliasFuzz(rng: Rng): Draft {
  const n = rng.pick([2, 10, 100, 1_000, 3_000]);
  const a = rng.pick(accounts);
  const many = (f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');
  return rng.pick<() => Draft>([
    () => post({ query: `{ ${many((i) => `a${i}: address(address: "${a}") { address }`)} }` }),
    () => post({ query: `{ ${many(() => 'a: indexerStatus { chainId }')} }` }),
    () => post({ query: `{ ${many(() => '__typename')} }` }),
    () => post({ query: `{ ${many((i) => `t${i}: __typename`)} }` }),
    () =>
      post({
        query: `{ ${many((i) => `a: address(address: "0x${String(i).padStart(40, '0')}") { address }`)} }`,
      }),
    () =>
      post({
        query: `{ ${Array.from({ length: Math.min(n, 40) }, (_, i) => `r${i}: riskiest(first: ${limits.maxPageSize}) { edges { node { address risk { score } } } }`).join(' ')} }`,
      }),
    // Each costs 1 but reads the warehouse: 3,000 of them hold it for seconds (capped here; see the report).
    () =>
      post({
        query: `{ ${Array.from({ length: Math.min(n, 1_000) }, (_, i) => `x${i}: riskiest { __typename }`).join(' ')} }`,
      }),
    () => post({ query: `{ 1a: indexerStatus { chainId } }` }),
    () => post({ query: `{ __a: indexerStatus { chainId } }` }),
  ])();
}

function fragmentFuzz(rng: Rng): Draft {
  const a = rng.pick(accounts);
  const chain = rng.int(2, 300);
  return rng.pick<() => Draft>([
    () =>
      post({
        query: `{ riskiest(first: 2) { ...E } } fragment E on RiskConnection { edges { node { address risk { score } } } }`,
      }),
    () => post({ query: '{ ...Missing }' }),
    () =>
      post({
        query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A indexerStatus { chainId } }',
      }),
    () => post({ query: '{ ...A } fragment A on Query { ...A }' }),
    () =>
      post({
        query: `{ address(address: "${a}") { ...P } } fragment P on AddressProfile { counterparties { edges { node { profile { ...P } } } } }`,
      }),
    () => post({ query: '{ ...A } fragment A on Mutation { addLabels(source: "x", labels: []) { added } }' }),
    () => post({ query: '{ ...A } fragment A on Nope { x }' }),
    () => post({ query: '{ indexerStatus { chainId } } fragment Unused on Query { indexerStatus { lag } }' }),
    () =>
      post({
        query:
          '{ ...A } fragment A on Query { indexerStatus { chainId } } fragment A on Query { jobs { id } }',
      }),
    () => post({ query: '{ ... on Nope { x } }' }),
    () => post({ query: '{ ... on AddressProfile { address } }' }),
    () =>
      post({
        query: `{ ...F0 } ${Array.from({ length: chain }, (_, i) => `fragment F${i} on Query { ${i + 1 < chain ? `...F${i + 1}` : 'indexerStatus { chainId }'} }`).join(' ')}`,
      }),
    () =>
      // Each fragment spreads the next twice, 2^depth times in all if nothing merged them.
      post({
        query: `{ ...F0 } ${Array.from({ length: 40 }, (_, i) => `fragment F${i} on Query { ${i + 1 < 40 ? `...F${i + 1} ...F${i + 1}` : 'indexerStatus { chainId }'} }`).join(' ')}`,
      }),
    () =>
      post({
        query: `{ address(address: "${a}") { ...P0 } } ${Array.from({ length: 12 }, (_, i) => `fragment P${i} on AddressProfile { counterparties(first: 5) { edges { node { profile { ${i + 1 < 12 ? `...P${i + 1} ...P${i + 1}` : 'address'} } } } } }`).join(' ')}`,
      }),
    () =>
      post({
        query: 'query Q($f: Int) { ...R } fragment R on Query { riskiest(first: $f) { edges { cursor } } }',
        variables: { f: rng.pick(oddNumbers) },
      }),
    () =>
      post({ query: '{ ...R } fragment R on Query { riskiest(first: $undefined) { edges { cursor } } }' }),
  ])();
}

function mutationFuzz(rng: Rng, world: World, role: Role): Draft {
  if (role === 'admin') {
    // Admins get only mutations that must be refused or that change nothing shared (labels of a fuzz source).
    return rng.pick<() => Draft>([
      () =>
        post({
          query: 'mutation E($k: String!, $p: JSON) { enqueueJob(kind: $k, payload: $p) { id kind } }',
          variables: { k: jobKind(rng, role), p: randomJson(rng) },
        }),
      () =>
        post({
          query: 'mutation C($c: JSON!) { createAirdropCampaign(campaign: $c) { id } }',
          variables: { c: randomJson(rng) },
        }),
      () =>
        post({
          query:
            'mutation L($s: String!, $l: [LabelInput!]!) { addLabels(source: $s, labels: $l) { added } }',
          variables: {
            s: rng.pick(['fuzzadmin', '', 'Fuzz', 'fuzz admin', 'a'.repeat(65), randomString(rng)]),
            l: Array.from({ length: rng.pick([0, 1, 3, 200]) }, () => ({
              address: randomAddressValue(rng),
              label: rng.pick(['x', '', '  ', randomString(rng)]),
              category: rng.pick(['phishing', '', randomString(rng)]),
              ...(rng.chance(0.5) ? { confidence: rng.pick(oddNumbers) } : {}),
            })),
          },
        }),
      () =>
        post({
          query: `mutation { addLabels(source: "fuzzadmin", labels: [{ address: "${rng.pick(accounts)}", label: "x", category: "y", confidence: ${rng.pick(['1e999', '-1e999', '2', '-0.1', 'NaN', '"1"'])} }]) { added } }`,
        }),
      () =>
        post({
          query: `mutation { enqueueJob(kind: ${JSON.stringify(jobKind(rng, role))}, payload: ${toLiteral(randomJson(rng))}) { id } }`,
        }),
    ])();
  }
  const mutation = rng.pick(['addLabels', 'addLabels literal', 'enqueueJob', 'createAirdropCampaign']);
  const operation = templateNamed(mutation).build(rng, world, role);
  return rng.weighted<() => Draft>([
    [() => post(operation), 4],
    [() => post({ ...operation, query: operation.query.replace(/^mutation/, 'subscription') }), 1],
    [() => post({ ...operation, query: operation.query.replace(/^mutation/, 'query') }), 1],
    [
      () => ({
        method: 'GET',
        path: `/graphql?${new URLSearchParams({ query: operation.query, variables: JSON.stringify(operation.variables ?? {}) })}`,
        headers: [['apollo-require-preflight', 'true']],
      }),
      1,
    ],
  ])();
}

const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/graphql',
  'application/graphql-response+json',
  'application/octet-stream',
  'image/png',
  '*/*',
  ';;;',
];

function randomBytesBody(rng: Rng): Draft {
  const bytes = new Uint8Array(rng.pick([0, 1, 2, 16, 256, 4_096, 30_000]));
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = rng.int(0, 255);
  return {
    method: 'POST',
    path: '/graphql',
    headers: rng.chance(0.8) ? [['content-type', rng.pick(contentTypes)]] : [],
    body: bytes,
  };
}

function randomJsonBody(rng: Rng, world: World, role: Role): Draft {
  const valid = pickTemplate(rng).build(rng, world, role);
  const body = rng.weighted<() => unknown>([
    [() => randomJson(rng), 3],
    [() => ({ query: randomJson(rng) }), 2],
    [() => ({ query: valid.query, variables: valid.variables, operationName: randomJson(rng) }), 1],
    [() => ({ query: valid.query, variables: valid.variables, extensions: randomJson(rng) }), 1],
    [
      () => ({
        query: valid.query,
        extensions: { persistedQuery: { version: 1, sha256Hash: randomHex(rng, 64) } },
      }),
      1,
    ],
    [() => ({ extensions: { persistedQuery: { version: 1, sha256Hash: randomHex(rng, 64) } } }), 1],
    [() => ({ queryId: 'x', id: 1 }), 1],
    [() => ({}), 1],
    [() => [valid, valid], 1],
    [() => [], 1],
    [() => ({ query: valid.query, variables: JSON.stringify(valid.variables ?? {}) }), 1],
    [() => ({ query: '' }), 1],
    [() => ({ query: '   # only a comment' }), 1],
    [() => ({ query: valid.query, __proto__: { variables: 1 }, constructor: 1 }), 1],
  ])();
  return post(body);
}

function contentTypeFuzz(rng: Rng, world: World, role: Role): Draft {
  const operation = pickTemplate(rng).build(rng, world, role);
  const body = rng.chance(0.8) ? JSON.stringify(operation) : operation.query;
  const headers: HeaderList = [];
  if (rng.chance(0.9)) headers.push(['content-type', rng.pick(contentTypes)]);
  if (rng.chance(0.3)) headers.push(['apollo-require-preflight', 'true']);
  if (rng.chance(0.3)) {
    headers.push([
      'accept',
      rng.pick([
        'application/json',
        'text/html',
        'image/png',
        'multipart/mixed',
        'multipart/mixed; deferSpec=20220824',
        'application/graphql-response+json',
        'text/event-stream',
        '*/*;q=0',
        ';;;',
      ]),
    ]);
  }
  if (rng.chance(0.1)) headers.push(['content-encoding', rng.pick(['gzip', 'br', 'deflate', 'identity'])]);
  return {
    method: 'POST',
    path: '/graphql',
    headers,
    body: rng.chance(0.9) ? body : new TextEncoder().encode(body),
  };
}

function getFuzz(rng: Rng, world: World, role: Role): Draft {
  const operation = pickTemplate(rng).build(rng, world, role);
  const query = rng.chance(0.3) ? mutateQuery(rng, operation.query) : operation.query;
  const params = new URLSearchParams();
  if (rng.chance(0.95)) params.append('query', query);
  if (rng.chance(0.7)) {
    params.append(
      'variables',
      rng.pick([
        JSON.stringify(operation.variables ?? {}),
        '{',
        '[]',
        '"x"',
        'null',
        '1',
        JSON.stringify(randomJson(rng)),
      ]),
    );
  }
  if (rng.chance(0.2)) params.append('operationName', rng.pick(['', 'Nope', 'Riskiest']));
  if (rng.chance(0.1)) params.append('extensions', rng.pick(['{', '{"persistedQuery":{"version":1}}', '[]']));
  if (rng.chance(0.1)) params.append('query', '{ indexerStatus { chainId } }');
  // Node answers a request line and headers over 16 KiB itself (431, no body), before the API sees it.
  if (params.toString().length > 12_000) params.set('variables', '{}');
  let search = params.toString();
  if (rng.chance(0.1))
    search = rng.pick(['query=%ZZ', 'query=%', '%%%', '&&&', 'query', '=', `query=${'%7B'.repeat(3_000)}`]);
  const headers: HeaderList = [];
  if (rng.chance(0.7)) headers.push(['apollo-require-preflight', 'true']);
  if (rng.chance(0.15)) headers.push(['content-type', rng.pick(['application/json', 'text/plain'])]);
  if (rng.chance(0.2)) headers.push(['accept', rng.pick(['text/html', 'application/json', 'image/png'])]);
  return { method: 'GET', path: `/graphql?${search}`, headers };
}

const paths = [
  '/',
  '/graphql/',
  '/GRAPHQL',
  '/graphql/x',
  '/graphql%00',
  '/./graphql',
  '/x/../graphql',
  '//graphql',
  '//[',
  '//a:b@c/graphql',
  '//%',
  '/%ZZ',
  '/%',
  '/healthz',
  '/healthz/',
  '/readyz',
  '/metrics',
  '/metrics?x=1',
  '/graphiql',
  '/graphiql/',
  '/graphiql/assets/graphiql.min.css',
  '/graphiql/assets/nope.js',
  '/graphiql/assets/../../package.json',
  '/graphiql/assets/%2e%2e%2f%2e%2e%2fpackage.json',
  '/admin/queues',
  '/admin/queues/api/queues',
  `/${'a'.repeat(6_000)}`,
];

function routeFuzz(rng: Rng): Draft {
  const method = rng.weighted([
    ['GET', 6],
    ['POST', 3],
    ['PUT', 1],
    ['DELETE', 1],
    ['PATCH', 1],
    ['OPTIONS', 1],
    ['HEAD', 1],
    ['PROPFIND', 1],
  ]);
  const path = rng.chance(0.3) ? '/graphql' : rng.pick(paths);
  const withBody = method !== 'GET' && method !== 'HEAD';
  return {
    method,
    path,
    headers: withBody ? [['content-type', 'application/json']] : [],
    ...(withBody ? { body: JSON.stringify({ query: '{ indexerStatus { chainId } }' }) } : {}),
  };
}

function bigBody(rng: Rng): Draft {
  const size = rng.pick([
    limits.maxBodyBytes - 100,
    limits.maxBodyBytes + 1,
    2 * limits.maxBodyBytes,
    2 << 20,
  ]);
  const padding = 'x'.repeat(Math.max(0, size - 60));
  return post({ query: `{ indexerStatus { chainId } } # ${padding}`, variables: {} });
}

function multiOperation(rng: Rng): Draft {
  const two = 'query A { indexerStatus { chainId } } query B { airdropCampaigns { id } }';
  return rng.pick<() => Draft>([
    () => post({ query: two }),
    () => post({ query: two, operationName: rng.pick(['A', 'B', 'C', '', null, 5]) }),
    () => post({ query: '{ indexerStatus { chainId } } { models { task } }' }),
    () =>
      post({
        query: 'query A { indexerStatus { chainId } } query A { models { task } }',
        operationName: 'A',
      }),
    () =>
      post({
        query: 'query A { indexerStatus { chainId } } mutation B { enqueueJob(kind: "bogus") { id } }',
        operationName: 'B',
      }),
    () => post({ query: 'subscription { indexerStatus { chainId } }' }),
    () => post({ query: '{ indexerStatus @skip(if: true) { chainId } }' }),
    () => post({ query: '{ indexerStatus @include(if: $x) { chainId } }' }),
    () => post({ query: '{ indexerStatus @nope @nope { chainId } }' }),
    () => post({ query: '{ indexerStatus @requiresRole(role: READER) { chainId } }' }),
    () => post({ query: '{ indexerStatus @skip(if: false) @skip(if: true) { chainId } }' }),
    () => post({ query: 'query Q($x: Nope) { indexerStatus { chainId } }', variables: { x: 1 } }),
    () => post({ query: 'query Q($x: Int, $x: Int) { indexerStatus { chainId } }' }),
    () => post({ query: 'query Q($x: AddressProfile) { indexerStatus { chainId } }' }),
    () => post({ query: '{ jobs(status: NOPE) { id } }' }),
    () =>
      post({
        query: '{ address(address: "0x0000000000000000000000000000000000000000", extra: 1) { address } }',
      }),
    () => post({ query: '{ indexerStatus }' }),
    () => post({ query: '{ indexerStatus { chainId { x } } }' }),
    () => post({ query: '{ __schema { types { name } } }' }),
    () => post({ query: '{ __type(name: "Query") { fields { name } } }' }),
  ])();
}

/** The introspection query GraphiQL sends (allowed in development only). */
const introspection = `query IntrospectionQuery { __schema { queryType { name } mutationType { name }
  types { ...FullType } directives { name locations args { ...InputValue } } } }
fragment FullType on __Type { kind name fields(includeDeprecated: true) { name args { ...InputValue } type { ...TypeRef } }
  inputFields { ...InputValue } interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name } possibleTypes { ...TypeRef } }
fragment InputValue on __InputValue { name type { ...TypeRef } defaultValue }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`;

/** Every family, with its share of the requests. */
const families: [string, number, (rng: Rng, world: World, role: Role) => Draft][] = [
  ['valid', 9, (rng, world, role) => post(pickTemplate(rng).build(rng, world, role))],
  [
    'mutated',
    18,
    (rng, world, role) => {
      const operation = pickTemplate(rng).build(rng, world, role);
      return post({
        ...operation,
        query: mutateQuery(rng, operation.query),
        ...(rng.chance(0.3) ? { variables: randomJson(rng) } : {}),
      });
    },
  ],
  ['first', 7, firstValues],
  ['address', 6, addressFuzz],
  ['cursor', 5, cursorFuzz],
  ['nesting', 6, nestingFuzz],
  ['batch', 5, batchFuzz],
  ['variables', 7, wrongVariables],
  ['aliases', 4, aliasFuzz],
  ['fragments', 5, fragmentFuzz],
  ['mutation', 6, mutationFuzz],
  ['bytes', 3, randomBytesBody],
  ['json', 5, randomJsonBody],
  ['content-type', 4, contentTypeFuzz],
  ['get', 5, getFuzz],
  ['route', 3, routeFuzz],
  ['big-body', 1, bigBody],
  ['operations', 3, multiOperation],
  ['introspection', 1, () => post({ query: introspection })],
];

function generateRequests(count: number, label: string, world: World, keys: Keys): FuzzRequest[] {
  const rng = createRng(`${seed}/${label}`);
  const choices = families.map(([name, weight, build]) => [{ name, build }, weight] as const);
  return Array.from({ length: count }, (_, index) => {
    const credentials = credentialsFor(rng, keys);
    const role: Role =
      credentials.caller === 'admin' ? 'admin' : credentials.caller === 'reader' ? 'reader' : 'other';
    const family = rng.weighted(choices);
    const draft = family.build(rng, world, role);
    return {
      index,
      family: family.name,
      caller: credentials.caller,
      ...draft,
      headers: [...(draft.headers ?? []), ...credentials.headers],
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Sending and checking.

type Sent = { status: number; headers: Headers; text: string; ms: number } | { error: string; ms: number };

async function send(baseUrl: string, request: FuzzRequest): Promise<Sent> {
  const started = performance.now();
  try {
    const response = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      headers: new Headers(request.headers),
      ...(request.body === undefined ? {} : { body: request.body }),
      redirect: 'manual',
      signal: AbortSignal.timeout(20_000),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, text, ms: performance.now() - started };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return {
      error: `${(error as Error).message}${cause ? ` (${cause.code ?? ''} ${cause.message ?? ''})` : ''}`,
      ms: performance.now() - started,
    };
  }
}

async function sendAll(baseUrl: string, requests: readonly FuzzRequest[]): Promise<Sent[]> {
  const results: Sent[] = new Array(requests.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const request = requests[next++]!;
        results[request.index] = await send(baseUrl, request);
      }
    }),
  );
  return results;
}

function pathnameOf(path: string): string | undefined {
  try {
    return new URL(path, 'http://localhost').pathname;
  } catch {
    return undefined;
  }
}

type Mode = 'production' | 'development';

/** What is wrong with one response (nothing, usually). */
function checkResponse(request: FuzzRequest, sent: Sent, mode: Mode): string[] {
  if ('error' in sent) return [`no response: ${sent.error}`];
  const problems: string[] = [];
  if (sent.status >= 500) problems.push(`status ${sent.status}`);
  const pathname = pathnameOf(request.path);
  const graphql = pathname === '/graphql';
  if (graphql && !isAuthenticated(request.caller) && sent.status !== 401) {
    problems.push(`a caller without a valid key (${request.caller}) got ${sent.status}, not 401`);
  }
  if (graphql && isAuthenticated(request.caller) && sent.status === 401) {
    problems.push(`a valid ${request.caller} key was refused`);
  }
  if (request.method === 'HEAD') {
    if (sent.text !== '') problems.push('a HEAD response has a body');
    return problems;
  }
  const type = sent.headers.get('content-type') ?? '';
  if (!type.includes('application/json') && !type.includes('application/graphql-response+json')) {
    const served =
      sent.status === 200 &&
      ((pathname?.startsWith('/metrics') && request.caller === 'admin') ||
        (mode === 'development' && pathname?.startsWith('/graphiql')));
    if (!served) problems.push(`content-type ${JSON.stringify(type)} on a ${sent.status} response`);
    return problems;
  }
  let body: unknown;
  try {
    body = JSON.parse(sent.text);
  } catch {
    return [...problems, 'the body is not JSON'];
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return [...problems, 'the body is not a JSON object'];
  }
  const { data, errors } = body as { data?: unknown; errors?: unknown };
  if (graphql && !isAuthenticated(request.caller)) {
    if ('data' in body) problems.push('a caller without a valid key got a data field');
    if (!Array.isArray(errors) || errors.some((e) => e?.extensions?.code !== 'UNAUTHENTICATED')) {
      problems.push('a refused caller did not get UNAUTHENTICATED');
    }
  }
  if (graphql && errors === undefined && data === undefined) problems.push('neither data nor errors');
  if (errors !== undefined) {
    if (!Array.isArray(errors) || errors.length === 0) problems.push('errors is not a non-empty list');
    else {
      for (const error of errors as { message?: unknown; extensions?: Record<string, unknown> }[]) {
        const code = error?.extensions?.code;
        if (typeof error?.message !== 'string') problems.push('an error without a message');
        if (typeof code !== 'string')
          problems.push(`an error without a string extensions.code: ${JSON.stringify(error)}`);
        if (mode === 'production' && error?.extensions && 'stacktrace' in error.extensions) {
          problems.push(`a stacktrace in production (code ${String(code)})`);
        }
        if (code === 'INTERNAL_SERVER_ERROR') {
          problems.push(`an internal error: ${String(error.message).slice(0, 300)}`);
        }
      }
    }
  }
  if (data !== undefined) problems.push(...checkLimits(data));
  return problems;
}

/** Pages and batches in the data are no larger than the limits allow, however the operation was written. */
function checkLimits(data: unknown): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) {
      const batch = value.length > 0 && value.every((v) => v && typeof v === 'object' && 'reason' in v);
      if (batch && value.length > limits.maxBatchSize) {
        problems.push(`${path} holds ${value.length} lookups, more than maxBatchSize ${limits.maxBatchSize}`);
      }
      for (const [i, v] of value.entries()) walk(v, `${path}[${i}]`);
    } else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (key === 'edges' && Array.isArray(v) && v.length > limits.maxPageSize) {
          problems.push(`${path}.edges holds ${v.length} edges, more than maxPageSize ${limits.maxPageSize}`);
        }
        walk(v, `${path}.${key}`);
      }
    }
  };
  walk(data, 'data');
  return problems;
}

/** The request as it can be replayed, keys named by role. */
function describeRequest(request: FuzzRequest, keys: Keys, label: string): string {
  const named = (text: string) =>
    Object.entries(keys).reduce((out, [name, key]) => out.replaceAll(key, `<${name} key>`), text);
  const body =
    request.body === undefined
      ? '(none)'
      : typeof request.body === 'string'
        ? request.body.length > 3_000
          ? `${request.body.slice(0, 3_000)}… (${request.body.length} characters)`
          : request.body
        : `bytes (base64) ${Buffer.from(request.body).toString('base64').slice(0, 3_000)}`;
  const path = request.path.length > 500 ? `${request.path.slice(0, 500)}…` : request.path;
  return [
    `seed ${seed}/${label} request #${request.index} (${request.family}, caller ${request.caller})`,
    `  ${request.method} ${path}`,
    ...request.headers.map(([name, value]) => `  ${name}: ${named(value).slice(0, 300)}`),
    `  body: ${body}`,
  ].join('\n');
}

function describeResponse(sent: Sent): string {
  if ('error' in sent) return `  -> no response after ${Math.round(sent.ms)} ms: ${sent.error}`;
  return `  -> ${sent.status} ${sent.headers.get('content-type') ?? ''} after ${Math.round(sent.ms)} ms: ${sent.text.slice(0, 1_000)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The runs.

function parseJson(
  text: string,
): { data?: unknown; errors?: { extensions?: { code?: unknown } }[] } | undefined {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Error codes each run must have provoked at least once (else the fuzz has stopped reaching that check). */
const expectedCodes: Record<Mode, string[]> = {
  production: [
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'BAD_REQUEST',
    'BAD_USER_INPUT',
    'GRAPHQL_PARSE_FAILED',
    'GRAPHQL_VALIDATION_FAILED',
    'DEPTH_LIMIT_EXCEEDED',
    'COMPLEXITY_LIMIT_EXCEEDED',
    'PAGE_SIZE_EXCEEDED',
    'BATCH_SIZE_EXCEEDED',
    'PAYLOAD_TOO_LARGE',
    'NOT_FOUND',
  ],
  development: [
    'UNAUTHENTICATED',
    'FORBIDDEN',
    'BAD_USER_INPUT',
    'GRAPHQL_PARSE_FAILED',
    'GRAPHQL_VALIDATION_FAILED',
  ],
};

describe('API fuzz', () => {
  const warehouse = useTestWarehouse();
  const tmp = useTempDir();

  async function fuzz(mode: Mode, count: number): Promise<void> {
    const dataDir = join(tmp(), mode);
    const logged: string[] = [];
    const logger = createLogger({
      level: 'warn',
      pretty: false,
      destination: new Writable({
        write(chunk, _encoding, done) {
          logged.push(String(chunk));
          done();
        },
      }),
    });
    const world = await writeWorld(warehouse(), dataDir, logger);
    const keys = await writeKeys(warehouse());
    const common = await createCommon({
      env: {},
      logger,
      overrides: { dataDir, logLevel: 'silent', api: { ...limits, mode } },
    });
    const server = await createApiServer(common, { warehouse: warehouse(), port: 0 });
    try {
      const baseUrl = server.url.replace(/\/graphql$/, '');
      const requests = generateRequests(count, mode, world, keys);
      const started = performance.now();
      const results = await sendAll(baseUrl, requests);
      const seconds = (performance.now() - started) / 1000;

      const failures = requests.flatMap((request) => {
        const problems = checkResponse(request, results[request.index]!, mode);
        return problems.length === 0
          ? []
          : [
              `${describeRequest(request, keys, mode)}\n${describeResponse(results[request.index]!)}\n  problems: ${problems.join('; ')}`,
            ];
      });
      const statuses = new Map<string, number>();
      const codes = new Map<string, number>();
      let withData = 0;
      for (const sent of results) {
        const key = 'error' in sent ? 'error' : String(sent.status);
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
        const body = 'text' in sent ? parseJson(sent.text) : undefined;
        if (body?.data) withData += 1;
        for (const error of Array.isArray(body?.errors) ? body.errors : []) {
          const code = String(error?.extensions?.code);
          codes.set(code, (codes.get(code) ?? 0) + 1);
        }
      }
      const slowest = requests.reduce((a, b) => (results[b.index]!.ms > results[a.index]!.ms ? b : a));
      process.stderr.write(
        `${mode}: ${count} requests in ${seconds.toFixed(1)} s, statuses ${JSON.stringify(Object.fromEntries(statuses))}, ` +
          `${failures.length} failing; slowest #${slowest.index} (${slowest.family}) ${Math.round(results[slowest.index]!.ms)} ms; ` +
          `${withData} with data; error codes ${JSON.stringify(Object.fromEntries(codes))}\n`,
      );
      if (failures.length > 0) {
        console.error(
          `${failures.length} of ${count} fuzz requests failed (${mode}); the first 25:\n\n${failures.slice(0, 25).join('\n\n')}` +
            `\n\nServer log (warn and above, first 20 lines):\n${logged.slice(0, 20).join('')}`,
        );
      }
      expect(failures.length, 'fuzz requests with a bad response (printed above)').toBe(0);
      // The fuzz reached what it aims at: resolvers ran, and each refusal it provokes was met.
      expect(withData).toBeGreaterThan(count / 10);
      expect([...codes.keys()]).toEqual(expect.arrayContaining(expectedCodes[mode]));

      // The server is still up and still right.
      const health = await fetch(`${baseUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const riskiest = await postGraphql(
        server.url,
        keys.reader,
        `{ riskiest(first: ${limits.maxPageSize}) { edges { node { address risk { score category } } } } }`,
      );
      expect(riskiest.status).toBe(200);
      expect(riskiest.body).toEqual({
        data: {
          riskiest: {
            edges: world.scores.slice(0, limits.maxPageSize).map((row) => ({
              node: { address: row.address, risk: { score: row.score, category: row.category } },
            })),
          },
        },
      });
      const labelled = world.labels[0]!;
      const profile = await postGraphql(
        server.url,
        keys.reader,
        `{ address(address: "${labelled.address.toUpperCase().replace('0X', '0x')}") { address labels { label source } } }`,
      );
      expect(profile.body.data?.address.address).toBe(labelled.address);
      expect(profile.body.data?.address.labels).toContainEqual({ label: labelled.label, source: 'seed' });

      // Nothing a reader sent was stored or enqueued, and no admin request started a job.
      const readerLabels = await queryRows<{ n: string }>(
        warehouse(),
        "SELECT count() AS n FROM address_labels WHERE source LIKE 'fuzzreader%'",
      );
      expect(Number(readerLabels[0]!.n)).toBe(0);
      expect(await server.services.jobs.list(undefined, 1_000)).toEqual([]);
    } finally {
      await server.close();
      await common.shutdown.close();
    }
  }

  it('answers 2,400 malformed, hostile and odd requests in production mode with no 5xx, codes on every error, no stacktraces and nothing for callers without a key', async () => {
    await fuzz('production', 2_400);
  }, 120_000);

  it('answers 600 more in development mode (introspection and GraphiQL on) with no 5xx and codes on every error', async () => {
    await fuzz('development', 600);
  }, 120_000);
});
