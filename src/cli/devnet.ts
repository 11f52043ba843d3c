import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { formatLabelsCsv } from '../chain/simulator/formatLabelsCsv.js';
import type { Scale } from '../chain/simulator/scenarioParams.js';
import { NonRetryableError } from '../internal/errors.js';
import { toSimulationLabelRows } from '../tasks/labels/toSimulationLabelRows.js';
import { writeFileAtomic } from '../utils/writeFileAtomic.js';
import { insertRows } from '../warehouse/insertRows.js';
import { openMigratedWarehouse } from '../warehouse/openMigratedWarehouse.js';
import { parsePositiveInteger } from './parseOptions.js';
import { runCommand } from './runCommand.js';

/** `chaingnn devnet start|simulate`: a local EVM node, and a deterministic world with planted truth on it. */
export function devnetCommand(): Command {
  const devnet = new Command('devnet').description('a local EVM node and the on-chain world simulator');
  devnet
    .command('start')
    .description('run a local EVM JSON-RPC node (Hardhat EDR) in the foreground until Ctrl-C')
    .option('--port <n>', 'TCP port on 127.0.0.1 (0 = any free port)', parsePort, 8545)
    .option('--chain-id <n>', 'chain id', parsePositiveInteger, 31337)
    .action((options: { port: number; chainId: number }) =>
      runCommand(async (common) => {
        // Loaded on use, as in every command that needs a heavy module: the CLI starts in a fraction of a second.
        const { startDevnet } = await import('../chain/devnet/startDevnet.js');
        const node = await startDevnet({
          port: options.port,
          chainId: options.chainId,
          logger: common.logger,
        });
        common.shutdown.register('devnet', () => node.stop());
        process.stdout.write(`devnet listening on ${node.url} (chain ${node.chainId}); Ctrl-C to stop\n`);
        await new Promise<void>(() => {});
      }),
    );
  devnet
    .command('simulate')
    .description(
      'mine a deterministic scenario (users, sybil farms, scams, informed traders) into a fresh node',
    )
    .option('--rpc <url>', 'JSON-RPC endpoint of a fresh devnet (default: RPC_URL)')
    .option('--seed <n>', 'random seed: the same seed gives the same blocks', '1')
    .addOption(
      new Option('--scale <scale>', 'world size').choices(['small', 'medium', 'large']).default('small'),
    )
    .option('--labels <file>', 'write the planted ground truth as CSV (address,label,cluster_id,is_contract)')
    .option('--truth <file>', 'write the full ground truth as JSON (labels, contracts, tokens, fair values)')
    .option(
      '--insert-labels',
      'also insert the labels into the warehouse (address_labels, source "simulation")',
    )
    .action(
      (options: {
        rpc?: string;
        seed: string;
        scale: Scale;
        labels?: string;
        truth?: string;
        insertLabels?: boolean;
      }) =>
        runCommand(async (common) => {
          const rpcUrl = options.rpc ?? common.config.rpcUrl;
          if (!rpcUrl) {
            throw new NonRetryableError('No JSON-RPC endpoint to simulate on', {
              code: 'RPC_URL_MISSING',
              details:
                'Pass --rpc http://127.0.0.1:8545 (start one with `chaingnn devnet start`) or set RPC_URL.',
            });
          }
          const { simulate } = await import('../chain/simulator/simulate.js');
          let lastReport = 0;
          const result = await simulate({
            rpc: rpcUrl,
            seed: options.seed,
            scale: options.scale,
            logger: common.logger,
            onProgress: ({ block, lastBlock, transactions }) => {
              if (block - lastReport < lastBlock / 20 && block !== lastBlock) return;
              lastReport = block;
              process.stderr.write(`  block ${block}/${lastBlock} · ${transactions} transactions\n`);
            },
          });
          if (options.labels) writeFileAtomic(resolve(options.labels), formatLabelsCsv(result.labels));
          if (options.truth) writeFileAtomic(resolve(options.truth), `${JSON.stringify(result, null, 1)}\n`);
          if (options.insertLabels) {
            const warehouse = await openMigratedWarehouse(common);
            await insertRows(
              warehouse,
              'address_labels',
              toSimulationLabelRows(result.chainId, result.labels, Date.now()),
            );
          }
          const counts = new Map<string, number>();
          for (const l of result.labels) counts.set(l.label, (counts.get(l.label) ?? 0) + 1);
          process.stdout.write(
            `Simulated ${result.scale} world, seed ${result.seed}: ${result.transactions} transactions in ${result.lastBlock} blocks, ` +
              `${result.seconds.toFixed(1)} s (${Math.round(result.transactions / result.seconds)} tx/s), ${result.skippedActions} actions skipped\n` +
              `Planted: ${[...counts].map(([label, n]) => `${n} ${label}`).join(', ')}\n`,
          );
        }),
    );
  return devnet;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError('expected a TCP port from 0 to 65535');
  }
  return port;
}
