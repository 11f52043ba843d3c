import type { Rng } from '../../utils/createRng.js';
import type { TxRequest } from './createChainWriter.js';
import type { BlockContext } from './createSchedule.js';
import { type PlanContext, toWei } from './planSetup.js';
import type { Actor } from './simWorld.js';

type Step =
  | { kind: 'checkIn' }
  | { kind: 'quest'; questId: number }
  | { kind: 'buy'; eth: number }
  | { kind: 'nft' }
  | { kind: 'sell' };

/** How a farm hides: `plain` (lockstep, one funder), `disguised` (jittered, one funder), `exchange-funded`
 *  (lockstep, but each wallet withdraws its ETH from an exchange: no funding tree links them). */
export type FarmKind = 'plain' | 'disguised' | 'exchange-funded';

/** What the planner decided about one farm (returned for the ground-truth summary). */
export interface FarmPlan {
  clusterId: string;
  kind: FarmKind;
  /** The farm's funder; none when its wallets are exchange-funded. */
  funder: Actor | undefined;
  hops: Actor[];
  wallets: Actor[];
  start: number;
}

/**
 * Sybil farms. A funder (itself funded by an exchange withdrawal) fans ETH out to fresh wallets, directly or
 * through a chain of hop addresses; every wallet runs the farm's script (check-in, a few quests, a small
 * swap, an NFT mint, selling back) and finally sweeps its ETH back. Plain farms act in lockstep: identical
 * amounts, each step by all wallets within a block or two, sweeping to the funder. Disguised farms jitter
 * everything: funding spread over blocks with ±35% amounts, each wallet's script shuffled and partial over
 * tens of blocks, a few organic-looking extra actions, and sweeps to an exchange deposit or a fresh collector.
 * Exchange-funded farms (a share of the plain ones, drawn from a forked stream so other farms are unchanged) act in
 * lockstep like plain farms, but each wallet gets its ETH from an exchange withdrawal and sweeps it back to one.
 */
export function planFarms(
  { cast, schedule, params, from, to }: PlanContext,
  rng: Rng,
  questIds: readonly number[],
): FarmPlan[] {
  const farms: FarmPlan[] = [];
  for (let f = 0; f < params.farms; f += 1) {
    const disguised = rng.chance(params.farmDisguisedShare);
    const exchangeFunded =
      !disguised && rng.fork(`exchange-funded/${f}`).chance(params.farmExchangeFundedShare);
    const kind: FarmKind = disguised ? 'disguised' : exchangeFunded ? 'exchange-funded' : 'plain';
    const clusterId = `farm-${f}-${kind}`;
    const size = rng.int(params.farmSize[0], params.farmSize[1]);
    const hopCount = rng.chance(params.farmHopShare) ? rng.int(1, 2) : 0;
    const span = disguised ? 120 : 25;
    const start = from + 4 + rng.int(0, Math.max(0, to - from - span - 10));
    const funder = exchangeFunded ? undefined : cast.newActor('sybil', clusterId);
    const hops = funder ? Array.from({ length: hopCount }, () => cast.newActor('sybil', clusterId)) : [];
    const wallets = Array.from({ length: size }, () => cast.newActor('sybil', clusterId));
    const perWallet = 0.04 + 0.08 * rng.next();
    const script: Step[] = [
      { kind: 'checkIn' },
      ...rng
        .shuffle(questIds)
        .slice(0, rng.int(3, Math.min(5, questIds.length)))
        .map((questId) => ({ kind: 'quest' as const, questId })),
      { kind: 'buy', eth: 0.005 + 0.01 * rng.next() },
      { kind: 'nft' },
      { kind: 'sell' },
    ];
    const exchange = rng.pick(cast.exchanges);
    const collector = disguised && rng.chance(0.5) ? cast.newActor('sybil', clusterId) : undefined;
    const sweepTo = funder && !disguised ? funder : (collector ?? exchange);
    const tokenPick = rng.next();

    // Funding: exchange → funder → hops → wallets (exchange-funded farms: exchange → each wallet).
    const total = perWallet * size * 1.4 + 0.05;
    if (funder) {
      schedule.at(start - hopCount - 1, ({ world }) =>
        world.transferEth(exchange, funder.address, toWei(total + 0.01 * (hopCount + 1))),
      );
    }
    let source = funder ?? exchange;
    for (const [h, hop] of hops.entries()) {
      const payer = source;
      schedule.at(start - hopCount + h, ({ world }) =>
        world.transferEth(payer, hop.address, world.spendableEth(payer.address)),
      );
      source = hop;
    }
    const fanner = (w: number) => (funder ? source : cast.exchanges[w % cast.exchanges.length]!);
    let last = start;
    for (const [w, wallet] of wallets.entries()) {
      const fundBlock = disguised ? start + rng.int(0, 8) : start;
      const amount = perWallet * (disguised ? 0.65 + 0.7 * rng.next() : 1);
      schedule.at(fundBlock, ({ world }) => world.transferEth(fanner(w), wallet.address, toWei(amount)));
      let steps = script;
      if (disguised) {
        steps = rng.shuffle(script.slice(0, -1)).filter(() => rng.chance(0.8));
        steps.push({ kind: 'sell' });
      }
      let block = disguised ? fundBlock + rng.int(1, 20) : start + 2;
      for (const [s, step] of steps.entries()) {
        block = disguised ? block + 1 + Math.floor(rng.exponential(12)) : start + 2 + s * 2 + (w % 2);
        const jitter = disguised ? 0.65 + 0.7 * rng.next() : 1;
        schedule.at(block, (ctx) => runStep(ctx, wallet, step, jitter, tokenPick));
      }
      if (disguised) {
        for (let n = rng.int(0, 3); n > 0; n -= 1) {
          const at = block - rng.int(1, 10);
          if (at > fundBlock)
            schedule.at(at, ({ world, rng: r }) =>
              world.buyToken(wallet, r.pick(world.tradableTokens()), toWei(0.002 + 0.01 * r.next())),
            );
        }
      }
      const sweepBlock = block + (disguised ? rng.int(5, 40) : 2);
      schedule.at(sweepBlock, ({ world }) =>
        world.transferEth(wallet, sweepTo.address, world.spendableEth(wallet.address)),
      );
      last = Math.max(last, sweepBlock);
    }
    farms.push({ clusterId, kind, funder, hops, wallets, start });
    if (last > to + 200) throw new Error(`farm ${clusterId} runs past the simulation (block ${last})`);
  }
  return farms;
}

function runStep(
  ctx: BlockContext,
  wallet: Actor,
  step: Step,
  jitter: number,
  tokenPick: number,
): TxRequest[] {
  const { world } = ctx;
  const tokens = world.tradableTokens();
  const token = tokens[Math.floor(tokenPick * tokens.length)]!;
  switch (step.kind) {
    case 'checkIn':
      return world.checkIn(wallet, ctx.timestamp);
    case 'quest':
      return world.completeQuest(wallet, step.questId);
    case 'buy':
      return world.buyToken(wallet, token, toWei(step.eth * jitter));
    case 'nft':
      return world.mintNft(wallet);
    case 'sell':
      return world.sellToken(wallet, token, world.tokenOf(token, wallet.address));
  }
}
