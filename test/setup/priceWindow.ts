import type { PriceWindow } from '../../src/warehouse/getPriceWindows.js';

/** A window's flow columns, all zero. */
export const emptyPriceFlows = {
  swaps: 0,
  buys: 0,
  sells: 0,
  buyVolume: 0,
  sellVolume: 0,
  netBuyFlow: 0,
  traders: 0,
  newTraderShare: 0,
  liquidityAdded: 0,
  liquidityRemoved: 0,
};

/** A window of `token` starting at `windowStart`: close 1, return 0, reserve 10, no flow, unless given. */
export function priceWindow(
  token: string,
  windowStart: number,
  fields: Partial<PriceWindow> = {},
): PriceWindow {
  return {
    token,
    pool: `pool-${token}`,
    windowStart,
    close: 1,
    logReturn: 0,
    ...emptyPriceFlows,
    quoteReserve: 10,
    ...fields,
  };
}
