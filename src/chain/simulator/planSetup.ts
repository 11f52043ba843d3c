import type { Address } from 'viem';
import type { Rng } from '../../utils/createRng.js';
import type { Intent, Schedule } from './createSchedule.js';
import type { ScenarioParams } from './scenarioParams.js';
import type { Actor, SimWorld } from './simWorld.js';

/** The infrastructure actors every scenario has. */
export interface Cast {
  deployer: Actor;
  exchanges: Actor[];
  marketMakers: Actor[];
  informed: Actor[];
  /** Creates a fresh account with a label (sybil wallets, scammers, hops, users…). */
  newActor(label: Actor['label'], clusterId?: string): Actor;
}

/** What every planner of the main period works with: the cast, the schedule, the parameters, the block range. */
export interface PlanContext {
  cast: Cast;
  schedule: Schedule;
  params: ScenarioParams;
  seed: string;
  /** First and last block of the main period. */
  from: number;
  to: number;
  /** Timestamp of a block (drawn from the seed, known in advance). */
  blockTime: (block: number) => number;
}

/** Token supply minted per token (18 decimals). */
export const tokenSupply = 10n ** 9n * 10n ** 18n;
const ether = 10n ** 18n;

/** Turns a float number of ETH into wei (rounded down to the gwei). */
export function toWei(eth: number): bigint {
  return BigInt(Math.max(0, Math.floor(eth * 1e9))) * 10n ** 9n;
}

/**
 * The setup, as phases that must each be mined before the next starts (each intent is one small action,
 * so a phase spreads over as many blocks as the gas limit needs): Uniswap V2 (WETH9, factory, router) from
 * the official artifacts; the tokens, the NFT and the quest board; quests, token supply to exchanges, market
 * makers and informed traders, and their ETH; every token's WETH pool seeded by a market maker; the cross pools.
 */
export function planSetup(world: SimWorld, cast: Cast, params: ScenarioParams, rng: Rng): Intent[][] {
  const { deployer, exchanges, marketMakers, informed } = cast;
  const tokens: Address[] = [];
  const prices: number[] = [];
  const deployUniswap: Intent = () => {
    const weth = world.deploy(deployer, world.artifacts.WETH9);
    const factory = world.deploy(deployer, world.artifacts.UniswapV2Factory, [deployer.address]);
    const router = world.deploy(deployer, world.artifacts.UniswapV2Router02, [factory.address, weth.address]);
    world.weth = weth.address;
    world.factory = factory.address;
    world.router = router.address;
    return [weth.tx, factory.tx, router.tx];
  };
  const deployTokens: Intent[] = Array.from({ length: params.tokens }, (_, i) => () => {
    const symbol = `TK${i}`;
    const token = world.deploy(deployer, world.artifacts.SimToken, [
      `Sim Token ${i}`,
      symbol,
      18,
      deployer.address,
    ]);
    world.tokenSymbols.set(token.address, symbol);
    tokens.push(token.address);
    prices.push(10 ** (-4 + 3 * rng.next()));
    return [token.tx];
  });
  const deployApps: Intent = () => {
    world.nftPrice = ether / 100n;
    const nft = world.deploy(deployer, world.artifacts.SimNft, [
      'Sim Collectibles',
      'SIMC',
      world.nftPrice,
      deployer.address,
    ]);
    const quest = world.deploy(deployer, world.artifacts.QuestBoard, [deployer.address]);
    world.nft = nft.address;
    world.questBoard = quest.address;
    return [nft.tx, quest.tx];
  };
  const addQuests: Intent[] = Array.from({ length: params.quests }, (_, q) => () => {
    world.questIds.push(q);
    const tx = world.call(
      deployer,
      world.questBoard,
      world.artifacts.QuestBoard.abi,
      'addQuest',
      [BigInt(10 * (q + 1))],
      150_000n,
    );
    return tx ? [tx] : [];
  });
  const holders = [...exchanges, ...marketMakers, ...informed];
  const mints: Intent[] = Array.from({ length: params.tokens }, (_, t) =>
    holders.map(
      (holder) => () =>
        world.mintToken(deployer, tokens[t]!, holder.address, tokenSupply / BigInt(holders.length * 2)),
    ),
  ).flat();
  const fundTraders: Intent[] = [
    ...marketMakers.map(
      (actor, i) => () => world.transferEth(exchanges[i % exchanges.length]!, actor.address, toWei(20_000)),
    ),
    ...informed.map(
      (actor, i) => () => world.transferEth(exchanges[i % exchanges.length]!, actor.address, toWei(5_000)),
    ),
  ];
  const seedPools: Intent[] = Array.from({ length: params.tokens }, (_, i) => () => {
    const ethSide = 300 + 1_700 * rng.next();
    return world.addLiquidityEth(
      marketMakers[i % marketMakers.length]!,
      tokens[i]!,
      toWei(ethSide / prices[i]!),
      toWei(ethSide),
    );
  });
  const seedCrossPools: Intent[] = Array.from(
    { length: Math.min(params.crossPools, Math.floor(params.tokens / 2)) },
    (_, c) => () => {
      const ethSide = 100 + 400 * rng.next();
      const [a, b] = [tokens[2 * c]!, tokens[2 * c + 1]!];
      const amounts = [toWei(ethSide / prices[2 * c]!), toWei(ethSide / prices[2 * c + 1]!)] as const;
      return world.addLiquidityTokens(marketMakers[c % marketMakers.length]!, a, b, amounts[0], amounts[1]);
    },
  );
  return [
    [deployUniswap],
    [...deployTokens, deployApps],
    [...addQuests, ...mints, ...fundTraders],
    seedPools,
    seedCrossPools,
  ];
}
