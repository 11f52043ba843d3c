import { toAddress } from '../../utils/toAddress.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { getMostPairedToken } from '../../warehouse/getMostPairedToken.js';
import { getOnlyChain } from '../graphs/getOnlyChain.js';
import { loadPriceMarket, type PriceMarket } from './loadPriceMarket.js';

/** Which market a price command reads: chain and quote token (found when not given), window, tokens. */
export interface PriceScope {
  warehouse: Warehouse;
  /** Default: the only chain in the warehouse. */
  chainId?: number | undefined;
  /** Default: the token in the most Uniswap V2 pools (WETH on most chains). */
  quoteToken?: string | undefined;
  windowSeconds: number;
  /** Only these tokens (default all). */
  tokens?: readonly string[] | undefined;
}

/** The scope's chain and quote token, resolved, and its market read from the warehouse. */
export async function resolvePriceMarket(
  scope: PriceScope,
): Promise<{ chainId: number; quoteToken: string; market: PriceMarket }> {
  const { warehouse, windowSeconds } = scope;
  const chainId = scope.chainId ?? (await getOnlyChain(warehouse));
  const quoteToken = scope.quoteToken
    ? toAddress(scope.quoteToken)
    : await getMostPairedToken(warehouse, chainId);
  const market = await loadPriceMarket(warehouse, { chainId, quoteToken, windowSeconds }, scope.tokens);
  return { chainId, quoteToken, market };
}
