import { describe, expect, it } from 'vitest';
import { NonRetryableError } from '../../internal/errors.js';
import { campaignSchema, parseCampaign } from './campaignSchema.js';

/** EIP-55's own examples: correctly checksummed. */
const checksummed = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const upper = '0x52908400098527886E0F7030069857D2E4169EE7';
const lower = '0xde709f2102306220921060314715629080e2fb77';

const minimal = {
  id: 'quest-season-1',
  chainId: 31337,
  snapshotBlock: 2100,
  token: { symbol: 'SIM' },
  budget: '1000000',
  allocation: { rule: 'flat' },
};

const full = {
  id: 'quest-season-1',
  name: 'Quest season 1',
  chainId: 31337,
  snapshotBlock: 2100,
  token: { symbol: 'SIM', decimals: 6, address: checksummed },
  budget: '1000000.5',
  qualifying: { contracts: [upper, upper.toLowerCase()], tokens: [lower], actions: ['swap', 'call'] },
  minActivity: { actions: 3, activeDays: 2, distinctContracts: 0 },
  allocation: {
    rule: 'tiered',
    tiers: [
      { minScore: 0.8, weight: 4 },
      { minScore: 0.4, weight: 2 },
      { minScore: 0, weight: 1 },
    ],
    maxAmount: '5000.000001',
  },
  exclusions: {
    addresses: [checksummed],
    lists: ['lists/team.csv', '/abs/cex.txt'],
    maxRiskScore: 0.8,
    contracts: false,
  },
  sybil: { labels: 'weak', minClusterSize: 3, similarity: 0.7, maxProbability: 0.9 },
  seed: 42,
};

/** The problems a CAMPAIGN_INVALID error lists, one string each. */
function problemsOf(value: unknown): string[] {
  try {
    parseCampaign(value, '/campaigns/c.json');
  } catch (error) {
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as NonRetryableError).code).toBe('CAMPAIGN_INVALID');
    expect((error as NonRetryableError).message).toContain('/campaigns/c.json');
    return (error as NonRetryableError).details!.split('\n').map((line) => line.replace(/^ {2}- /, ''));
  }
  throw new Error('expected the campaign to be refused');
}

/** `minimal` with `patch` merged one level deep. */
function withFields(patch: Record<string, unknown>): Record<string, unknown> {
  return { ...minimal, ...patch };
}

describe('parseCampaign', () => {
  it('fills in the defaults of a minimal campaign, with the budget in base units', () => {
    expect(parseCampaign(minimal, '/campaigns/c.json')).toEqual({
      id: 'quest-season-1',
      name: 'quest-season-1',
      chainId: 31337,
      snapshotBlock: 2100,
      token: { symbol: 'SIM', decimals: 18 },
      budget: 1_000_000n * 10n ** 18n,
      qualifying: { contracts: [], tokens: [], actions: ['call', 'swap', 'transfer'] },
      minActivity: { actions: 1, activeDays: 1, distinctContracts: 1 },
      allocation: { rule: 'flat' },
      exclusions: { addresses: [], lists: [], contracts: true },
      sybil: { labels: 'auto', minClusterSize: 5, similarity: 0.5, maxProbability: 0.9 },
      seed: 1,
    });
  });

  it('normalises a full campaign: addresses lower-case and once, amounts in base units, lists absolute', () => {
    expect(parseCampaign(full, '/campaigns/c.json')).toEqual({
      id: 'quest-season-1',
      name: 'Quest season 1',
      chainId: 31337,
      snapshotBlock: 2100,
      token: { symbol: 'SIM', decimals: 6, address: checksummed.toLowerCase() },
      budget: 1_000_000_500_000n,
      qualifying: { contracts: [upper.toLowerCase()], tokens: [lower], actions: ['swap', 'call'] },
      minActivity: { actions: 3, activeDays: 2, distinctContracts: 0 },
      allocation: { rule: 'tiered', tiers: full.allocation.tiers, maxAmount: 5_000_000_001n },
      exclusions: {
        addresses: [checksummed.toLowerCase()],
        lists: ['/campaigns/lists/team.csv', '/abs/cex.txt'],
        maxRiskScore: 0.8,
        contracts: false,
      },
      sybil: { labels: 'weak', minClusterSize: 3, similarity: 0.7, maxProbability: 0.9 },
      seed: 42,
    });
  });

  it('resolves relative lists against baseDir when given, and gives the proportional exponent its default', () => {
    const campaign = parseCampaign(
      withFields({ allocation: { rule: 'proportional', maxAmount: '7' }, exclusions: { lists: ['x.csv'] } }),
      'api request',
      { baseDir: '/data/campaigns' },
    );
    expect(campaign.exclusions.lists).toEqual(['/data/campaigns/x.csv']);
    expect(campaign.allocation).toEqual({ rule: 'proportional', exponent: 1, maxAmount: 7n * 10n ** 18n });
  });

  it('converts amounts exactly at the edges of the decimals', () => {
    const budget = (text: string, decimals: number) =>
      parseCampaign(withFields({ budget: text, token: { symbol: 'T', decimals } }), 'c.json').budget;
    expect(budget('1', 0)).toBe(1n);
    expect(budget('0.000001', 6)).toBe(1n);
    expect(budget('007.50', 2)).toBe(750n);
    expect(budget('123456789012345678901234567890.123456789012345678901234567890123456', 36)).toBe(
      123456789012345678901234567890123456789012345678901234567890123456n,
    );
  });

  it('lists every problem at once, each naming its field, what was expected and what it got', () => {
    const problems = problemsOf({
      id: 'Quest 1',
      chainId: 0,
      snapshotBlock: -1,
      token: { symbol: 'SIM', decimals: 6 },
      budget: '1.1234567',
      qualifying: { contracts: ['0x123'], actions: ['call', 'mint', 'call'] },
      minActivity: { actions: 1.5 },
      allocation: {
        rule: 'tiered',
        tiers: [
          { minScore: 0.8, weight: 4 },
          { minScore: 0.9, weight: -2 },
          { minScore: 0.1, weight: 1 },
        ],
      },
      exclusions: { maxRiskScore: 1.2, contracts: 'yes' },
      sybil: { labels: 'some', minClusterSize: 1, similarity: 0, maxProbability: 2 },
      seed: 'one',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^id: expected a campaign id of .*, got "Quest 1"$/),
      'chainId: expected a positive integer chain id, got 0',
      'snapshotBlock: expected a non-negative integer block number, got -1',
      'qualifying.contracts[0]: expected an address: "0x" and 40 hex digits, got "0x123"',
      'qualifying.actions[1]: expected one of call, swap, transfer, got "mint"',
      'qualifying.actions[2]: expected each action once, got "call"',
      'minActivity.actions: expected a non-negative integer, got 1.5',
      'allocation.tiers[1].weight: expected a number > 0, got -2',
      expect.stringMatching(
        /^allocation\.tiers\[1\]\.minScore: expected a minScore below .*0\.8.*, got 0\.9$/,
      ),
      expect.stringMatching(/^allocation\.tiers\[2\]\.minScore: expected 0 in the last tier.*, got 0\.1$/),
      'exclusions.maxRiskScore: expected a number in [0, 1], got 1.2',
      'exclusions.contracts: expected true or false, got "yes"',
      'sybil.labels: expected one of auto, labels, weak, got "some"',
      'sybil.minClusterSize: expected an integer ≥ 2, got 1',
      'sybil.similarity: expected a number in (0, 1], got 0',
      'sybil.maxProbability: expected a number in (0, 1], got 2',
      'seed: expected an integer, got "one"',
      'budget: expected at most 6 fraction digits (token.decimals is 6), got "1.1234567"',
    ]);
  });

  it('names missing required fields', () => {
    expect(problemsOf({})).toEqual([
      'id: expected a campaign id such as "quest-season-1", got nothing',
      'chainId: expected a positive integer chain id, got nothing',
      'snapshotBlock: expected a non-negative integer block number, got nothing',
      'token: expected a token such as { "symbol": "SIM", "decimals": 18 }, got nothing',
      'budget: expected a decimal string of token units such as "1000000" (quoted, so no digit is lost), got nothing',
      'allocation: expected an allocation such as { "rule": "flat" }, got nothing',
    ]);
    expect(problemsOf([])).toEqual([
      expect.stringMatching(/^\(campaign\): expected a campaign object .*, got \[\]$/),
    ]);
  });

  it('refuses malformed amounts, saying what is wrong with each', () => {
    const amountProblem = (budget: unknown, decimals = 18) =>
      problemsOf(withFields({ budget, token: { symbol: 'T', decimals } }));
    expect(amountProblem('-5')).toEqual(['budget: expected an amount > 0, got "-5"']);
    expect(amountProblem('0.000')).toEqual(['budget: expected an amount > 0, got "0.000"']);
    expect(amountProblem('1e6')).toEqual([
      'budget: expected plain decimal digits such as "1000000" (no exponent), got "1e6"',
    ]);
    expect(amountProblem('lots')).toEqual([
      'budget: expected a decimal number of token units such as "1000" or "0.25", got "lots"',
    ]);
    expect(amountProblem('1,000')).toHaveLength(1);
    expect(amountProblem('.5')).toHaveLength(1);
    expect(amountProblem(' 5')).toEqual(['budget: expected the amount without spaces, got " 5"']);
    expect(amountProblem(1000000)).toEqual([
      'budget: expected a decimal string of token units such as "1000000" (quoted, so no digit is lost), got 1000000',
    ]);
    expect(amountProblem('1.5', 0)).toEqual([
      'budget: expected at most 0 fraction digits (token.decimals is 0), got "1.5"',
    ]);
    expect(amountProblem(`1${'0'.repeat(78)}`, 0)).toEqual([
      expect.stringMatching(/^budget: expected at most 2\^256 - 1 base units/),
    ]);
    expect(
      problemsOf(
        withFields({ token: { symbol: 'T', decimals: 2 }, allocation: { rule: 'flat', maxAmount: '0.001' } }),
      ),
    ).toEqual([
      'allocation.maxAmount: expected at most 2 fraction digits (token.decimals is 2), got "0.001"',
    ]);
    expect(problemsOf(withFields({ token: { symbol: 'T', decimals: 37 } }))).toEqual([
      'token.decimals: expected an integer number of decimals from 0 to 36, got 37',
    ]);
  });

  it('refuses mixed-case addresses whose checksum is wrong, and accepts any single case', () => {
    const broken = checksummed.replace('aA', 'Aa');
    expect(problemsOf(withFields({ exclusions: { addresses: [lower, broken] } }))).toEqual([
      `exclusions.addresses[1]: expected a valid EIP-55 checksum in a mixed-case address (a typo?), or the address in lower case, got "${broken}"`,
    ]);
    const campaign = parseCampaign(
      withFields({ exclusions: { addresses: [upper, lower.toUpperCase().replace('0X', '0x')] } }),
      'c.json',
    );
    expect(campaign.exclusions.addresses).toEqual([upper.toLowerCase(), lower]);
  });

  it('refuses unknown keys, naming each and the key it probably meant', () => {
    expect(
      problemsOf({
        ...minimal,
        budgett: '5',
        token: { symbol: 'SIM', adress: lower },
        allocation: { rule: 'flat', exponent: 2 },
        sybil: { labels: 'auto', foo: 1, bar: 2 },
      }),
    ).toEqual([
      'token.adress: expected only the keys symbol, decimals, address, got an unknown key "adress" (did you mean "address"?)',
      'allocation.exponent: expected only the keys rule, maxAmount, got an unknown key "exponent"',
      'sybil: expected only the keys labels, minClusterSize, similarity, maxProbability, got unknown keys "foo", "bar"',
      expect.stringMatching(
        /^budgett: expected only the keys id, name, .*, got an unknown key "budgett" \(did you mean "budget"\?\)$/,
      ),
    ]);
  });

  it('refuses an unknown allocation rule and tiers that are empty', () => {
    expect(problemsOf(withFields({ allocation: { rule: 'linear' } }))).toEqual([
      'allocation.rule: expected one of flat, tiered, proportional, got "linear"',
    ]);
    expect(problemsOf(withFields({ allocation: { rule: 'tiered', tiers: [] } }))).toEqual([
      'allocation.tiers: expected at least one tier, got []',
    ]);
    expect(problemsOf(withFields({ allocation: { rule: 'proportional', exponent: 0 } }))).toEqual([
      'allocation.exponent: expected a number > 0, got 0',
    ]);
    expect(problemsOf(withFields({ qualifying: { actions: [] } }))).toEqual([
      'qualifying.actions: expected at least one of call, swap, transfer, got []',
    ]);
  });

  it('reports, and never crashes on, a value of the wrong shape at any path', () => {
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (Array.isArray(value)) {
        for (const [i, item] of value.entries()) walk(item, [...path, i]);
      } else if (typeof value === 'object' && value !== null) {
        for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
      }
    };
    walk(full, []);
    expect(paths.length).toBeGreaterThan(40);
    for (const path of paths) {
      for (const replacement of [null, 'x', -1, [], {}, [null]]) {
        const copy = structuredClone(full) as Record<string | number, unknown>;
        if (path.length === 0) {
          expect(() => parseCampaign(replacement, 'c.json')).toThrow(NonRetryableError);
          continue;
        }
        let target = copy;
        for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
        target[path[path.length - 1]!] = replacement;
        try {
          parseCampaign(copy, 'c.json');
        } catch (error) {
          expect(error, `${path.join('.')} = ${JSON.stringify(replacement)}`).toBeInstanceOf(
            NonRetryableError,
          );
          expect((error as NonRetryableError).code).toBe('CAMPAIGN_INVALID');
        }
      }
    }
  });

  it('exports the schema, which gives the same normalised campaign except for list paths', () => {
    const parsed = campaignSchema.parse({ ...minimal, exclusions: { lists: ['a.csv'] } });
    expect(parsed.budget).toBe(10n ** 24n);
    expect(parsed.exclusions.lists).toEqual(['a.csv']);
  });
});
