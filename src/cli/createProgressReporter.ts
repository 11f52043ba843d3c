import type { Logger } from 'pino';
import type { IndexerProgress } from '../tasks/indexer/runIndexer.js';

/** Reports indexing progress: a redrawn bar on a terminal, a structured log line every 2 s otherwise. */
export function createProgressReporter(logger: Logger, stream: NodeJS.WriteStream = process.stderr) {
  let lastLine = -Infinity;
  const tty = Boolean(stream.isTTY);
  return {
    /** Called after every batch. */
    update(p: IndexerProgress): void {
      const now = performance.now();
      if (now - lastLine < (tty ? 100 : 2_000) && p.block < p.target) return;
      lastLine = now;
      const blocksPerSecond = p.seconds > 0 ? p.blocks / p.seconds : 0;
      const logsPerSecond = p.seconds > 0 ? p.logs / p.seconds : 0;
      const lag = Math.max(0, p.target - p.block);
      const eta = blocksPerSecond > 0 ? lag / blocksPerSecond : 0;
      if (!tty) {
        logger.info(
          {
            block: p.block,
            target: p.target,
            blocksPerSecond: Math.round(blocksPerSecond),
            logsPerSecond: Math.round(logsPerSecond),
            lag,
            eta: Math.round(eta),
          },
          'indexing',
        );
        return;
      }
      const share = p.target > 0 ? Math.min(1, p.block / p.target) : 1;
      const width = 24;
      const bar = '█'.repeat(Math.round(share * width)).padEnd(width, '░');
      stream.write(
        `\r${bar} block ${p.block}/${p.target} · ${Math.round(blocksPerSecond)} blocks/s · ${Math.round(logsPerSecond)} logs/s · ETA ${Math.round(eta)} s · lag ${lag}\u001b[K`,
      );
    },
    /** Ends the bar's line. */
    done(): void {
      if (tty) stream.write('\n');
    },
  };
}
