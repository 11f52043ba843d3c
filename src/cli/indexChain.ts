import { Command } from 'commander';
import { createRpcClient } from '../chain/rpc/createRpcClient.js';
import { NonRetryableError } from '../internal/errors.js';
import { runIndexer } from '../tasks/indexer/runIndexer.js';
import { openMigratedWarehouse } from '../warehouse/openMigratedWarehouse.js';
import { createProgressReporter } from './createProgressReporter.js';
import { parseWholeNumber } from './parseOptions.js';
import { runCommand } from './runCommand.js';

/** `chaingnn index`: backfill a block range from any EVM JSON-RPC into the warehouse, then optionally follow. */
export function indexCommand(): Command {
  return new Command('index')
    .description('index blocks, transactions, receipts, logs and decoded events into the warehouse')
    .option('--rpc <url>', 'JSON-RPC endpoint (default: RPC_URL)')
    .option('--from <n>', 'first block when there is no checkpoint yet', parseWholeNumber, 0)
    .option('--to <n>', 'last block (default: the head minus --confirmations)', parseWholeNumber)
    .option('--follow', 'after the backfill, keep following the head')
    .option('--confirmations <n>', 'stay this many blocks behind the head', parseWholeNumber, 0)
    .option('--concurrency <n>', 'batches fetched ahead while one is written', parseWholeNumber, 2)
    .option(
      '--logs-only',
      'fetch block headers and eth_getLogs (adaptive ranges) instead of transactions and receipts: far fewer calls',
    )
    .option('--batch <n>', 'blocks per batch (default 200, 1000 with --logs-only)', parseWholeNumber)
    .option(
      '--write-rows <n>',
      'rows gathered from consecutive batches before they are written (1 = every batch)',
      parseWholeNumber,
      50_000,
    )
    .option(
      '--max-reorg-depth <n>',
      'deepest reorg handled before stopping with an error',
      parseWholeNumber,
      128,
    )
    .option('--rps <n>', 'most requests per second to the node (0 = unlimited)', parseWholeNumber, 0)
    .action(
      (options: {
        rpc?: string;
        from: number;
        to?: number;
        follow?: boolean;
        confirmations: number;
        concurrency: number;
        logsOnly?: boolean;
        batch?: number;
        writeRows: number;
        maxReorgDepth: number;
        rps: number;
      }) =>
        runCommand(async (common) => {
          const url = options.rpc ?? common.config.rpcUrl;
          if (!url) {
            throw new NonRetryableError('No JSON-RPC endpoint to index', {
              code: 'RPC_URL_MISSING',
              details: 'Pass --rpc http://127.0.0.1:8545 or set RPC_URL.',
            });
          }
          const warehouse = await openMigratedWarehouse(common);
          const controller = new AbortController();
          const reporter = createProgressReporter(common.logger);
          const run = runIndexer({
            rpc: createRpcClient({ url, requestsPerSecond: options.rps, logger: common.logger }),
            warehouse,
            logger: common.logger,
            from: options.from,
            ...(options.to !== undefined ? { to: options.to } : {}),
            follow: options.follow ?? false,
            confirmations: options.confirmations,
            concurrency: options.concurrency,
            mode: options.logsOnly ? 'logs' : 'full',
            ...(options.batch !== undefined ? { batchBlocks: options.batch } : {}),
            minRowsPerWrite: options.writeRows,
            maxReorgDepth: options.maxReorgDepth,
            signal: controller.signal,
            onProgress: (p) => reporter.update(p),
          });
          // On SIGINT/SIGTERM: finish the batch being written, then close (the warehouse closes after this).
          common.shutdown.register('indexer', async () => {
            controller.abort();
            await run.catch(() => {});
          });
          const result = await run;
          reporter.done();
          process.stdout.write(
            `Indexed ${result.blocks} blocks (${result.transactions} transactions, ${result.logs} logs) up to block ${result.block} in ${result.seconds.toFixed(1)} s` +
              `${result.reorgs ? `; ${result.reorgs} reorg(s) handled` : ''}\n`,
          );
        }),
    );
}
