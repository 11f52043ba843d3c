import type { LogRow } from '../../types/tableRows.js';
import { poolEventShapes } from './decodeLogs.js';

/** The distinct emitters of well-shaped V2/V3 Swap/Sync/Mint/Burn, lower-case, first seen first. */
export function findPoolAddresses(logs: readonly LogRow[]): string[] {
  const pools = new Set<string>();
  for (const log of logs) {
    const topic0 = log.topics[0]?.toLowerCase();
    const shape = topic0 === undefined ? undefined : poolEventShapes.get(topic0);
    if (shape === undefined || log.topics.length !== shape.topics) continue;
    if (log.data.length !== 2 + 64 * shape.words) continue;
    pools.add(log.address.toLowerCase());
  }
  return [...pools];
}
