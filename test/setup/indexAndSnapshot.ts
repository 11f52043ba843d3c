import type { Logger } from 'pino';
import { createRpcClient } from '../../src/chain/rpc/createRpcClient.js';
import { buildSnapshot } from '../../src/tasks/graphs/buildSnapshot.js';
import { runIndexer } from '../../src/tasks/indexer/runIndexer.js';
import type { Warehouse } from '../../src/warehouse/createWarehouse.js';

/** Indexes a simulated world from its node into `warehouse`, then builds the graph snapshot of its last block. */
export async function indexAndSnapshot(options: {
  rpcUrl: string;
  world: { lastBlock: number; chainId: number };
  warehouse: Warehouse;
  dataDir: string;
  logger: Logger;
}): ReturnType<typeof buildSnapshot> {
  const { warehouse, logger } = options;
  await runIndexer({
    rpc: createRpcClient({ url: options.rpcUrl }),
    warehouse,
    logger,
    to: options.world.lastBlock,
  });
  return buildSnapshot({ warehouse, logger, dataDir: options.dataDir, chainId: options.world.chainId });
}
