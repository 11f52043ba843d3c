import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { pino } from 'pino';
import {
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  encodePacked,
  getAbiItem,
  getAddress,
  getContractAddress,
  type Hex,
  http,
  keccak256,
  maxUint256,
  type PrivateKeyAccount,
  type PublicClient,
  parseEther,
  parseEventLogs,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CompiledContract, compileContracts, type SimContractName } from './compileContracts.js';
import { type Devnet, startDevnet } from './startDevnet.js';
import { loadUniswapArtifacts, uniswapV2PairInitCodeHash } from './uniswapArtifacts.js';

type Wallet = WalletClient<Transport, Chain, PrivateKeyAccount>;
type Args = Record<string, unknown>;

/** A pino logger that keeps every record it writes, for asserting on logs. */
function captureLogger() {
  const records: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      records.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), records };
}

describe('compileContracts', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'chaingnn-solc-'));
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('compiles all five contracts, then serves them from the cache without running solc', async () => {
    const cold = captureLogger();
    let started = performance.now();
    const first = await compileContracts({ cacheDir, logger: cold.logger });
    const coldMs = performance.now() - started;
    expect(Object.keys(first).sort()).toEqual(['Drainer', 'MerkleClaim', 'QuestBoard', 'SimNft', 'SimToken']);
    for (const contract of Object.values(first)) {
      expect(contract.bytecode).toMatch(/^0x(?:[0-9a-f]{2})+$/);
      expect(contract.abi.length).toBeGreaterThan(0);
    }
    expect(cold.records.map((r) => r.msg)).toContain('compiled devnet contracts');

    const warm = captureLogger();
    started = performance.now();
    const second = await compileContracts({ cacheDir, logger: warm.logger });
    const warmMs = performance.now() - started;
    expect(second).toEqual(first);
    expect(warm.records).toEqual([]);
    expect(warmMs).toBeLessThan(coldMs / 5);
  });

  it('ignores a corrupt cache file, recompiles and repairs it', async () => {
    const file = join(cacheDir, 'contracts.json');
    const good = await compileContracts({ cacheDir });
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 100));
    const { logger, records } = captureLogger();
    const again = await compileContracts({ cacheDir, logger });
    expect(again).toEqual(good);
    expect(records.map((r) => [r.level, r.msg])).toEqual([
      [40, 'the solc cache file is corrupt; recompiling'],
      [30, 'compiled devnet contracts'],
    ]);
    expect(JSON.parse(readFileSync(file, 'utf8')).contracts.SimToken.bytecode).toBe(good.SimToken.bytecode);
  });
});

describe('devnet contracts', () => {
  let devnet: Devnet;
  let client: PublicClient;
  let wallets: Wallet[];
  let sim: Record<SimContractName, CompiledContract>;
  const uniswap = loadUniswapArtifacts();

  beforeAll(async () => {
    [devnet, sim] = await Promise.all([startDevnet(), compileContracts()]);
    const chain = defineChain({
      id: devnet.chainId,
      name: 'chaingnn devnet',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [devnet.url] } },
    });
    // Hardhat reports reverts as JSON-RPC internal errors (-32603), which viem retries with backoff (~1 s).
    const transport = http(devnet.url, { retryCount: 0 });
    client = createPublicClient({ chain, transport });
    wallets = devnet.fundedKeys.map((key) =>
      createWalletClient({ account: privateKeyToAccount(key), chain, transport }),
    );
  });
  afterAll(() => devnet?.stop());

  const addressOf = (wallet: Wallet) => wallet.account.address;

  async function deploy(wallet: Wallet, contract: CompiledContract, args: unknown[] = []): Promise<Address> {
    const hash = await wallet.deployContract({ abi: contract.abi, bytecode: contract.bytecode, args });
    const receipt = await client.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe('success');
    return getAddress(receipt.contractAddress!);
  }

  async function write(
    wallet: Wallet,
    address: Address,
    contract: CompiledContract,
    functionName: string,
    args: unknown[] = [],
    value = 0n,
  ): Promise<TransactionReceipt> {
    const hash = await wallet.writeContract({ address, abi: contract.abi, functionName, args, value });
    const receipt = await client.waitForTransactionReceipt({ hash });
    expect(receipt.status).toBe('success');
    return receipt;
  }

  const read = <T>(
    address: Address,
    contract: CompiledContract,
    functionName: string,
    args: unknown[] = [],
  ) => client.readContract({ address, abi: contract.abi, functionName, args }) as Promise<T>;

  /** The receipt's events decoded with `contract`'s ABI, as `[address, eventName, args]`. */
  const eventsOf = (receipt: TransactionReceipt, contract: CompiledContract) =>
    parseEventLogs({ abi: contract.abi, logs: receipt.logs }).map(
      (log) => [log.address, log.eventName, log.args as Args] as const,
    );

  async function deployToken(owner: Wallet, symbol: string, decimals: number): Promise<Address> {
    return deploy(owner, sim.SimToken, [`${symbol} token`, symbol, decimals, addressOf(owner)]);
  }

  it('adds Uniswap V2 liquidity and swaps at exactly the constant-product price with the 0.3% fee', async () => {
    const [owner, trader] = wallets as [Wallet, Wallet];
    const weth = await deploy(owner, uniswap.WETH9);
    const factory = await deploy(owner, uniswap.UniswapV2Factory, [addressOf(owner)]);
    const router = await deploy(owner, uniswap.UniswapV2Router02, [factory, weth]);
    const tokenA = (await deployToken(owner, 'TKA', 18)).toLowerCase() as Address;
    const tokenB = (await deployToken(owner, 'TKB', 6)).toLowerCase() as Address;
    expect(await read(tokenB, sim.SimToken, 'decimals')).toBe(6);

    const liquidityA = 1_000_000n * 10n ** 18n;
    const liquidityB = 2_000_000n * 10n ** 6n;
    for (const [token, amount] of [
      [tokenA, liquidityA],
      [tokenB, liquidityB],
    ] as const) {
      await write(owner, token, sim.SimToken, 'mint', [addressOf(owner), amount]);
      await write(owner, token, sim.SimToken, 'approve', [router, amount]);
    }
    const added = await write(owner, router, uniswap.UniswapV2Router02, 'addLiquidity', [
      ...[tokenA, tokenB, liquidityA, liquidityB, liquidityA, liquidityB],
      ...[addressOf(owner), maxUint256],
    ]);
    const pair = await read<Address>(factory, uniswap.UniswapV2Factory, 'getPair', [tokenA, tokenB]);
    const [token0, token1] = tokenA < tokenB ? [tokenA, tokenB] : [tokenB, tokenA];
    const salt = keccak256(encodePacked(['address', 'address'], [token0, token1]));
    expect(pair).toBe(
      getContractAddress({ opcode: 'CREATE2', from: factory, salt, bytecodeHash: uniswapV2PairInitCodeHash }),
    );
    // The first provider gets sqrt(a·b) LP tokens minus the 1000 locked forever at address 0.
    const lpMints = eventsOf(added, uniswap.UniswapV2Pair).filter(
      ([address, name, args]) => address === pair.toLowerCase() && name === 'Transfer' && args.from === zero,
    );
    expect(lpMints.map(([, , args]) => [args.to, args.value])).toEqual([
      [zero, 1000n],
      [addressOf(owner), sqrt(liquidityA * liquidityB) - 1000n],
    ]);

    const [reserve0, reserve1] = await read<[bigint, bigint, number]>(
      pair,
      uniswap.UniswapV2Pair,
      'getReserves',
    );
    const [reserveA, reserveB] = token0 === tokenA ? [reserve0, reserve1] : [reserve1, reserve0];
    expect([reserveA, reserveB]).toEqual([liquidityA, liquidityB]);

    const amountIn = 5_000n * 10n ** 18n;
    const expectedOut = (amountIn * 997n * reserveB) / (reserveA * 1000n + amountIn * 997n);
    await write(owner, tokenA, sim.SimToken, 'mint', [addressOf(trader), amountIn]);
    await write(trader, tokenA, sim.SimToken, 'approve', [router, amountIn]);
    const swapped = await write(trader, router, uniswap.UniswapV2Router02, 'swapExactTokensForTokens', [
      ...[amountIn, expectedOut, [tokenA, tokenB], addressOf(trader), maxUint256],
    ]);

    const events = eventsOf(swapped, uniswap.UniswapV2Pair);
    const transfers = events.filter(([, name]) => name === 'Transfer');
    expect(transfers.map(([address, , args]) => [address, args.from, args.to, args.value])).toEqual([
      [tokenA, addressOf(trader), pair, amountIn],
      [tokenB, pair, addressOf(trader), expectedOut],
    ]);
    const aIs0 = token0 === tokenA;
    const swap = events.find(([, name]) => name === 'Swap')!;
    expect(swap[0]).toBe(pair.toLowerCase());
    expect(swap[2]).toEqual({
      sender: router,
      amount0In: aIs0 ? amountIn : 0n,
      amount1In: aIs0 ? 0n : amountIn,
      amount0Out: aIs0 ? 0n : expectedOut,
      amount1Out: aIs0 ? expectedOut : 0n,
      to: addressOf(trader),
    });
    const newA = reserveA + amountIn;
    const newB = reserveB - expectedOut;
    const sync = events.find(([, name]) => name === 'Sync')!;
    expect(sync[2]).toEqual(aIs0 ? { reserve0: newA, reserve1: newB } : { reserve0: newB, reserve1: newA });
    const [after0, after1] = await read<[bigint, bigint, number]>(pair, uniswap.UniswapV2Pair, 'getReserves');
    expect(aIs0 ? [after0, after1] : [after1, after0]).toEqual([newA, newB]);
    // The fee stays in the pool, so k grows; one more unit out would have broken the fee-adjusted invariant.
    expect(newA * newB).toBeGreaterThan(reserveA * reserveB);
    const adjusted = (out: bigint) => (newA * 1000n - amountIn * 3n) * (reserveB - out) * 1000n;
    expect(adjusted(expectedOut)).toBeGreaterThanOrEqual(reserveA * reserveB * 1000n ** 2n);
    expect(adjusted(expectedOut + 1n)).toBeLessThan(reserveA * reserveB * 1000n ** 2n);
    expect(await read(tokenB, sim.SimToken, 'balanceOf', [addressOf(trader)])).toBe(expectedOut);

    const swapLogs = await client.getLogs({
      address: pair,
      event: getAbiItem({ abi: uniswap.UniswapV2Pair.abi, name: 'Swap' }) as SwapEvent,
      fromBlock: added.blockNumber,
      toBlock: swapped.blockNumber,
    });
    expect(swapLogs.map((log) => log.transactionHash)).toEqual([swapped.transactionHash]);
  });

  it('QuestBoard awards quest points once per quest and check-ins once per day', async () => {
    const [owner, user] = [wallets[0]!, wallets[1]!];
    const board = await deploy(owner, sim.QuestBoard, [addressOf(owner)]);
    await write(owner, board, sim.QuestBoard, 'addQuest', [100n]);
    await write(owner, board, sim.QuestBoard, 'addQuest', [250n]);
    expect(await read(board, sim.QuestBoard, 'questCount')).toBe(2n);
    await expect(write(user, board, sim.QuestBoard, 'addQuest', [1n])).rejects.toThrow(
      /OwnableUnauthorizedAccount/,
    );

    const completed = await write(user, board, sim.QuestBoard, 'completeQuest', [1n]);
    expect(eventsOf(completed, sim.QuestBoard)).toEqual([
      [board.toLowerCase(), 'QuestCompleted', { user: addressOf(user), questId: 1n, points: 250n }],
    ]);
    expect(await read(board, sim.QuestBoard, 'points', [addressOf(user)])).toBe(250n);
    expect(await read(board, sim.QuestBoard, 'completed', [addressOf(user), 1n])).toBe(true);
    expect(await read(board, sim.QuestBoard, 'completed', [addressOf(user), 0n])).toBe(false);
    await expect(write(user, board, sim.QuestBoard, 'completeQuest', [1n])).rejects.toThrow(
      /AlreadyCompleted/,
    );
    await expect(write(user, board, sim.QuestBoard, 'completeQuest', [2n])).rejects.toThrow(/UnknownQuest/);

    const checkedIn = await write(user, board, sim.QuestBoard, 'checkIn');
    const { timestamp } = await client.getBlock({ blockNumber: checkedIn.blockNumber });
    expect(eventsOf(checkedIn, sim.QuestBoard)).toEqual([
      [board.toLowerCase(), 'CheckedIn', { user: addressOf(user), day: timestamp / 86_400n }],
    ]);
    await expect(write(user, board, sim.QuestBoard, 'checkIn')).rejects.toThrow(/AlreadyCheckedIn/);
    await devnet.provider.request({ method: 'evm_increaseTime', params: [86_400] });
    await write(user, board, sim.QuestBoard, 'checkIn');
    expect(await read(board, sim.QuestBoard, 'points', [addressOf(user)])).toBe(252n);
  });

  it('MerkleClaim pays StandardMerkleTree proofs once and refuses wrong amounts', async () => {
    const [owner, alice, bob, carol] = [wallets[0]!, wallets[2]!, wallets[3]!, wallets[4]!];
    const allocations: [Address, bigint][] = [
      [addressOf(alice), 100n * 10n ** 18n],
      [addressOf(bob), 250n * 10n ** 18n],
      ['0x000000000000000000000000000000000000dEaD', 1n],
    ];
    const tree = StandardMerkleTree.of(
      allocations.map(([account, amount]) => [account, amount.toString()]),
      ['address', 'uint256'],
    );
    const token = await deployToken(owner, 'AIR', 18);
    const claim = await deploy(owner, sim.MerkleClaim, [token, tree.root]);
    expect(await read(claim, sim.MerkleClaim, 'merkleRoot')).toBe(tree.root);
    const total = allocations.reduce((sum, [, amount]) => sum + amount, 0n);
    await write(owner, token, sim.SimToken, 'mint', [claim, total]);

    const [aliceAmount, bobAmount] = [allocations[0]![1], allocations[1]![1]];
    const claimed = await write(alice, claim, sim.MerkleClaim, 'claim', [aliceAmount, tree.getProof(0)]);
    expect(eventsOf(claimed, sim.MerkleClaim)).toContainEqual([
      claim.toLowerCase(),
      'Claimed',
      { account: addressOf(alice), amount: aliceAmount },
    ]);
    expect(await read(token, sim.SimToken, 'balanceOf', [addressOf(alice)])).toBe(aliceAmount);
    expect(await read(claim, sim.MerkleClaim, 'claimed', [addressOf(alice)])).toBe(true);
    await expect(
      write(alice, claim, sim.MerkleClaim, 'claim', [aliceAmount, tree.getProof(0)]),
    ).rejects.toThrow(/AlreadyClaimed/);
    await expect(
      write(bob, claim, sim.MerkleClaim, 'claim', [bobAmount + 1n, tree.getProof(1)]),
    ).rejects.toThrow(/InvalidProof/);
    await expect(
      write(carol, claim, sim.MerkleClaim, 'claim', [bobAmount, tree.getProof(1)]),
    ).rejects.toThrow(/InvalidProof/);
    await write(bob, claim, sim.MerkleClaim, 'claim', [bobAmount, tree.getProof(1)]);
    expect(await read(token, sim.SimToken, 'balanceOf', [claim])).toBe(1n);
  });

  it('Drainer takes what the victim approved, only for its owner, and keeps bait ETH', async () => {
    const [owner, attacker, victim, collector] = [wallets[0]!, wallets[6]!, wallets[7]!, wallets[8]!];
    const token = await deployToken(owner, 'USDX', 6);
    const drainer = await deploy(attacker, sim.Drainer, [addressOf(attacker)]);
    await write(owner, token, sim.SimToken, 'mint', [addressOf(victim), 1_000n * 10n ** 6n]);

    await write(victim, token, sim.SimToken, 'approve', [drainer, 300n * 10n ** 6n]);
    await expect(
      write(victim, drainer, sim.Drainer, 'drain', [token, addressOf(victim), addressOf(victim)]),
    ).rejects.toThrow(/OwnableUnauthorizedAccount/);
    const partial = await write(attacker, drainer, sim.Drainer, 'drain', [
      ...[token, addressOf(victim), addressOf(collector)],
    ]);
    expect(eventsOf(partial, sim.Drainer)).toEqual([
      [drainer.toLowerCase(), 'Drained', { token, victim: addressOf(victim), amount: 300n * 10n ** 6n }],
    ]);

    await write(victim, token, sim.SimToken, 'approve', [drainer, maxUint256]);
    await write(attacker, drainer, sim.Drainer, 'drain', [token, addressOf(victim), addressOf(collector)]);
    expect(await read(token, sim.SimToken, 'balanceOf', [addressOf(victim)])).toBe(0n);
    expect(await read(token, sim.SimToken, 'balanceOf', [addressOf(collector)])).toBe(1_000n * 10n ** 6n);

    const bait = await write(victim, drainer, sim.Drainer, 'claimReward', [], parseEther('1.5'));
    expect(eventsOf(bait, sim.Drainer)).toEqual([
      [drainer.toLowerCase(), 'RewardClaimed', { user: addressOf(victim), value: parseEther('1.5') }],
    ]);
    expect(await client.getBalance({ address: drainer })).toBe(parseEther('1.5'));
    const before = await client.getBalance({ address: addressOf(collector) });
    await write(attacker, drainer, sim.Drainer, 'sweep', [addressOf(collector)]);
    expect(await client.getBalance({ address: addressOf(collector) })).toBe(before + parseEther('1.5'));
    expect(await client.getBalance({ address: drainer })).toBe(0n);
  });

  it('SimNft mints sequential ids for the full price and refuses underpayment', async () => {
    const [owner, buyer] = [wallets[0]!, wallets[5]!];
    const price = parseEther('0.05');
    const nft = await deploy(owner, sim.SimNft, ['Sim Apes', 'SAPE', price, addressOf(owner)]);
    await expect(write(buyer, nft, sim.SimNft, 'mint', [], price - 1n)).rejects.toThrow(
      /InsufficientPayment/,
    );
    const minted = await write(buyer, nft, sim.SimNft, 'mint', [], price);
    await write(buyer, nft, sim.SimNft, 'mint', [], price * 2n);
    expect(eventsOf(minted, sim.SimNft)).toEqual([
      [nft.toLowerCase(), 'Transfer', { from: zero, to: addressOf(buyer), tokenId: 1n }],
    ]);
    expect(await read(nft, sim.SimNft, 'ownerOf', [2n])).toBe(addressOf(buyer));
    expect(await read(nft, sim.SimNft, 'totalMinted')).toBe(2n);
    expect(await client.getBalance({ address: nft })).toBe(price * 3n);
    await expect(write(buyer, nft, sim.SimNft, 'withdraw', [addressOf(buyer)])).rejects.toThrow(
      /OwnableUnauthorizedAccount/,
    );
    await write(owner, nft, sim.SimNft, 'withdraw', [addressOf(wallets[9]!)]);
    expect(await client.getBalance({ address: nft })).toBe(0n);
  });
});

const zero: Hex = '0x0000000000000000000000000000000000000000';

type SwapEvent = Extract<
  ReturnType<typeof loadUniswapArtifacts>['UniswapV2Pair']['abi'][number],
  { type: 'event' }
>;

/** Integer square root (floor), as UniswapV2Pair's Math.sqrt computes it. */
function sqrt(value: bigint): bigint {
  if (value < 2n) return value;
  let x = value;
  let y = (x + 1n) / 2n;
  while (y < x) {
    x = y;
    y = (x + value / x) / 2n;
  }
  return x;
}
