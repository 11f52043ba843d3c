/** How big a simulated world is. */
export type Scale = 'small' | 'medium' | 'large';

/** Every knob of the simulated world. Each field says what it plants and how hard it is to find. */
export interface ScenarioParams {
  scale: Scale;
  /** Blocks of activity after the setup blocks. */
  blocks: number;
  /** Mean seconds between blocks (exponential gaps: irregular times, days of history for time features). */
  meanBlockSeconds: number;
  /** Exchange hot wallets (genesis-funded): users withdraw from them and deposit back. Label `exchange`. */
  exchanges: number;
  /** Ordinary users. Activity per user is Pareto-distributed (heavy tail): most do a few things, some many. */
  organicUsers: number;
  /** Minimum and Pareto shape of actions per organic user (mean ≈ min·α/(α−1)); capped at `maxActions`. */
  organicActionsMin: number;
  organicActionsAlpha: number;
  maxActions: number;
  /** Share of organic users funded by a friend rather than an exchange withdrawal. */
  friendFundedShare: number;
  /** Share of organic users who also farm quests now and then (so questing alone does not mean sybil). */
  organicQuesterShare: number;
  /** Whales: few users with 100–1000× the usual balance and trade sizes. Label `whale`. */
  whales: number;
  /** Market makers: provide the pools' initial liquidity and add/remove now and then. Label `organic`. */
  marketMakers: number;
  /** Informed traders: see the hidden fair value and trade pools towards it (the price signal). Label `organic`. */
  informedTraders: number;
  /** Chance an informed trader looks at the market in a given block, the mispricing (|log gap|) it ignores,
   *  and the fraction of the gap one trade closes: together, how much (and how late) flow carries signal. */
  informedActProbability: number;
  informedThreshold: number;
  informedGapClosed: readonly [number, number];
  /** Tokens, each with a token/WETH pool, plus token/token pools; fair value log-volatility per block. */
  tokens: number;
  crossPools: number;
  fairValueVolatility: number;
  /** Quests on the points contract. */
  quests: number;
  /** Sybil farms: how many, wallets per farm, share funded through a chain of hops, share disguised
   *  (jittered timing over a long window, ±35% amounts, shuffled and partial scripts, some organic-looking
   *  noise, and sweeping to an exchange rather than back to the funder). Label `sybil`, cluster
   *  `farm-N-plain` or `farm-N-disguised`. */
  farms: number;
  farmSize: readonly [number, number];
  farmHopShare: number;
  farmDisguisedShare: number;
  /** Share of the other (lockstep) farms whose wallets each withdraw their ETH from an exchange instead of one
   *  funder: no funding tree links them. Cluster `farm-N-exchange-funded`. */
  farmExchangeFundedShare: number;
  /** Phishing campaigns: a drainer contract (label `drainer`), its deployer and collector (`phishing`), victims
   *  who approve it or pay its bait, and a laundering chain of `launderHops` fresh addresses (`launderer`). */
  phishingCampaigns: number;
  phishingVictims: readonly [number, number];
  launderHops: readonly [number, number];
  /** Address poisoners: zero-value look-alike transfers into victims' histories (look-alikes match the first
   *  and last hex character of a real counterparty); `poisonFooledShare` of victims then pay the look-alike.
   *  Label `poisoner`. */
  poisoners: number;
  poisonTargets: number;
  poisonFooledShare: number;
  /** Rug pulls: a token whose creator adds liquidity, lets users buy in, then removes it all. Label `rug`. */
  rugPulls: number;
}

const small: ScenarioParams = {
  scale: 'small',
  blocks: 160,
  meanBlockSeconds: 600,
  exchanges: 3,
  organicUsers: 190,
  organicActionsMin: 3,
  organicActionsAlpha: 2.2,
  maxActions: 60,
  friendFundedShare: 0.15,
  organicQuesterShare: 0.15,
  whales: 3,
  marketMakers: 2,
  informedTraders: 4,
  informedActProbability: 0.35,
  informedThreshold: 0.01,
  informedGapClosed: [0.2, 0.6],
  tokens: 3,
  crossPools: 1,
  fairValueVolatility: 0.01,
  quests: 6,
  farms: 4,
  farmSize: [8, 16],
  farmHopShare: 0.5,
  farmDisguisedShare: 0.5,
  farmExchangeFundedShare: 0.3,
  phishingCampaigns: 1,
  phishingVictims: [4, 8],
  launderHops: [2, 4],
  poisoners: 1,
  poisonTargets: 4,
  poisonFooledShare: 0.3,
  rugPulls: 1,
};

/** The parameters of each scale: small for unit tests, medium for the demo, large for benchmarks. */
export const scenarios: Record<Scale, ScenarioParams> = {
  small,
  medium: {
    ...small,
    scale: 'medium',
    blocks: 2000,
    exchanges: 5,
    organicUsers: 2100,
    whales: 25,
    marketMakers: 6,
    informedTraders: 30,
    tokens: 8,
    crossPools: 3,
    quests: 12,
    farms: 28,
    farmSize: [10, 40],
    phishingCampaigns: 4,
    phishingVictims: [6, 20],
    poisoners: 3,
    poisonTargets: 10,
    rugPulls: 3,
  },
  large: {
    ...small,
    scale: 'large',
    blocks: 16000,
    exchanges: 8,
    organicUsers: 21000,
    whales: 200,
    marketMakers: 20,
    informedTraders: 200,
    tokens: 24,
    crossPools: 10,
    quests: 20,
    farms: 260,
    farmSize: [10, 60],
    phishingCampaigns: 30,
    phishingVictims: [6, 30],
    poisoners: 20,
    poisonTargets: 20,
    rugPulls: 20,
  },
};
