import {
  type Abi,
  type Address,
  encodeDeployData,
  encodeFunctionData,
  encodePacked,
  getContractAddress,
  getCreate2Address,
  type Hex,
  keccak256,
  type LocalAccount,
} from 'viem';
import type { CompiledContract } from '../devnet/compileContracts.js';
import type { TxRequest } from './createChainWriter.js';
import { maxFeePerGas } from './createChainWriter.js';
import {
  applyAddLiquidity,
  applyRemoveLiquidity,
  applySwap,
  getAmountOut,
  type PoolState,
  previewAddLiquidity,
  previewRemoveLiquidity,
  reservesFor,
} from './uniswapMath.js';

/** The planted truth about an address. */
export type SimLabel =
  | 'sybil'
  | 'phishing'
  | 'drainer'
  | 'launderer'
  | 'poisoner'
  | 'rug'
  | 'whale'
  | 'organic'
  | 'exchange'
  | 'deployer'
  /** A contract of the world's own protocols: WETH, the Uniswap factory, router and pairs, the tokens, the NFT, the quest board. */
  | 'protocol';

/** An account the simulator controls, with its planted label. */
export interface Actor {
  account: LocalAccount;
  address: Address;
  label: SimLabel;
  clusterId: string;
}

/** One row of the ground truth. */
export interface LabelRecord {
  address: Address;
  label: SimLabel;
  clusterId: string;
  /** Whether the address is a contract (drainer, rug token, protocol) rather than an account. */
  isContract: boolean;
}

/** The bytecode and ABIs the world is made of. */
export interface SimArtifacts {
  WETH9: CompiledContract;
  UniswapV2Factory: CompiledContract;
  UniswapV2Router02: CompiledContract;
  UniswapV2Pair: CompiledContract;
  SimToken: CompiledContract;
  SimNft: CompiledContract;
  QuestBoard: CompiledContract;
  MerkleClaim: CompiledContract;
  Drainer: CompiledContract;
}

/** Gas limits per action: generous caps (unused gas is not charged), so no action runs out of gas. */
export const gasLimits = {
  ethTransfer: 21_000n,
  tokenTransfer: 80_000n,
  approve: 60_000n,
  swap: 220_000n,
  swapTwoHops: 320_000n,
  addLiquidity: 260_000n,
  addLiquidityNewPair: 3_600_000n,
  removeLiquidity: 260_000n,
  nftMint: 140_000n,
  quest: 90_000n,
  drain: 120_000n,
  bait: 60_000n,
  call: 150_000n,
  deploy: 6_000_000n,
} as const;

const maxUint256 = 2n ** 256n - 1n;
const deadline = 2n ** 40n;
const poolKey = (a: string, b: string) =>
  (a.toLowerCase() < b.toLowerCase() ? `${a}:${b}` : `${b}:${a}`).toLowerCase();

/**
 * The simulated world as the simulator sees it: contracts, actors and labels, and a mirror of the state
 * that decides what is possible (ETH and token balances, approvals, pool reserves, LP shares). Every action
 * method returns the transactions to send (empty when the actor cannot afford it) and updates the mirror as
 * the chain will. ETH is debited at the fee cap, so the mirror never overestimates a balance.
 */
export class SimWorld {
  readonly labels = new Map<Address, LabelRecord>();
  private readonly actors = new Map<Address, Actor>();
  private readonly eth = new Map<Address, bigint>();
  /** ETH received in the block being built: nodes check a transaction's upfront cost against the last
   *  mined state, so it becomes spendable only in the next block (see `settle`). */
  private readonly incoming = new Map<Address, bigint>();
  readonly pools = new Map<string, PoolState>();
  readonly tokenSymbols = new Map<Address, string>();
  private readonly tokens = new Map<string, bigint>();
  private readonly approvals = new Set<string>();
  private readonly lp = new Map<string, bigint>();
  private readonly nonces = new Map<Address, number>();
  /** The last token transfer each address made: whom it paid, in which token (address poisoners copy it). */
  readonly lastTransfer = new Map<Address, { token: Address; to: Address }>();
  readonly questsDone = new Set<string>();
  readonly lastCheckIn = new Map<Address, number>();
  weth: Address = '0x0000000000000000000000000000000000000000';
  factory: Address = '0x0000000000000000000000000000000000000000';
  router: Address = '0x0000000000000000000000000000000000000000';
  nft: Address = '0x0000000000000000000000000000000000000000';
  nftPrice = 0n;
  questBoard: Address = '0x0000000000000000000000000000000000000000';
  questIds: number[] = [];
  skipped = 0;

  constructor(readonly artifacts: SimArtifacts) {}

  /** Records the planted label of an address (a later, more specific label wins). */
  label(address: Address, label: SimLabel, clusterId = '', isContract = false): void {
    this.labels.set(address, { address, label, clusterId, isContract });
  }

  /**
   * Labels the contracts of the world's own protocols `protocol` (WETH, the factory, the router, every pair, every
   * token, the NFT, the quest board), each unless a planted label names it already (a rug pull's token stays `rug`).
   * They are the benign contracts a risk model must tell from the drainers and rug tokens.
   */
  labelProtocolContracts(): void {
    const contracts = [
      this.weth,
      this.factory,
      this.router,
      this.nft,
      this.questBoard,
      ...this.tokenSymbols.keys(),
      ...[...this.pools.values()].map((pool) => pool.address),
    ];
    for (const address of contracts) {
      if (!this.labels.has(address)) this.label(address, 'protocol', '', true);
    }
  }

  /** Registers an account with its label and starting ETH. */
  addActor(account: LocalAccount, label: SimLabel, clusterId = '', eth = 0n): Actor {
    this.label(account.address, label, clusterId);
    this.eth.set(account.address, (this.eth.get(account.address) ?? 0n) + eth);
    const actor: Actor = { account, address: account.address, label, clusterId };
    this.actors.set(account.address, actor);
    return actor;
  }

  /** The actor that controls `address` (every address the simulator signs for is registered). */
  actor(address: Address): Actor {
    const actor = this.actors.get(address);
    if (!actor) throw new Error(`no simulated actor controls ${address}`);
    return actor;
  }

  /** ETH `address` can spend in the block being built (what it had when the last block was mined, less what
   *  it has committed since). */
  ethOf(address: Address): bigint {
    return this.eth.get(address) ?? 0n;
  }

  /** Adds ETH that arrives with a transaction of the block being built. */
  creditEth(address: Address, amount: bigint): void {
    this.incoming.set(address, (this.incoming.get(address) ?? 0n) + amount);
  }

  /** Takes `amount` from the spendable ETH of `address` (a contract paying out, for instance). */
  debitEth(address: Address, amount: bigint): void {
    this.eth.set(address, this.ethOf(address) - amount);
  }

  /** Called once a block is mined: ETH received in it becomes spendable. */
  settle(): void {
    for (const [address, amount] of this.incoming) this.eth.set(address, this.ethOf(address) + amount);
    this.incoming.clear();
  }

  tokenOf(token: Address, holder: Address): bigint {
    return this.tokens.get(`${token}:${holder}`) ?? 0n;
  }

  lpOf(pool: PoolState, holder: Address): bigint {
    return this.lp.get(`${pool.address}:${holder}`) ?? 0n;
  }

  /** The pool of two tokens, if it exists. */
  pool(tokenA: Address, tokenB: Address): PoolState | undefined {
    return this.pools.get(poolKey(tokenA, tokenB));
  }

  /** Price of `token` in ETH from its WETH pool (ETH per token unit), or 0 without a pool. */
  priceInEth(token: Address): number {
    const pool = this.pool(token, this.weth);
    if (!pool) return 0;
    const [rToken, rWeth] = reservesFor(pool, token);
    return rToken === 0n ? 0 : Number(rWeth) / Number(rToken);
  }

  /** Tokens with a WETH pool. */
  tradableTokens(): Address[] {
    return [...this.tokenSymbols.keys()].filter((token) => this.pool(token, this.weth));
  }

  /** Deploys a contract: the transaction and the address it will have. */
  deploy(
    from: Actor,
    contract: CompiledContract,
    args: readonly unknown[] = [],
  ): { tx: TxRequest; address: Address } {
    const nonce = this.nonces.get(from.address) ?? 0;
    const data = encodeDeployData({ abi: contract.abi, bytecode: contract.bytecode, args });
    const tx = this.tx(from, null, gasLimits.deploy, data);
    return { tx: tx!, address: getContractAddress({ from: from.address, nonce: BigInt(nonce) }) };
  }

  /** A contract call from `from` (debits the fee cap and `value`); undefined when it cannot pay. */
  call(
    from: Actor,
    to: Address,
    abi: Abi,
    functionName: string,
    args: readonly unknown[],
    gas: bigint,
    value = 0n,
  ) {
    return this.tx(from, to, gas, encodeFunctionData({ abi, functionName, args }), value);
  }

  transferEth(from: Actor, to: Address, amount: bigint): TxRequest[] {
    const tx = this.tx(from, to, gasLimits.ethTransfer, undefined, amount);
    if (!tx) return [];
    this.creditEth(to, amount);
    return [tx];
  }

  /** The most ETH `from` can send in one plain transfer. */
  spendableEth(from: Address): bigint {
    const left = this.ethOf(from) - gasLimits.ethTransfer * maxFeePerGas;
    return left > 0n ? left : 0n;
  }

  mintToken(owner: Actor, token: Address, to: Address, amount: bigint): TxRequest[] {
    const tx = this.call(
      owner,
      token,
      this.artifacts.SimToken.abi,
      'mint',
      [to, amount],
      gasLimits.tokenTransfer,
    );
    if (!tx) return [];
    this.credit(token, to, amount);
    return [tx];
  }

  transferToken(from: Actor, token: Address, to: Address, amount: bigint): TxRequest[] {
    if (amount <= 0n || this.tokenOf(token, from.address) < amount) return this.skip();
    const tx = this.call(
      from,
      token,
      this.artifacts.SimToken.abi,
      'transfer',
      [to, amount],
      gasLimits.tokenTransfer,
    );
    if (!tx) return [];
    this.credit(token, from.address, -amount);
    this.credit(token, to, amount);
    return [tx];
  }

  /** Remembers that `from` paid `to` in `token` (what an address poisoner watches for). */
  recordTransfer(from: Address, token: Address, to: Address): void {
    this.lastTransfer.set(from, { token, to });
  }

  /** `approve(spender, max)` once per (owner, token, spender). */
  approve(from: Actor, token: Address, spender: Address): TxRequest[] {
    const key = `${token}:${from.address}:${spender}`;
    if (this.approvals.has(key)) return [];
    const tx = this.call(
      from,
      token,
      this.artifacts.SimToken.abi,
      'approve',
      [spender, maxUint256],
      gasLimits.approve,
    );
    if (!tx) return [];
    this.approvals.add(key);
    return [tx];
  }

  isApproved(token: Address, owner: Address, spender: Address): boolean {
    return this.approvals.has(`${token}:${owner}:${spender}`);
  }

  /** Buys `token` with `ethIn` ETH through the router. */
  buyToken(actor: Actor, token: Address, ethIn: bigint, to: Address = actor.address): TxRequest[] {
    const pool = this.pool(token, this.weth);
    // A swap whose output rounds to zero reverts on chain (INSUFFICIENT_OUTPUT_AMOUNT): not attempted.
    if (!pool || this.quoteSwap(this.weth, token, ethIn) === 0n) return this.skip();
    const path = [this.weth, token];
    const tx = this.call(
      actor,
      this.router,
      this.artifacts.UniswapV2Router02.abi,
      'swapExactETHForTokens',
      [0n, path, to, deadline],
      gasLimits.swap,
      ethIn,
    );
    if (!tx) return [];
    this.credit(token, to, applySwap(pool, this.weth, ethIn));
    return [tx];
  }

  /** Sells `amountIn` of `token` for ETH through the router (approving the router first if needed). */
  sellToken(actor: Actor, token: Address, amountIn: bigint): TxRequest[] {
    const pool = this.pool(token, this.weth);
    if (
      !pool ||
      this.tokenOf(token, actor.address) < amountIn ||
      this.quoteSwap(token, this.weth, amountIn) === 0n
    ) {
      return this.skip();
    }
    const approval = this.approve(actor, token, this.router);
    const path = [token, this.weth];
    const tx = this.call(
      actor,
      this.router,
      this.artifacts.UniswapV2Router02.abi,
      'swapExactTokensForETH',
      [amountIn, 0n, path, actor.address, deadline],
      gasLimits.swap,
    );
    if (!tx) return approval;
    this.credit(token, actor.address, -amountIn);
    this.creditEth(actor.address, applySwap(pool, token, amountIn));
    return [...approval, tx];
  }

  /** Swaps `amountIn` of `tokenIn` for `tokenOut`: directly when a pool exists, else through WETH. */
  swapTokens(actor: Actor, tokenIn: Address, tokenOut: Address, amountIn: bigint): TxRequest[] {
    if (amountIn <= 0n || this.tokenOf(tokenIn, actor.address) < amountIn) return this.skip();
    const direct = this.pool(tokenIn, tokenOut);
    const hops = direct ? [direct] : [this.pool(tokenIn, this.weth), this.pool(this.weth, tokenOut)];
    if (hops.some((p) => !p)) return this.skip();
    const path = direct ? [tokenIn, tokenOut] : [tokenIn, this.weth, tokenOut];
    const firstOut = this.quoteSwap(path[0]!, path[1]!, amountIn);
    if (firstOut === 0n || (!direct && this.quoteSwap(path[1]!, path[2]!, firstOut) === 0n))
      return this.skip();
    const approval = this.approve(actor, tokenIn, this.router);
    const gas = direct ? gasLimits.swap : gasLimits.swapTwoHops;
    const tx = this.call(
      actor,
      this.router,
      this.artifacts.UniswapV2Router02.abi,
      'swapExactTokensForTokens',
      [amountIn, 0n, path, actor.address, deadline],
      gas,
    );
    if (!tx) return approval;
    let amount = amountIn;
    for (const [i, pool] of hops.entries()) amount = applySwap(pool!, path[i]!, amount);
    this.credit(tokenIn, actor.address, -amountIn);
    this.credit(tokenOut, actor.address, amount);
    return [...approval, tx];
  }

  /** Adds `tokenAmount` of `token` and up to `ethAmount` ETH to the token's WETH pool (creating it if new). */
  addLiquidityEth(actor: Actor, token: Address, tokenAmount: bigint, ethAmount: bigint): TxRequest[] {
    if (tokenAmount <= 0n || this.tokenOf(token, actor.address) < tokenAmount) return this.skip();
    const existing = this.pool(token, this.weth);
    const pool = existing ?? this.newPool(token, this.weth);
    const added = previewAddLiquidity(pool, token, tokenAmount, ethAmount);
    if (added.liquidity <= 0n) {
      if (!existing) this.pools.delete(poolKey(token, this.weth));
      return this.skip();
    }
    const approval = this.approve(actor, token, this.router);
    const gas = existing ? gasLimits.addLiquidity : gasLimits.addLiquidityNewPair;
    const tx = this.call(
      actor,
      this.router,
      this.artifacts.UniswapV2Router02.abi,
      'addLiquidityETH',
      [token, tokenAmount, 0n, 0n, actor.address, deadline],
      gas,
      ethAmount,
    );
    if (!tx) {
      if (!existing) this.pools.delete(poolKey(token, this.weth));
      return approval;
    }
    applyAddLiquidity(pool, token, added);
    this.credit(token, actor.address, -added.amountA);
    this.creditEth(actor.address, ethAmount - added.amountB);
    this.lp.set(`${pool.address}:${actor.address}`, this.lpOf(pool, actor.address) + added.liquidity);
    return [...approval, tx];
  }

  /** Adds liquidity to a token/token pool (creating it if new). */
  addLiquidityTokens(
    actor: Actor,
    tokenA: Address,
    tokenB: Address,
    amountA: bigint,
    amountB: bigint,
  ): TxRequest[] {
    if (this.tokenOf(tokenA, actor.address) < amountA || this.tokenOf(tokenB, actor.address) < amountB)
      return this.skip();
    const existing = this.pool(tokenA, tokenB);
    const pool = existing ?? this.newPool(tokenA, tokenB);
    const added = previewAddLiquidity(pool, tokenA, amountA, amountB);
    if (added.liquidity <= 0n) {
      if (!existing) this.pools.delete(poolKey(tokenA, tokenB));
      return this.skip();
    }
    const approvals = [
      ...this.approve(actor, tokenA, this.router),
      ...this.approve(actor, tokenB, this.router),
    ];
    const gas = existing ? gasLimits.addLiquidity : gasLimits.addLiquidityNewPair;
    const tx = this.call(
      actor,
      this.router,
      this.artifacts.UniswapV2Router02.abi,
      'addLiquidity',
      [tokenA, tokenB, amountA, amountB, 0n, 0n, actor.address, deadline],
      gas,
    );
    if (!tx) {
      if (!existing) this.pools.delete(poolKey(tokenA, tokenB));
      return approvals;
    }
    applyAddLiquidity(pool, tokenA, added);
    this.credit(tokenA, actor.address, -added.amountA);
    this.credit(tokenB, actor.address, -added.amountB);
    this.lp.set(`${pool.address}:${actor.address}`, this.lpOf(pool, actor.address) + added.liquidity);
    return [...approvals, tx];
  }

  /** Removes `liquidity` LP tokens from the token's WETH pool, taking token and ETH back. */
  removeLiquidityEth(actor: Actor, token: Address, liquidity: bigint): TxRequest[] {
    const pool = this.pool(token, this.weth);
    if (!pool || liquidity <= 0n || this.lpOf(pool, actor.address) < liquidity) return this.skip();
    const paid = previewRemoveLiquidity(pool, liquidity);
    if (paid.amount0 === 0n || paid.amount1 === 0n) return this.skip();
    const approval = this.approve(actor, pool.address, this.router);
    const tx = this.call(
      actor,
      this.router,
      this.artifacts.UniswapV2Router02.abi,
      'removeLiquidityETH',
      [token, liquidity, 0n, 0n, actor.address, deadline],
      gasLimits.removeLiquidity,
    );
    if (!tx) return approval;
    applyRemoveLiquidity(pool, liquidity, paid);
    const { amount0, amount1 } = paid;
    const [tokenOut, ethOut] =
      pool.token0.toLowerCase() === token.toLowerCase() ? [amount0, amount1] : [amount1, amount0];
    this.lp.set(`${pool.address}:${actor.address}`, this.lpOf(pool, actor.address) - liquidity);
    this.credit(token, actor.address, tokenOut);
    this.creditEth(actor.address, ethOut);
    return [...approval, tx];
  }

  mintNft(actor: Actor): TxRequest[] {
    const tx = this.call(
      actor,
      this.nft,
      this.artifacts.SimNft.abi,
      'mint',
      [],
      gasLimits.nftMint,
      this.nftPrice,
    );
    return tx ? [tx] : [];
  }

  /** Completes a quest once per actor (a second attempt would revert, so it is skipped). */
  completeQuest(actor: Actor, questId: number): TxRequest[] {
    const key = `${actor.address}:${questId}`;
    if (this.questsDone.has(key)) return this.skip();
    const tx = this.call(
      actor,
      this.questBoard,
      this.artifacts.QuestBoard.abi,
      'completeQuest',
      [BigInt(questId)],
      gasLimits.quest,
    );
    if (!tx) return [];
    this.questsDone.add(key);
    return [tx];
  }

  /** Daily check-in on the quest board (skipped within a day of the last one). */
  checkIn(actor: Actor, timestamp: number): TxRequest[] {
    const last = this.lastCheckIn.get(actor.address);
    if (last !== undefined && timestamp - last < 86_400) return this.skip();
    const tx = this.call(
      actor,
      this.questBoard,
      this.artifacts.QuestBoard.abi,
      'checkIn',
      [],
      gasLimits.quest,
    );
    if (!tx) return [];
    this.lastCheckIn.set(actor.address, timestamp);
    return [tx];
  }

  /** Moves a token balance in the mirror (mints, drains and other transfers the mirror cannot see itself). */
  credit(token: Address, holder: Address, amount: bigint): void {
    this.tokens.set(`${token}:${holder}`, this.tokenOf(token, holder) + amount);
  }

  /** Expected output of selling `amountIn` of `tokenIn` in the pool with `tokenOut` (no state change). */
  quoteSwap(tokenIn: Address, tokenOut: Address, amountIn: bigint): bigint {
    const pool = this.pool(tokenIn, tokenOut);
    if (!pool) return 0n;
    const [rIn, rOut] = reservesFor(pool, tokenIn);
    return getAmountOut(amountIn, rIn, rOut);
  }

  /** Nonce the next transaction of `address` will carry. */
  nonceOf(address: Address): number {
    return this.nonces.get(address) ?? 0;
  }

  private newPool(tokenA: Address, tokenB: Address): PoolState {
    const [token0, token1] =
      tokenA.toLowerCase() < tokenB.toLowerCase() ? [tokenA, tokenB] : [tokenB, tokenA];
    const address = getCreate2Address({
      from: this.factory,
      salt: keccak256(encodePacked(['address', 'address'], [token0, token1])),
      bytecodeHash: keccak256(this.artifacts.UniswapV2Pair.bytecode),
    });
    const pool: PoolState = { address, token0, token1, reserve0: 0n, reserve1: 0n, totalSupply: 0n };
    this.pools.set(poolKey(tokenA, tokenB), pool);
    return pool;
  }

  private tx(from: Actor, to: Address | null, gas: bigint, data?: Hex, value = 0n): TxRequest | undefined {
    const cost = gas * maxFeePerGas + value;
    const balance = this.ethOf(from.address);
    if (balance < cost) {
      this.skipped += 1;
      return undefined;
    }
    this.eth.set(from.address, balance - cost);
    const nonce = this.nonceOf(from.address);
    this.nonces.set(from.address, nonce + 1);
    return { from: from.account, nonce, to, gas, value, ...(data ? { data } : {}) };
  }

  private skip(): TxRequest[] {
    this.skipped += 1;
    return [];
  }
}
