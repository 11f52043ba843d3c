import { describe, expect, it } from 'vitest';
import {
  applyAddLiquidity,
  applyRemoveLiquidity,
  applySwap,
  getAmountOut,
  minimumLiquidity,
  type PoolState,
  previewAddLiquidity,
  previewRemoveLiquidity,
  sqrt,
} from './uniswapMath.js';

const e18 = 10n ** 18n;
const pool = (): PoolState => ({
  address: '0x01',
  token0: '0xaa',
  token1: '0xbb',
  reserve0: 0n,
  reserve1: 0n,
  totalSupply: 0n,
});

describe('uniswapMath (Uniswap V2 integer arithmetic)', () => {
  it('getAmountOut takes the 0.3% fee and rounds down, as the router does', () => {
    expect(getAmountOut(1_000n, 1_000_000n, 1_000_000n)).toBe(996n);
    expect(getAmountOut(e18, 100n * e18, 200n * e18)).toBe(1_974_316_068_794_122_597n);
    expect(getAmountOut(1n, 10n ** 30n, 1n)).toBe(0n);
  });

  it('sqrt is the integer square root', () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 15n, 16n, 17n, 10n ** 36n, 10n ** 36n - 1n]) {
      const r = sqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
    }
  });

  it('the first deposit mints sqrt(a·b) − 1000 and locks 1000', () => {
    const p = pool();
    const added = previewAddLiquidity(p, '0xaa', 4n * e18, e18);
    expect(added).toEqual({ amountA: 4n * e18, amountB: e18, liquidity: 2n * e18 - minimumLiquidity });
    applyAddLiquidity(p, '0xaa', added);
    expect(p).toMatchObject({ reserve0: 4n * e18, reserve1: e18, totalSupply: 2n * e18 });
  });

  it('later deposits take the pool ratio and refund the rest; burns pay out pro rata', () => {
    const p = pool();
    applyAddLiquidity(p, '0xaa', previewAddLiquidity(p, '0xaa', 4n * e18, e18));
    const added = previewAddLiquidity(p, '0xbb', e18, 10n * e18); // B is 0xbb: optimal A is 4 per B
    expect(added).toEqual({ amountA: e18, amountB: 4n * e18, liquidity: 2n * e18 });
    applyAddLiquidity(p, '0xbb', added);
    const paid = previewRemoveLiquidity(p, 2n * e18);
    expect(paid).toEqual({ amount0: 4n * e18, amount1: e18 });
    applyRemoveLiquidity(p, 2n * e18, paid);
    expect(p).toMatchObject({ reserve0: 4n * e18, reserve1: e18, totalSupply: 2n * e18 });
  });

  it('a swap keeps x·y at least constant and moves the reserves by what it pays', () => {
    const p = pool();
    applyAddLiquidity(p, '0xaa', previewAddLiquidity(p, '0xaa', 100n * e18, 200n * e18));
    const k = p.reserve0 * p.reserve1;
    const out = applySwap(p, '0xaa', e18);
    expect(out).toBe(getAmountOut(e18, 100n * e18, 200n * e18));
    expect(p.reserve0).toBe(101n * e18);
    expect(p.reserve1).toBe(200n * e18 - out);
    expect(p.reserve0 * p.reserve1 >= k).toBe(true);
  });
});
