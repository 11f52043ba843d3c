/** Uniswap V2's output for an exact input, with the 0.3% fee (UniswapV2Library.getAmountOut). */
export function getAmountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  if (amountIn <= 0n || reserveIn <= 0n || reserveOut <= 0n) return 0n;
  const withFee = amountIn * 997n;
  return (withFee * reserveOut) / (reserveIn * 1000n + withFee);
}

/** The amount of B worth `amountA` at the pool's ratio (UniswapV2Library.quote). */
export function quote(amountA: bigint, reserveA: bigint, reserveB: bigint): bigint {
  return reserveA === 0n ? 0n : (amountA * reserveB) / reserveA;
}

/** Integer square root (Babylonian), as UniswapV2's Math.sqrt. */
export function sqrt(value: bigint): bigint {
  if (value < 4n) return value === 0n ? 0n : 1n;
  let z = value;
  let x = value / 2n + 1n;
  while (x < z) {
    z = x;
    x = (value / x + x) / 2n;
  }
  return z;
}

/** The pair's permanently locked liquidity on the first mint. */
export const minimumLiquidity = 1000n;

/** A pool as the simulator mirrors it: reserves and LP supply, in token0/token1 order. */
export interface PoolState {
  address: `0x${string}`;
  token0: `0x${string}`;
  token1: `0x${string}`;
  reserve0: bigint;
  reserve1: bigint;
  totalSupply: bigint;
}

/** Reserves of `pool` oriented as (tokenIn, tokenOut). */
export function reservesFor(pool: PoolState, tokenIn: string): [bigint, bigint] {
  return tokenIn.toLowerCase() === pool.token0.toLowerCase()
    ? [pool.reserve0, pool.reserve1]
    : [pool.reserve1, pool.reserve0];
}

/** Applies a swap of `amountIn` of `tokenIn` to the mirrored pool and returns the amount out. */
export function applySwap(pool: PoolState, tokenIn: string, amountIn: bigint): bigint {
  const [rIn, rOut] = reservesFor(pool, tokenIn);
  const out = getAmountOut(amountIn, rIn, rOut);
  if (tokenIn.toLowerCase() === pool.token0.toLowerCase()) {
    pool.reserve0 += amountIn;
    pool.reserve1 -= out;
  } else {
    pool.reserve1 += amountIn;
    pool.reserve0 -= out;
  }
  return out;
}

/**
 * What the router's addLiquidity would take and mint for the desired amounts (UniswapV2Router02._addLiquidity
 * and UniswapV2Pair.mint), without changing the pool. `liquidity <= 0` means the pair would revert.
 */
export function previewAddLiquidity(
  pool: PoolState,
  tokenA: string,
  desiredA: bigint,
  desiredB: bigint,
): { amountA: bigint; amountB: bigint; liquidity: bigint } {
  const [rA, rB] = reservesFor(pool, tokenA);
  let amountA = desiredA;
  let amountB = desiredB;
  if (rA !== 0n || rB !== 0n) {
    const optimalB = quote(desiredA, rA, rB);
    if (optimalB <= desiredB) amountB = optimalB;
    else amountA = quote(desiredB, rB, rA);
  }
  const liquidity =
    pool.totalSupply === 0n
      ? sqrt(amountA * amountB) - minimumLiquidity
      : bigMin((amountA * pool.totalSupply) / rA, (amountB * pool.totalSupply) / rB);
  return { amountA, amountB, liquidity };
}

/** Applies a previewed addLiquidity to the mirrored pool. */
export function applyAddLiquidity(
  pool: PoolState,
  tokenA: string,
  added: { amountA: bigint; amountB: bigint; liquidity: bigint },
): void {
  pool.totalSupply += pool.totalSupply === 0n ? added.liquidity + minimumLiquidity : added.liquidity;
  if (tokenA.toLowerCase() === pool.token0.toLowerCase()) {
    pool.reserve0 += added.amountA;
    pool.reserve1 += added.amountB;
  } else {
    pool.reserve1 += added.amountA;
    pool.reserve0 += added.amountB;
  }
}

/** What burning `liquidity` LP tokens pays out (UniswapV2Pair.burn); a zero amount means the pair would revert. */
export function previewRemoveLiquidity(
  pool: PoolState,
  liquidity: bigint,
): { amount0: bigint; amount1: bigint } {
  if (pool.totalSupply === 0n) return { amount0: 0n, amount1: 0n };
  return {
    amount0: (liquidity * pool.reserve0) / pool.totalSupply,
    amount1: (liquidity * pool.reserve1) / pool.totalSupply,
  };
}

/** Applies a previewed removeLiquidity of `liquidity` LP tokens to the mirrored pool. */
export function applyRemoveLiquidity(
  pool: PoolState,
  liquidity: bigint,
  paid: { amount0: bigint; amount1: bigint },
): void {
  pool.totalSupply -= liquidity;
  pool.reserve0 -= paid.amount0;
  pool.reserve1 -= paid.amount1;
}

function bigMin(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
