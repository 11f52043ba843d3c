// Extends a simulated world into a long chain that is busy along its whole range, for benchmarks that need
// many blocks with real rows in every table: every `every`-th block carries a Uniswap V2 round trip through
// the world's token/token pool (WETH → A → B → WETH, or back; 11 logs) and a buy of A for a fresh address
// (5 logs), from the genesis accounts the simulator left unused; the blocks between are empty.
import {
  type Address,
  encodeFunctionData,
  getAddress,
  type Hex,
  keccak256,
  type LocalAccount,
  toHex,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { Devnet } from '../../src/chain/devnet/startDevnet.js';
import { loadUniswapArtifacts } from '../../src/chain/devnet/uniswapArtifacts.js';
import {
  type ChainWriter,
  createChainWriter,
  type TxRequest,
} from '../../src/chain/simulator/createChainWriter.js';
import type { SimulationResult } from '../../src/chain/simulator/simulate.js';

/** Options for {@link buildBusyChain}. */
export interface BusyChainOptions {
  devnet: Devnet;
  /** What `simulate` wrote into the devnet (its pools and router are traded on). */
  world: SimulationResult;
  /** The chain's last block once extended. */
  lastBlock: number;
  /** One block in `every` carries transactions. */
  every: number;
}

const blockSeconds = 12;
const deadline = 2n ** 40n;
const roundTripWei = 10n ** 16n;
const buyWei = 10n ** 14n;
const roundTripGas = 400_000n;
const buyGas = 220_000n;

interface Trader {
  account: LocalAccount;
  nonce: number;
}

/** Mines blocks after the simulated world up to `lastBlock` (swaps every `every` blocks); returns the transactions sent. */
export async function buildBusyChain(options: BusyChainOptions): Promise<number> {
  const { devnet, world } = options;
  const chain = createChainWriter(devnet.provider, world.chainId);
  const traders = await loadTraders(chain, devnet.fundedKeys.slice(1 + world.params.exchanges));
  const { weth, router } = world.contracts;
  const [tokenA, tokenB] = findTokenPair(world);
  const abi = loadUniswapArtifacts().UniswapV2Router02.abi;
  /** A `swapExactETHForTokens` of `value` along `path` to `to`, from `trader`. */
  const swap = (trader: Trader, path: Address[], to: Address, value: bigint, gas: bigint): TxRequest => ({
    from: trader.account,
    nonce: trader.nonce++,
    to: router,
    value,
    gas,
    data: encodeFunctionData({ abi, functionName: 'swapExactETHForTokens', args: [0n, path, to, deadline] }),
  });
  /** The transactions of the `round`-th busy block. */
  const trades = (round: number): TxRequest[] => {
    const trader = traders[round % traders.length]!;
    const path = round % 2 === 0 ? [weth, tokenA, tokenB, weth] : [weth, tokenB, tokenA, weth];
    return [
      swap(trader, path, trader.account.address, roundTripWei, roundTripGas),
      swap(trader, [weth, tokenA], freshAddress(round), buyWei, buyGas),
    ];
  };

  await chain.call('evm_setAutomine', [false]);
  const latest = await chain.call<{ number: Hex; timestamp: Hex }>('eth_getBlockByNumber', ['latest', false]);
  let timestamp = Number(latest.timestamp);
  const firstBusy = Math.ceil((Number(latest.number) + 1) / options.every) * options.every;
  for (let block = Number(latest.number) + 1; block <= options.lastBlock; block += 1) {
    timestamp += blockSeconds;
    if (block % options.every !== 0) {
      await chain.call('evm_mine', [timestamp]);
      continue;
    }
    const { txHashes } = await chain.writeBlock(trades(block / options.every), timestamp);
    if (block === firstBusy || block + options.every > options.lastBlock)
      await assertSucceeded(chain, txHashes);
  }
  await chain.call('evm_setAutomine', [true]);
  return chain.sent;
}

/** The funded accounts of `keys` with their next nonces. */
async function loadTraders(chain: ChainWriter, keys: readonly Hex[]): Promise<Trader[]> {
  if (keys.length === 0)
    throw new Error('buildBusyChain needs a funded genesis account the simulator left unused');
  const accounts = keys.map((key) => privateKeyToAccount(key));
  const nonces = (await chain.batch(
    accounts.map((account) => ({ method: 'eth_getTransactionCount', params: [account.address, 'latest'] })),
  )) as Hex[];
  return accounts.map((account, i) => ({ account, nonce: Number(nonces[i]) }));
}

/** The two tokens of the world's first token/token pool that both have a WETH pool too. */
function findTokenPair(world: SimulationResult): [Address, Address] {
  const weth = world.contracts.weth.toLowerCase();
  const withWeth = new Set(
    world.pools.flatMap(({ token0, token1 }) =>
      [token0, token1].some((t) => t.toLowerCase() === weth)
        ? [token0.toLowerCase(), token1.toLowerCase()]
        : [],
    ),
  );
  const pair = world.pools.find(
    ({ token0, token1 }) => token0.toLowerCase() !== weth && token1.toLowerCase() !== weth,
  );
  if (!pair || !withWeth.has(pair.token0.toLowerCase()) || !withWeth.has(pair.token1.toLowerCase())) {
    throw new Error('buildBusyChain needs a token/token pool whose tokens both have a WETH pool');
  }
  return [pair.token0, pair.token1];
}

/** An address that has not appeared on the chain before: the recipient of the `round`-th buy. */
function freshAddress(round: number): Address {
  return getAddress(`0x${keccak256(toHex(`busy-chain/${round}`)).slice(26)}`);
}

/** Fails unless every transaction of `hashes` succeeded (a revert would leave blocks without logs). */
async function assertSucceeded(chain: ChainWriter, hashes: readonly Hex[]): Promise<void> {
  const receipts = (await chain.batch(
    hashes.map((hash) => ({ method: 'eth_getTransactionReceipt', params: [hash] })),
  )) as { status: Hex; logs: unknown[] }[];
  const failed = receipts.findIndex((receipt) => receipt.status !== '0x1');
  if (failed >= 0) throw new Error(`buildBusyChain: transaction ${hashes[failed]} reverted`);
}
