import type { Address } from 'viem';
import type { Rng } from '../../utils/createRng.js';
import type { TxRequest } from './createChainWriter.js';
import type { BlockContext } from './createSchedule.js';
import { type PlanContext, toWei } from './planSetup.js';
import type { Actor, SimWorld } from './simWorld.js';

type ActionKind =
  | 'buy'
  | 'sell'
  | 'cross'
  | 'sendToken'
  | 'sendEth'
  | 'deposit'
  | 'nft'
  | 'quest'
  | 'addLp'
  | 'removeLp';

/** How often each kind of user does each thing. */
const personas: Record<string, readonly (readonly [ActionKind, number])[]> = {
  trader: [
    ['buy', 35],
    ['sell', 30],
    ['cross', 10],
    ['sendToken', 10],
    ['sendEth', 5],
    ['deposit', 5],
    ['nft', 5],
  ],
  social: [
    ['sendToken', 30],
    ['sendEth', 25],
    ['buy', 20],
    ['sell', 10],
    ['nft', 10],
    ['deposit', 5],
  ],
  collector: [
    ['nft', 40],
    ['buy', 20],
    ['sell', 10],
    ['sendToken', 10],
    ['quest', 10],
    ['sendEth', 10],
  ],
  liquidity: [
    ['addLp', 25],
    ['removeLp', 12],
    ['buy', 25],
    ['sell', 20],
    ['sendToken', 10],
    ['deposit', 8],
  ],
  quester: [
    ['quest', 35],
    ['buy', 25],
    ['sell', 15],
    ['sendToken', 10],
    ['nft', 10],
    ['sendEth', 5],
  ],
};

/** An organic user's plan: who it is, who it knows, where its money comes from and goes. */
export interface OrganicUser {
  actor: Actor;
  persona: keyof typeof personas;
  friends: Actor[];
  exchange: Actor;
  /** Fraction of holdings one action moves (whales move more). */
  size: number;
  /** Hours added to UTC to get the user's local time. */
  utcOffset: number;
}

/** Rug tokens in their hype window: organic buyers are drawn to them. */
export interface HypedTokens {
  active(block: number): Address[];
}

/**
 * Organic users and whales: each appears at a random block, is funded by an exchange withdrawal (or by a
 * friend), then acts a Pareto-distributed number of times at exponential intervals, mostly in its local
 * daytime, choosing actions by persona: swaps, transfers to friends (a preferential-attachment social
 * graph), exchange deposits, LP adds/removes, NFT mints, quests. Returns the users, oldest first.
 */
export function planOrganic(
  { cast, schedule, params, from, to, blockTime }: PlanContext,
  rng: Rng,
  hyped: HypedTokens,
): OrganicUser[] {
  const users: OrganicUser[] = [];
  const popularity: number[] = [];
  const total = params.organicUsers + params.whales;
  const whales = new Set(rng.shuffle(Array.from({ length: total }, (_, i) => i)).slice(0, params.whales));
  const starts = Array.from(
    { length: total },
    () => from + 1 + Math.floor(rng.next() * 0.85 * (to - from)),
  ).sort((a, b) => a - b);
  for (const [index, start] of starts.entries()) {
    const isWhale = whales.has(index);
    const actor = cast.newActor(isWhale ? 'whale' : 'organic');
    const persona = rng.chance(params.organicQuesterShare)
      ? 'quester'
      : rng.weighted([
          ['trader', 35],
          ['social', 35],
          ['collector', 15],
          ['liquidity', 15],
        ] as const);
    const friendCount = rng.int(1, 6);
    const friends: Actor[] = [];
    for (let f = 0; f < friendCount && users.length > 0; f += 1) {
      const pickIndex = rng.weighted(popularity.map((weight, i) => [i, weight] as const));
      friends.push(users[pickIndex]!.actor);
      popularity[pickIndex]! += 1;
    }
    const user: OrganicUser = {
      actor,
      persona,
      friends,
      exchange: rng.pick(cast.exchanges),
      size: isWhale ? 0.4 : 0.1 + 0.2 * rng.next(),
      utcOffset: rng.int(-8, 9),
    };
    users.push(user);
    popularity.push(1 + friendCount);

    const friendFunder =
      index > 10 && rng.chance(params.friendFundedShare) ? users[rng.int(0, index - 1)]!.actor : undefined;
    const funding = isWhale ? 200 + rng.pareto(300, 1.5) : Math.min(500, rng.pareto(0.5, 1.3));
    const tokenGift = rng.chance(0.3);
    schedule.at(start, (ctx) => fund(ctx, user, friendFunder, funding, tokenGift));

    const actions = Math.min(
      params.maxActions,
      Math.floor(rng.pareto(params.organicActionsMin, params.organicActionsAlpha)) * (isWhale ? 3 : 1),
    );
    const meanGap = Math.max(1, (to - start) / actions);
    let block = start;
    for (let a = 0; a < actions; a += 1) {
      block += 1 + Math.floor(rng.exponential(meanGap));
      block = daytime(block, user.utcOffset, blockTime, rng, to);
      if (block > to) break;
      const kind = rng.weighted(personas[persona]!);
      const r = rng.next();
      schedule.at(block, (ctx) => act(ctx, user, kind, r, hyped));
    }
  }
  return users;
}

/** Moves `block` forward to the user's local daytime three times out of four (people sleep). */
function daytime(
  block: number,
  utcOffset: number,
  blockTime: (block: number) => number,
  rng: Rng,
  to: number,
): number {
  const hour = (t: number) => (((Math.floor(t / 3600) + utcOffset) % 24) + 24) % 24;
  if (hour(blockTime(block)) >= 7 || !rng.chance(0.75)) return block;
  let b = block;
  while (b < to && hour(blockTime(b)) < 7) b += 1;
  return b;
}

function fund(
  ctx: BlockContext,
  user: OrganicUser,
  friend: Actor | undefined,
  eth: number,
  tokenGift: boolean,
): TxRequest[] {
  const { world } = ctx;
  const amount = toWei(eth);
  if (friend && world.spendableEth(friend.address) > amount * 2n)
    return world.transferEth(friend, user.actor.address, amount);
  const txs = world.transferEth(user.exchange, user.actor.address, amount);
  const tokens = world.tradableTokens();
  if (tokenGift && tokens.length > 0) {
    const token = ctx.rng.pick(tokens);
    const value = world.tokenOf(token, user.exchange.address) / 100_000n;
    txs.push(...world.transferToken(user.exchange, token, user.actor.address, value));
  }
  return txs;
}

/** The token `user` holds the most of (by ETH value), if any. */
export function largestHolding(world: SimWorld, holder: Address): Address | undefined {
  let best: Address | undefined;
  let bestValue = 0;
  for (const token of world.tokenSymbols.keys()) {
    const value = Number(world.tokenOf(token, holder)) * (world.priceInEth(token) || 1e-12);
    if (value > bestValue) {
      best = token;
      bestValue = value;
    }
  }
  return best;
}

function fraction(amount: bigint, share: number): bigint {
  return (amount * BigInt(Math.floor(share * 10_000))) / 10_000n;
}

function act(
  ctx: BlockContext,
  user: OrganicUser,
  kind: ActionKind,
  r: number,
  hyped: HypedTokens,
): TxRequest[] {
  const { world, rng } = ctx;
  const me = user.actor;
  const tokens = world.tradableTokens();
  const held = largestHolding(world, me.address);
  const spendable = world.spendableEth(me.address);
  const share = user.size * (0.5 + r);
  switch (kind) {
    case 'sell':
      if (held && world.pool(held, world.weth))
        return world.sellToken(me, held, fraction(world.tokenOf(held, me.address), Math.min(1, share * 2)));
      return act(ctx, user, 'buy', r, hyped);
    case 'cross': {
      const target = rng.pick(tokens);
      if (held && target !== held)
        return world.swapTokens(
          me,
          held,
          target,
          fraction(world.tokenOf(held, me.address), Math.min(1, share)),
        );
      return act(ctx, user, 'buy', r, hyped);
    }
    case 'sendToken': {
      const friend = user.friends.length ? rng.pick(user.friends) : undefined;
      if (held && friend) {
        world.recordTransfer(me.address, held, friend.address);
        return world.transferToken(
          me,
          held,
          friend.address,
          fraction(world.tokenOf(held, me.address), Math.min(1, share)),
        );
      }
      return act(ctx, user, 'sendEth', r, hyped);
    }
    case 'sendEth': {
      const friend = user.friends.length ? rng.pick(user.friends) : user.exchange;
      return world.transferEth(me, friend.address, fraction(spendable, share));
    }
    case 'deposit':
      return world.transferEth(me, user.exchange.address, fraction(spendable, Math.min(0.9, share * 2)));
    case 'nft':
      return world.mintNft(me);
    case 'quest':
      return rng.chance(0.3)
        ? world.checkIn(me, ctx.timestamp)
        : world.completeQuest(me, rng.pick(world.questIds));
    case 'addLp': {
      if (!held || !world.pool(held, world.weth)) return act(ctx, user, 'buy', r, hyped);
      const tokenAmount = fraction(world.tokenOf(held, me.address), 0.5);
      const ethAmount = fraction(spendable, 0.3);
      return world.addLiquidityEth(me, held, tokenAmount, ethAmount);
    }
    case 'removeLp': {
      const pools = tokens.filter((t) => world.lpOf(world.pool(t, world.weth)!, me.address) > 0n);
      if (pools.length === 0) return act(ctx, user, 'addLp', r, hyped);
      const token = rng.pick(pools);
      return world.removeLiquidityEth(
        me,
        token,
        fraction(world.lpOf(world.pool(token, world.weth)!, me.address), 0.3 + 0.7 * r),
      );
    }
    default: {
      const hot = hyped.active(ctx.block);
      const token = hot.length > 0 && rng.chance(0.4) ? rng.pick(hot) : rng.pick(tokens);
      return world.buyToken(me, token, fraction(spendable, Math.min(0.8, share)));
    }
  }
}
