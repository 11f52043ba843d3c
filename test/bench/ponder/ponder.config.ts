import { createConfig } from 'ponder';
import { erc20Abi, uniswapV2PairAbi } from './abis/events';
import { readBenchWorld } from './benchWorld';

const world = readBenchWorld();

export default createConfig({
  database: { kind: 'pglite', directory: world.databaseDir },
  chains: {
    devnet: {
      id: world.chainId,
      rpc: Array.from({ length: world.rpcEndpoints }, () => world.rpcUrl),
      // Each run starts from an empty database, so the RPC cache could never be read: skip writing it.
      disableCache: true,
    },
  },
  contracts: {
    Token: {
      abi: erc20Abi,
      chain: 'devnet',
      address: world.tokens,
      startBlock: 0,
      endBlock: world.endBlock,
    },
    Pair: {
      abi: uniswapV2PairAbi,
      chain: 'devnet',
      address: world.pools,
      startBlock: 0,
      endBlock: world.endBlock,
    },
  },
});
