import { toAddress } from '../../utils/toAddress.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { getPriceTraderFlows, type PriceTraderFlow } from '../../warehouse/getPriceTraderFlows.js';
import { getPriceWindows, type PriceWindow, type PriceWindowQuery } from '../../warehouse/getPriceWindows.js';

/** The raw market a price pipeline reads once: every token's windows and every trader's flows per window. */
export interface PriceMarket {
  windows: PriceWindow[];
  flows: PriceTraderFlow[];
}

/** Reads the tokens' windows and their traders' flows (only `tokens`, when given: checked addresses, any case). */
export async function loadPriceMarket(
  warehouse: Warehouse,
  query: PriceWindowQuery,
  tokens?: readonly string[],
): Promise<PriceMarket> {
  const wanted = tokens && new Set(tokens.map((token) => toAddress(token)));
  const keep = (row: { token: string }) => !wanted || wanted.has(row.token);
  return {
    windows: (await getPriceWindows(warehouse, query)).filter(keep),
    flows: (await getPriceTraderFlows(warehouse, query)).filter(keep),
  };
}
