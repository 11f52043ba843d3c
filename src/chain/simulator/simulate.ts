import type { Logger } from 'pino';
import { type Address, decodeFunctionResult, encodeFunctionData, type Hex, keccak256, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { NonRetryableError } from '../../internal/errors.js';
import { createRng } from '../../utils/createRng.js';
import { compileContracts } from '../devnet/compileContracts.js';
import { devMnemonicKeys } from '../devnet/devMnemonicKeys.js';
import { loadUniswapArtifacts } from '../devnet/uniswapArtifacts.js';
import { createChainWriter, type RpcTarget, type TxRequest } from './createChainWriter.js';
import { type BlockContext, createSchedule, type Intent } from './createSchedule.js';
import { planFarms } from './planFarms.js';
import { createFairValues, planInformedTrading, planMarketMaking } from './planMarket.js';
import { planOrganic } from './planOrganic.js';
import { planPhishing, planPoisoning, planRugPulls } from './planScams.js';
import { type Cast, type PlanContext, planSetup } from './planSetup.js';
import { type Scale, type ScenarioParams, scenarios } from './scenarioParams.js';
import { type LabelRecord, type SimArtifacts, SimWorld } from './simWorld.js';

/** Options for {@link simulate}. */
export interface SimulateOptions {
  /** A fresh hardhat/anvil-compatible node (it must accept evm_mine with a timestamp): its JSON-RPC URL, or
   *  the provider of an in-process devnet (`startDevnet().provider`), which skips HTTP and is several times faster. */
  rpc: RpcTarget;
  seed: number | string;
  scale?: Scale;
  /** Overrides of the scale's parameters. */
  params?: Partial<ScenarioParams>;
  /** Genesis-funded private keys: the first deploys, the next ones are exchanges (default: the dev mnemonic). */
  fundedKeys?: readonly Hex[];
  logger?: Logger;
  /** After every block, check that the simulator never believes an account holds more ETH than it does
   *  (one extra batch request per block; for tests and debugging). */
  verifyBalances?: boolean;
  /** Called after every block with how far the simulation is. */
  onProgress?: (progress: { block: number; lastBlock: number; transactions: number }) => void;
}

/** What a simulation planted and wrote. */
export interface SimulationResult {
  chainId: number;
  seed: string;
  scale: Scale;
  params: ScenarioParams;
  lastBlock: number;
  transactions: number;
  /** Intents dropped because the actor could not afford them or had nothing to move. */
  skippedActions: number;
  seconds: number;
  labels: LabelRecord[];
  contracts: { weth: Address; factory: Address; router: Address; nft: Address; questBoard: Address };
  tokens: { address: Address; symbol: string; pool: Address | undefined }[];
  /** Every Uniswap V2 pair the simulation created. */
  pools: { address: Address; token0: Address; token1: Address }[];
  /** The hidden fair value (ETH per token) of each original token, per block from `fairValueFromBlock`. */
  fairValues: { token: Address; values: number[] }[];
  fairValueFromBlock: number;
}

const setupBlockSeconds = 12;
/** The most gas one intent can ask for (a contract deployment): a block takes intents while this still fits. */
const maxIntentGas = 7_000_000n;

/**
 * Runs a deterministic scenario against a fresh node: the same seed, scale and node give the same
 * transactions, the same blocks and the same block hashes. Mines every block itself (automine off) with
 * timestamps drawn from the seed, and checks its mirror of the pools against the chain as it goes.
 */
export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  const started = performance.now();
  const params: ScenarioParams = { ...scenarios[options.scale ?? 'small'], ...options.params };
  const seed = String(options.seed);
  const writer = createChainWriter(options.rpc, 0);
  const [chainIdHex, blockNumberHex, genesis] = (await writer.batch([
    { method: 'eth_chainId', params: [] },
    { method: 'eth_blockNumber', params: [] },
    { method: 'eth_getBlockByNumber', params: ['latest', false] },
  ])) as [Hex, Hex, { timestamp: Hex; gasLimit: Hex }];
  if (Number(blockNumberHex) !== 0) {
    throw new NonRetryableError(
      `simulate needs a fresh chain, but the node is at block ${Number(blockNumberHex)}`,
      {
        code: 'SIMULATION_CHAIN_NOT_FRESH',
        details:
          'The same seed gives the same chain only from genesis: start a new devnet (`chaingnn devnet start`).',
      },
    );
  }
  const chainId = Number(chainIdHex);
  const chain = createChainWriter(options.rpc, chainId);
  await chain.call('evm_setAutomine', [false]);
  const gasBudget = (BigInt(genesis.gasLimit) * 9n) / 10n;

  const artifacts: SimArtifacts = {
    ...(await compileContracts({ ...(options.logger ? { logger: options.logger } : {}) })),
    ...loadUniswapArtifacts(),
  };
  const world = new SimWorld(artifacts);
  const rng = createRng(seed);
  const keys = options.fundedKeys ?? devMnemonicKeys(1 + params.exchanges);
  if (keys.length < 1 + params.exchanges) {
    throw new NonRetryableError(`simulate needs ${1 + params.exchanges} funded keys, got ${keys.length}`, {
      code: 'SIMULATION_KEYS',
    });
  }
  const balances = (await chain.batch(
    keys
      .slice(0, 1 + params.exchanges)
      .map((key) => ({ method: 'eth_getBalance', params: [privateKeyToAccount(key).address, 'latest'] })),
  )) as Hex[];
  const funded = keys
    .slice(0, 1 + params.exchanges)
    .map((key, i) => ({ key, balance: BigInt(balances[i]!) }));
  let accountCount = 0;
  const cast: Cast = {
    deployer: world.addActor(privateKeyToAccount(funded[0]!.key), 'deployer', '', funded[0]!.balance),
    exchanges: funded
      .slice(1)
      .map(({ key, balance }, i) =>
        world.addActor(privateKeyToAccount(key), 'exchange', `exchange-${i}`, balance),
      ),
    marketMakers: [],
    informed: [],
    newActor: (label, clusterId = '') => {
      accountCount += 1;
      return world.addActor(
        privateKeyToAccount(keccak256(toHex(`chaingnn-sim/${seed}/${accountCount}`))),
        label,
        clusterId,
      );
    },
  };
  cast.marketMakers = Array.from({ length: params.marketMakers }, () => cast.newActor('organic'));
  cast.informed = Array.from({ length: params.informedTraders }, () => cast.newActor('organic'));

  const timeRng = rng.fork('time');
  let inSetup = true;
  const timestamps = [Number(genesis.timestamp)];
  const blockTime = (block: number) => {
    while (timestamps.length <= block) {
      const gap = inSetup
        ? setupBlockSeconds
        : Math.max(1, Math.round(timeRng.exponential(params.meanBlockSeconds)));
      timestamps.push(timestamps[timestamps.length - 1]! + gap);
    }
    return timestamps[block]!;
  };

  let current = 0;
  const schedule = createSchedule(() => current);
  const execRng = rng.fork('exec');
  let fairValue: ReadonlyMap<Address, number> = new Map();
  let deferred: Intent[] = [];
  /** Mines blocks until `to` and until no intent is left over. Intents that would push a block past the gas
   *  budget move, untouched, to the front of the next block: the mirror only ever sees what is mined. */
  const runBlocks = async (to: number, onBlock?: () => void) => {
    while (current < to || deferred.length > 0) {
      current += 1;
      const block = current;
      const timestamp = blockTime(block);
      const ctx: BlockContext = { block, timestamp, world, rng: execRng, schedule, fairValue };
      const intents = [...deferred, ...schedule.take(block)];
      deferred = [];
      const txs: TxRequest[] = [];
      let gas = 0n;
      for (const [i, intent] of intents.entries()) {
        if (gas + maxIntentGas > gasBudget && txs.length > 0) {
          deferred = intents.slice(i);
          break;
        }
        for (const tx of intent(ctx)) {
          txs.push(tx);
          gas += tx.gas;
        }
      }
      try {
        await chain.writeBlock(txs, timestamp);
      } catch (error) {
        throw explainRefusal(error, txs, world, block);
      }
      world.settle();
      if (options.verifyBalances) {
        await verifyPools(world, chain.batch, block);
        await verifyBalances(world, chain.batch, txs, block);
      }
      onBlock?.();
      options.onProgress?.({ block, lastBlock: Math.max(to, schedule.lastBlock), transactions: chain.sent });
    }
    return current;
  };

  for (const phase of planSetup(world, cast, params, rng.fork('setup'))) {
    for (const intent of phase) schedule.at(current + 1, intent);
    await runBlocks(current + 1);
  }
  await verifyPools(world, chain.batch, current);
  inSetup = false;
  const mainFrom = current + 1;
  const mainTo = mainFrom + params.blocks - 1;
  const plan: PlanContext = { cast, schedule, params, seed, from: mainFrom, to: mainTo, blockTime };
  const hyped = planRugPulls(plan, rng.fork('rugs'));
  const users = planOrganic(plan, rng.fork('organic'), hyped);
  planFarms(plan, rng.fork('farms'), world.questIds);
  planPhishing(plan, rng.fork('phishing'), users);
  planPoisoning(plan, rng.fork('poisoning'));
  planInformedTrading(plan, rng.fork('informed'));
  planMarketMaking(plan, rng.fork('market-making'));
  const original = world.tradableTokens();
  const fair = createFairValues(
    new Map(original.map((token) => [token, world.priceInEth(token)])),
    params,
    rng.fork('fair-value'),
  );
  fairValue = fair.current;
  options.logger?.info(
    { seed, scale: params.scale, accounts: accountCount, blocks: schedule.lastBlock },
    'simulating',
  );
  const lastBlock = await runBlocks(Math.max(mainTo, schedule.lastBlock), () => fair.step());
  await verifyPools(world, chain.batch, lastBlock);
  world.labelProtocolContracts();
  await chain.call('evm_setAutomine', [true]);

  return {
    chainId,
    seed,
    scale: params.scale,
    params,
    lastBlock,
    transactions: chain.sent,
    skippedActions: world.skipped,
    seconds: (performance.now() - started) / 1000,
    labels: [...world.labels.values()],
    contracts: {
      weth: world.weth,
      factory: world.factory,
      router: world.router,
      nft: world.nft,
      questBoard: world.questBoard,
    },
    tokens: [...world.tokenSymbols].map(([address, symbol]) => ({
      address,
      symbol,
      pool: world.pool(address, world.weth)?.address,
    })),
    pools: [...world.pools.values()].map(({ address, token0, token1 }) => ({ address, token0, token1 })),
    fairValues: original.map((token) => ({ token, values: fair.history.get(token)! })),
    fairValueFromBlock: mainFrom,
  };
}

/** Adds who sent a refused transaction, and what the simulator believed of it, to the node's refusal. */
function explainRefusal(error: unknown, txs: readonly TxRequest[], world: SimWorld, block: number): unknown {
  if (!(error instanceof NonRetryableError) || error.code !== 'SIMULATION_TX_REFUSED') return error;
  const sender = txs.find((tx) => error.shortMessage.includes(tx.from.address))?.from.address;
  const label = sender ? world.labels.get(sender) : undefined;
  return new NonRetryableError(`${error.shortMessage} in block ${block}`, {
    code: error.code,
    cause: error,
    details: `${error.details}\nsender: ${label ? `${label.label} ${label.clusterId}` : 'unknown'}; simulator balance ${sender ? world.ethOf(sender) : '?'}`,
  });
}

/** Reads every pool's reserves from the chain and fails if the simulator's mirror disagrees. */
async function verifyPools(
  world: SimWorld,
  batch: ReturnType<typeof createChainWriter>['batch'],
  block: number,
): Promise<void> {
  const pools = [...world.pools.values()];
  const abi = world.artifacts.UniswapV2Pair.abi;
  const data = encodeFunctionData({ abi, functionName: 'getReserves' });
  const results = (await batch(
    pools.map((pool) => ({ method: 'eth_call', params: [{ to: pool.address, data }, 'latest'] })),
  )) as Hex[];
  for (const [i, pool] of pools.entries()) {
    const [reserve0, reserve1] = decodeFunctionResult({
      abi,
      functionName: 'getReserves',
      data: results[i]!,
    }) as [bigint, bigint, number];
    if (reserve0 !== pool.reserve0 || reserve1 !== pool.reserve1) {
      throw new NonRetryableError(
        `Simulator state diverged from the chain for pool ${pool.address} at block ${block}`,
        {
          code: 'SIMULATION_DIVERGED',
          details: `chain reserves ${reserve0}/${reserve1}, simulator ${pool.reserve0}/${pool.reserve1}`,
        },
      );
    }
  }
}

/** Fails if the simulator believes any sender of `txs` holds more ETH than the chain says. */
async function verifyBalances(
  world: SimWorld,
  batch: ReturnType<typeof createChainWriter>['batch'],
  txs: readonly TxRequest[],
  block: number,
): Promise<void> {
  const addresses = [...new Set(txs.map((tx) => tx.from.address))];
  const balances = (await batch(
    addresses.map((address) => ({ method: 'eth_getBalance', params: [address, 'latest'] })),
  )) as Hex[];
  for (const [i, address] of addresses.entries()) {
    const chain = BigInt(balances[i]!);
    const believed = world.ethOf(address);
    if (believed > chain) {
      const label = world.labels.get(address);
      throw new NonRetryableError(`Simulator overestimates the ETH of ${address} after block ${block}`, {
        code: 'SIMULATION_DIVERGED',
        details: `chain ${chain}, simulator ${believed}, ${label?.label} ${label?.clusterId}`,
      });
    }
  }
}
