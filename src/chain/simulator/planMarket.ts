import type { Address } from 'viem';
import type { Rng } from '../../utils/createRng.js';
import type { BlockContext } from './createSchedule.js';
import type { Cast, PlanContext } from './planSetup.js';
import type { ScenarioParams } from './scenarioParams.js';
import { reservesFor } from './uniswapMath.js';

/**
 * The hidden fair value of each token (ETH per token): a log random walk with volatility
 * `fairValueVolatility` per block plus rare jumps (news). Nobody on chain sees it; informed traders trade
 * pools towards it, so their order flow predicts where pool prices go next.
 */
export interface FairValues {
  readonly current: ReadonlyMap<Address, number>;
  /** Moves every token's fair value one block forward. */
  step(): void;
  /** Fair value per token per block since the start, for the ground truth. */
  readonly history: Map<Address, number[]>;
}

/** Starts each token's fair value at its pool price. */
export function createFairValues(
  start: ReadonlyMap<Address, number>,
  params: ScenarioParams,
  rng: Rng,
): FairValues {
  const current = new Map(start);
  const history = new Map([...start].map(([token, value]) => [token, [value]]));
  return {
    current,
    history,
    step() {
      for (const [token, value] of current) {
        const jump = rng.chance(0.004) ? (rng.chance(0.5) ? 1 : -1) * (0.1 + 0.2 * rng.next()) : 0;
        const next = value * Math.exp(params.fairValueVolatility * rng.normal() + jump);
        current.set(token, next);
        history.get(token)!.push(next);
      }
    },
  };
}

/**
 * Informed traders: in each block each one looks at the market with probability `informedActProbability`,
 * picks a token, and if its pool price is off the fair value by more than `informedThreshold` (in log
 * terms) trades to close a random fraction of the gap, within half of its holdings.
 */
export function planInformedTrading({ cast, schedule, params, from, to }: PlanContext, rng: Rng): void {
  for (let block = from; block <= to; block += 1) {
    for (const trader of cast.informed) {
      if (!rng.chance(params.informedActProbability)) continue;
      const gapShare =
        params.informedGapClosed[0] +
        (params.informedGapClosed[1] - params.informedGapClosed[0]) * rng.next();
      const pickIndex = rng.next();
      schedule.at(block, (ctx) =>
        tradeTowardsFairValue(ctx, trader, gapShare, pickIndex, params.informedThreshold),
      );
    }
  }
}

function tradeTowardsFairValue(
  ctx: BlockContext,
  trader: Cast['informed'][number],
  gapShare: number,
  pickIndex: number,
  threshold: number,
) {
  const { world } = ctx;
  const tokens = [...ctx.fairValue.keys()];
  const token = tokens[Math.floor(pickIndex * tokens.length)];
  const pool = token && world.pool(token, world.weth);
  if (!token || !pool) return [];
  const fair = ctx.fairValue.get(token)!;
  const [rToken, rWeth] = reservesFor(pool, token);
  const price = Number(rWeth) / Number(rToken);
  const gap = Math.log(fair / price);
  if (Math.abs(gap) < threshold) return [];
  const target = price * Math.exp(gap * gapShare);
  const k = Number(rWeth) * Number(rToken);
  if (gap > 0) {
    const ethIn = (Math.sqrt(k * target) - Number(rWeth)) / 0.997;
    const cap = Number(world.spendableEth(trader.address)) / 2;
    return world.buyToken(trader, token, BigInt(Math.floor(Math.min(ethIn, cap))));
  }
  const tokenIn = (Math.sqrt(k / target) - Number(rToken)) / 0.997;
  const cap = Number(world.tokenOf(token, trader.address)) / 2;
  return world.sellToken(trader, token, BigInt(Math.floor(Math.min(tokenIn, cap))));
}

/** Market makers now and then add liquidity to a pool or take some out. */
export function planMarketMaking({ cast, schedule, from, to }: PlanContext, rng: Rng): void {
  for (const mm of cast.marketMakers) {
    for (
      let block = from + Math.floor(rng.exponential(150));
      block <= to;
      block += 1 + Math.floor(rng.exponential(150))
    ) {
      const add = rng.chance(0.6);
      const share = 0.02 + 0.1 * rng.next();
      const pickIndex = rng.next();
      schedule.at(block, ({ world }) => {
        const tokens = world.tradableTokens();
        const token = tokens[Math.floor(pickIndex * tokens.length)];
        const pool = token && world.pool(token, world.weth);
        if (!token || !pool) return [];
        if (!add)
          return world.removeLiquidityEth(
            mm,
            token,
            (world.lpOf(pool, mm.address) * BigInt(Math.floor(share * 1000))) / 1000n,
          );
        const [rToken, rWeth] = reservesFor(pool, token);
        const ethIn = (rWeth * BigInt(Math.floor(share * 1000))) / 1000n;
        const tokenIn = (rToken * BigInt(Math.floor(share * 1000))) / 1000n + 1n;
        return world.addLiquidityEth(mm, token, tokenIn, ethIn);
      });
    }
  }
}
