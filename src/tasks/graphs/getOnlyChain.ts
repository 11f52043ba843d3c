import { NonRetryableError } from '../../internal/errors.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { getIndexedChains } from '../../warehouse/snapshots/getSnapshots.js';

/** The one chain in the warehouse; an error naming them when there are several or none. */
export async function getOnlyChain(warehouse: Warehouse): Promise<number> {
  return onlyChainOf(await getIndexedChains(warehouse));
}

/** The one chain of the warehouse's indexed `chains`; an error naming them when there are several or none. */
export function onlyChainOf(chains: readonly number[]): number {
  if (chains.length === 1) return chains[0]!;
  throw new NonRetryableError(
    chains.length === 0 ? 'The warehouse has no blocks yet' : 'The warehouse holds several chains',
    {
      code: 'CHAIN_AMBIGUOUS',
      details:
        chains.length === 0
          ? 'Index a chain first (chaingnn index).'
          : `Pass --chain-id, one of ${chains.join(', ')}.`,
    },
  );
}
