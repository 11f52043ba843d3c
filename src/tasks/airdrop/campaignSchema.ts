import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { NonRetryableError } from '../../internal/errors.js';
import { keccak256Text } from '../../utils/keccak256.js';

/** The kinds of on-chain action a campaign can count. */
export const campaignActions = ['call', 'swap', 'transfer'] as const;
/** One of {@link campaignActions}. */
export type CampaignAction = (typeof campaignActions)[number];

/** Where the sybil GNN's training labels come from. */
export const sybilLabelSources = ['auto', 'labels', 'weak'] as const;

const allocationRules = ['flat', 'tiered', 'proportional'] as const;
const maxDecimals = 36;
const maxUint256 = (1n << 256n) - 1n;
const amountPattern = /^[0-9]+(\.[0-9]+)?$/;
const addressPattern = /^0x[0-9a-fA-F]{40}$/;
/**
 * Run a refinement even when other fields failed, so that all problems are listed: it then sees what the file held
 * (anything at all, or for `whenArray` an array of anything).
 */
const everyTime = { when: () => true };
const whenArray = { when: (payload: z.core.ParsePayload) => Array.isArray(payload.value) };

/**
 * A strict object: unknown keys are refused, each named with the keys expected there (and the likeliest one meant,
 * when a key looks like a typo of one).
 */
function strict<const Shape extends z.core.$ZodLooseShape>(shape: Shape, expected: string) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return `expected ${expected}`;
      const keys = issue.keys.map((key) => {
        const meant = closestKey(key, known);
        return meant === undefined
          ? JSON.stringify(key)
          : `${JSON.stringify(key)} (did you mean "${meant}"?)`;
      });
      const noun = keys.length > 1 ? 'unknown keys' : 'an unknown key';
      return `expected only the keys ${known.join(', ')}, got ${noun} ${keys.join(', ')}`;
    },
  });
}

/** The known key a mistyped `key` most likely meant: the same ignoring case, or a few edits away (longer keys more). */
function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = key.length >= 6 ? 3 : key.length >= 3 ? 2 : 1;
  for (const candidate of known) {
    const distance =
      candidate.toLowerCase() === key.toLowerCase()
        ? 0
        : editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * An integer in [min, max] (safe integers only), as one check with one message: zod's own `.int()` aborts the whole
 * parse, which would hide the amount checks that need every field (see `checkAmounts`).
 */
const integer = (what: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.number({ error: `expected ${what}` }).refine((n) => Number.isSafeInteger(n) && n >= min && n <= max, {
    message: `expected ${what}`,
  });

/** A number in a range; `lowOpen` excludes the lower bound. `expected` says the range in words. */
const fraction = (expected: string, low: number, lowOpen: boolean) => {
  const base = z.number({ error: `expected ${expected}` });
  return (lowOpen ? base.gt(low, `expected ${expected}`) : base.min(low, `expected ${expected}`)).max(
    1,
    `expected ${expected}`,
  );
};

/** False when `text` (`0x` and 40 hex digits) is in mixed case with a wrong EIP-55 checksum (one case needs none). */
function hasValidChecksum(text: string): boolean {
  const hex = text.slice(2);
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return true;
  const hash = keccak256Text(hex.toLowerCase()).slice(2);
  for (let i = 0; i < 40; i += 1) {
    const char = hex[i]!;
    if (char >= '0' && char <= '9') continue;
    const upper = Number.parseInt(hash[i]!, 16) >= 8;
    if ((char === char.toUpperCase()) !== upper) return false;
  }
  return true;
}

/** What is wrong with `text` as an address, or undefined when it is one (`0x` and 40 hex digits, any case). */
export function describeBadAddress(text: string): string | undefined {
  if (!addressPattern.test(text)) return 'expected an address: "0x" and 40 hex digits';
  if (!hasValidChecksum(text)) {
    return 'expected a valid EIP-55 checksum in a mixed-case address (a typo?), or the address in lower case';
  }
  return undefined;
}

const address = z
  .string({ error: 'expected an address: "0x" and 40 hex digits' })
  .superRefine((text, context) => {
    const problem = describeBadAddress(text);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  })
  .transform((text) => text.toLowerCase());

/** A list of addresses, lower-cased, each once (first occurrence first); `[]` when left out. */
const addressList = z
  .array(address, { error: 'expected a list of addresses' })
  .transform((addresses) => [...new Set(addresses)])
  .default([]);

/** What is wrong with the text of a token amount, or undefined when it is a plain decimal number. */
function describeBadAmount(text: string): string | undefined {
  if (amountPattern.test(text)) return undefined;
  const trimmed = text.trim();
  if (trimmed !== text && amountPattern.test(trimmed)) return 'expected the amount without spaces';
  if (/^-/.test(trimmed)) return 'expected an amount > 0';
  if (/[eE]/.test(trimmed) && Number.isFinite(Number(trimmed))) {
    return 'expected plain decimal digits such as "1000000" (no exponent)';
  }
  return 'expected a decimal number of token units such as "1000" or "0.25"';
}

/** A token amount as its decimal text in token units; converted to base units once `token.decimals` is known. */
const tokenAmount = z
  .string({
    error: 'expected a decimal string of token units such as "1000000" (quoted, so no digit is lost)',
  })
  .superRefine((text, context) => {
    const problem = describeBadAmount(text);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

/** `text` (a plain decimal of token units, at most `decimals` fraction digits) in base units. */
function toBaseUnits(text: string, decimals: number): bigint {
  const [whole = '', fractionDigits = ''] = text.split('.');
  return BigInt(whole + fractionDigits.padEnd(decimals, '0'));
}

const tokenDecimals = integer(`an integer number of decimals from 0 to ${maxDecimals}`, 0, maxDecimals);

const cap = { maxAmount: tokenAmount.optional() };

const tier = strict(
  {
    minScore: fraction('a number in [0, 1]', 0, false),
    weight: z
      .number({ error: 'expected a number > 0' })
      .gt(0, 'expected a number > 0')
      .max(Number.MAX_VALUE, 'expected a finite number > 0'),
  },
  'a tier such as { "minScore": 0.5, "weight": 2 }',
);

const tiers = z
  .array(tier, { error: 'expected a list of tiers such as [{ "minScore": 0.5, "weight": 2 }, …]' })
  .min(1, 'expected at least one tier')
  .superRefine((list, context) => {
    const scores = list.map((t) => asRecord(t)?.minScore);
    for (const [i, score] of scores.entries()) {
      const previous = scores[i - 1];
      if (typeof score !== 'number' || typeof previous !== 'number') continue;
      if (score >= previous) {
        context.addIssue({
          code: 'custom',
          path: [i, 'minScore'],
          message: `expected a minScore below the previous tier's ${previous} (tiers go from the highest score down)`,
        });
      }
    }
    const last = scores[scores.length - 1];
    if (typeof last === 'number' && last !== 0) {
      context.addIssue({
        code: 'custom',
        path: [list.length - 1, 'minScore'],
        message: 'expected 0 in the last tier, so that every recipient falls in a tier',
      });
    }
  }, whenArray);

const allocation = z.discriminatedUnion(
  'rule',
  [
    strict({ rule: z.literal('flat'), ...cap }, 'an allocation such as { "rule": "flat" }'),
    strict(
      { rule: z.literal('tiered'), tiers, ...cap },
      'an allocation such as { "rule": "tiered", "tiers": [] }',
    ),
    strict(
      {
        rule: z.literal('proportional'),
        exponent: z
          .number({ error: 'expected a number > 0' })
          .gt(0, 'expected a number > 0')
          .max(Number.MAX_VALUE, 'expected a finite number > 0')
          .default(1),
        ...cap,
      },
      'an allocation such as { "rule": "proportional", "exponent": 1 }',
    ),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `expected one of ${allocationRules.join(', ')}`
        : 'expected an allocation such as { "rule": "flat" }',
  },
);

const campaignShape = strict(
  {
    /** Names the campaign in file names and the warehouse. */
    id: z
      .string({ error: 'expected a campaign id such as "quest-season-1"' })
      .regex(
        /^[a-z0-9][a-z0-9_-]{0,63}$/,
        'expected a campaign id of 1 to 64 lower-case letters, digits, _ and - (starting with a letter or digit)',
      ),
    /** For people; defaults to the id. */
    name: z.string({ error: 'expected a name' }).trim().min(1, 'expected a non-empty name').optional(),
    chainId: integer('a positive integer chain id', 1),
    /** Activity at or before this block counts. */
    snapshotBlock: integer('a non-negative integer block number', 0),
    token: strict(
      {
        symbol: z
          .string({ error: 'expected a token symbol such as "SIM"' })
          .trim()
          .min(1, 'expected a symbol'),
        decimals: tokenDecimals.default(18),
        /** The token the claim contract pays out. */
        address: address.optional(),
      },
      'a token such as { "symbol": "SIM", "decimals": 18 }',
    ),
    /** Token units (decimal text): base units in the parsed campaign. */
    budget: tokenAmount,
    qualifying: strict(
      {
        /** Calls to these count; [] = calls to any contract. */
        contracts: addressList,
        /** Transfers and swaps of these tokens count; [] = any token. */
        tokens: addressList,
        actions: z
          .array(z.enum(campaignActions, { error: `expected one of ${campaignActions.join(', ')}` }), {
            error: `expected a list of actions out of ${campaignActions.join(', ')}`,
          })
          .min(1, `expected at least one of ${campaignActions.join(', ')}`)
          .superRefine((actions, context) => {
            for (const [i, action] of actions.entries()) {
              if (campaignActions.includes(action) && actions.indexOf(action) < i) {
                context.addIssue({ code: 'custom', path: [i], message: 'expected each action once' });
              }
            }
          }, whenArray)
          .default([...campaignActions]),
      },
      'an object such as { "contracts": [], "tokens": [], "actions": ["call"] }',
    ).prefault({}),
    minActivity: strict(
      {
        actions: integer('a non-negative integer', 0).default(1),
        activeDays: integer('a non-negative integer', 0).default(1),
        distinctContracts: integer('a non-negative integer', 0).default(1),
      },
      'an object such as { "actions": 1, "activeDays": 1, "distinctContracts": 1 }',
    ).prefault({}),
    allocation,
    exclusions: strict(
      {
        addresses: addressList,
        /** Files of addresses; absolute paths in the parsed campaign. */
        lists: z
          .array(z.string({ error: 'expected a file path' }).min(1, 'expected a file path'), {
            error: 'expected a list of file paths',
          })
          .default([]),
        /** Addresses whose risk score is above it are excluded. */
        maxRiskScore: fraction('a number in [0, 1]', 0, false).optional(),
        /** Contracts never receive an airdrop. */
        contracts: z.boolean({ error: 'expected true or false' }).default(true),
      },
      'an object such as { "addresses": [], "lists": [], "contracts": true }',
    ).prefault({}),
    sybil: strict(
      {
        labels: z
          .enum(sybilLabelSources, { error: `expected one of ${sybilLabelSources.join(', ')}` })
          .default('auto'),
        minClusterSize: integer('an integer ≥ 2', 2).default(5),
        /** Behavioural similarity above which two wallets of one candidate cluster are linked. */
        similarity: fraction('a number in (0, 1]', 0, true).default(0.5),
        /** GNN sybil probability at or above which an address is excluded. */
        maxProbability: fraction('a number in (0, 1]', 0, true).default(0.9),
      },
      'an object such as { "labels": "auto", "minClusterSize": 5 }',
    ).prefault({}),
    seed: integer('an integer', Number.MIN_SAFE_INTEGER).default(1),
  },
  'a campaign object such as { "id": "quest-season-1", … }',
);

/** Checks the amounts against `token.decimals` (also when other fields are wrong, so every problem is listed). */
function checkAmounts(value: unknown, context: z.core.$RefinementCtx): void {
  const campaign = asRecord(value);
  const decimals = asRecord(campaign?.token)?.decimals ?? 18;
  if (typeof decimals !== 'number' || !Number.isInteger(decimals) || decimals < 0 || decimals > maxDecimals) {
    return;
  }
  const amounts: [unknown, string[]][] = [
    [campaign?.budget, ['budget']],
    [asRecord(campaign?.allocation)?.maxAmount, ['allocation', 'maxAmount']],
  ];
  for (const [text, path] of amounts) {
    if (typeof text !== 'string' || !amountPattern.test(text)) continue;
    const problem = describeAmountInBaseUnits(text, decimals);
    if (problem) context.addIssue({ code: 'custom', path, message: problem });
  }
}

/** What is wrong with a plain decimal amount once converted to base units, if anything. */
function describeAmountInBaseUnits(text: string, decimals: number): string | undefined {
  const fractionDigits = text.split('.')[1]?.length ?? 0;
  if (fractionDigits > decimals) {
    return `expected at most ${decimals} fraction digit${decimals === 1 ? '' : 's'} (token.decimals is ${decimals})`;
  }
  const base = toBaseUnits(text, decimals);
  if (base === 0n) return 'expected an amount > 0';
  if (base > maxUint256) return 'expected at most 2^256 - 1 base units (a uint256)';
  return undefined;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * The campaign file's schema: checks every field and gives the normalised campaign (defaults filled in, addresses in
 * lower case and each once, `budget` and `allocation.maxAmount` as bigint base units). `exclusions.lists` stay as
 * written; {@link parseCampaign} resolves them to absolute paths.
 */
export const campaignSchema = campaignShape
  .superRefine(checkAmounts, everyTime)
  .transform(({ id, name, budget, allocation: { maxAmount, ...rule }, ...campaign }) => {
    const decimals = campaign.token.decimals;
    return {
      id,
      name: name ?? id,
      ...campaign,
      budget: toBaseUnits(budget, decimals),
      allocation: maxAmount === undefined ? rule : { ...rule, maxAmount: toBaseUnits(maxAmount, decimals) },
    };
  });

/** An airdrop campaign, parsed and normalised: amounts in base units, addresses lower-case, list paths absolute. */
export type Campaign = z.output<typeof campaignSchema>;

/** A campaign as its file spells it. */
export type CampaignInput = z.input<typeof campaignSchema>;

/** A campaign's allocation rule (and its optional per-address cap in base units). */
export type AllocationRule = Campaign['allocation'];

/** Where {@link parseCampaign} resolves relative paths. */
export interface ParseCampaignOptions {
  /** The directory relative `exclusions.lists` paths resolve against (default: the directory of `source`). */
  baseDir?: string | undefined;
}

/**
 * Checks a campaign (the JSON value of a campaign file) and normalises it. `source` (the file it came from, or a
 * label) names it in errors; relative exclusion lists resolve against `options.baseDir`, else `source`'s directory.
 * Throws one NonRetryableError (`CAMPAIGN_INVALID`) listing every problem as `<field>: expected …, got …`.
 */
export function parseCampaign(value: unknown, source: string, options: ParseCampaignOptions = {}): Campaign {
  const result = campaignSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => describeCampaignIssue(issue, value));
    throw new NonRetryableError(
      `Invalid campaign ${source}: ${problems.length} problem${problems.length > 1 ? 's' : ''}`,
      { code: 'CAMPAIGN_INVALID', details: problems.map((line) => `  - ${line}`).join('\n') },
    );
  }
  const baseDir = options.baseDir ?? dirname(resolve(source));
  const campaign = result.data;
  const lists = campaign.exclusions.lists.map((path) => (isAbsolute(path) ? path : resolve(baseDir, path)));
  return { ...campaign, exclusions: { ...campaign.exclusions, lists } };
}

/** One problem as `<field path>: expected …, got …` (the path as `allocation.tiers[1].weight`). */
function describeCampaignIssue(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    const path = issue.keys.length === 1 ? [...issue.path, issue.keys[0]!] : issue.path;
    return `${formatPath(path)}: ${issue.message}`;
  }
  return `${formatPath(issue.path)}: ${issue.message}, got ${describeValue(readPath(input, issue.path))}`;
}

/** `allocation.tiers[1].weight`; `(campaign)` for the root. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || '(campaign)';
}

function readPath(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** A short rendering of what the file held: JSON, cut to 60 characters; "nothing" when missing. */
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
