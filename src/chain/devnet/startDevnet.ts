import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import type { Logger } from 'pino';
import type { Hex } from 'viem';
import { NonRetryableError } from '../../internal/errors.js';
import { devMnemonicKeys } from './devMnemonicKeys.js';

// Hardhat 2 (EDR) has no public API for an in-process JSON-RPC server; these two internal modules are
// what `hardhat node` itself uses. The hardhat version is pinned exactly in package.json for that reason.
const require = createRequire(import.meta.url);
const { createHardhatNetworkProvider } = require('hardhat/internal/hardhat-network/provider/provider') as {
  createHardhatNetworkProvider: (config: object, logger: { enabled: boolean }) => Promise<Eip1193Provider>;
};
const { JsonRpcServer } = require('hardhat/internal/hardhat-network/jsonrpc/server') as {
  JsonRpcServer: new (config: {
    hostname: string;
    port: number;
    provider: Eip1193Provider;
  }) => {
    listen(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
  };
};

/** The EIP-1193 provider of the in-process node. */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

/** Options for {@link startDevnet}. */
export interface StartDevnetOptions {
  /** TCP port on 127.0.0.1 (default 0: a free port chosen by the OS). */
  port?: number;
  hostname?: string;
  chainId?: number;
  /** Genesis time; fixed by default so that the same transactions give the same block hashes. */
  genesisTime?: Date;
  /** How many of the dev mnemonic's accounts are funded at genesis, and with how much ether each. */
  fundedAccounts?: number;
  fundedBalanceEther?: bigint;
  /** Mine a block for every transaction (default true); the simulator turns it off and mines itself. */
  automine?: boolean;
  blockGasLimit?: number;
  logger?: Logger;
}

/** A running local EVM node. */
export interface Devnet {
  /** HTTP JSON-RPC endpoint, e.g. `http://127.0.0.1:54321`. */
  url: string;
  port: number;
  chainId: number;
  /** The provider itself, for in-process callers that want to skip HTTP. */
  provider: Eip1193Provider;
  /** The funded genesis accounts' private keys, in mnemonic order. */
  fundedKeys: Hex[];
  /** Stops the server and releases the port. */
  stop(): Promise<void>;
}

async function assertPortFree(hostname: string, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (cause) =>
      reject(
        new NonRetryableError(`Cannot start the devnet on ${hostname}:${port}`, {
          code: 'DEVNET_PORT',
          cause,
          details: `${cause.message}\nChoose another port (--port N), or 0 for any free port.`,
        }),
      ),
    );
    probe.listen(port, hostname, () => probe.close(() => resolve()));
  });
}

/** The default genesis time: the same for every run, so block hashes are reproducible. */
export const defaultGenesisTime = new Date('2024-01-01T00:00:00Z');

/**
 * Starts a real EVM node (Hardhat 2's EDR) in this process, serving JSON-RPC over HTTP and WebSocket on
 * 127.0.0.1. It supports the hardhat/anvil test methods: evm_snapshot/evm_revert, evm_setAutomine,
 * evm_mine (with a timestamp), hardhat_mine, evm_setNextBlockTimestamp.
 */
export async function startDevnet(options: StartDevnetOptions = {}): Promise<Devnet> {
  const chainId = options.chainId ?? 31337;
  const fundedAccounts = options.fundedAccounts ?? 10;
  const balance = (options.fundedBalanceEther ?? 1_000_000n) * 10n ** 18n;
  const fundedKeys = devMnemonicKeys(fundedAccounts);
  const provider = await createHardhatNetworkProvider(
    {
      hardfork: 'cancun',
      chainId,
      networkId: chainId,
      blockGasLimit: options.blockGasLimit ?? 60_000_000,
      minGasPrice: 0n,
      automine: options.automine ?? true,
      intervalMining: 0,
      mempoolOrder: 'fifo',
      chains: new Map(),
      genesisAccounts: fundedKeys.map((privateKey) => ({ privateKey, balance: balance.toString() })),
      allowUnlimitedContractSize: false,
      throwOnTransactionFailures: false,
      throwOnCallFailures: false,
      allowBlocksWithSameTimestamp: false,
      initialBaseFeePerGas: 1_000_000_000,
      initialDate: options.genesisTime ?? defaultGenesisTime,
      coinbase: '0xc014ba5ec014ba5ec014ba5ec014ba5ec014ba5e',
      enableTransientStorage: true,
      enableRip7212: false,
    },
    { enabled: false },
  );
  const hostname = options.hostname ?? '127.0.0.1';
  // Hardhat's server never settles listen() when the port is taken, so check the port first.
  if (options.port) await assertPortFree(hostname, options.port);
  const server = new JsonRpcServer({ hostname, port: options.port ?? 0, provider });
  const { port } = await server.listen();
  const url = `http://${hostname}:${port}`;
  options.logger?.info({ url, chainId }, 'devnet listening');
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    chainId,
    provider,
    fundedKeys,
    stop: () => {
      stopped ??= server.close();
      return stopped;
    },
  };
}
