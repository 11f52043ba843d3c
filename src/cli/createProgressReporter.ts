import type { Logger } from 'pino';
import type { IndexerProgress } from '../tasks/indexer/runIndexer.js';

/** One progress report: how far (0..1), a log message with its fields, and the text after the terminal's bar. */
export interface ProgressLine {
  share: number;
  message: string;
  fields: Record<string, unknown>;
  text: string;
}

/** Reports progress: a redrawn bar on a terminal (at most every 100 ms), a structured log line every 2 s otherwise. */
export function createProgressReporter(logger: Logger, stream: NodeJS.WriteStream = process.stderr) {
  let lastLine = -Infinity;
  const tty = Boolean(stream.isTTY);
  /** Reports `describe()` unless the last report is too recent (a `final` one always goes out). */
  const report = (final: boolean, describe: () => ProgressLine): void => {
    const now = performance.now();
    if (now - lastLine < (tty ? 100 : 2_000) && !final) return;
    lastLine = now;
    const line = describe();
    if (!tty) {
      logger.info(line.fields, line.message);
      return;
    }
    const width = 24;
    const bar = '█'.repeat(Math.round(Math.min(1, line.share) * width)).padEnd(width, '░');
    stream.write(`\r${bar} ${line.text}\u001b[K`);
  };
  return {
    report,
    /** Called after every indexed batch. */
    update(p: IndexerProgress): void {
      report(p.block >= p.target, () => {
        const blocksPerSecond = p.seconds > 0 ? p.blocks / p.seconds : 0;
        const logsPerSecond = p.seconds > 0 ? p.logs / p.seconds : 0;
        const lag = Math.max(0, p.target - p.block);
        const eta = blocksPerSecond > 0 ? lag / blocksPerSecond : 0;
        return {
          share: p.target > 0 ? p.block / p.target : 1,
          message: 'indexing',
          fields: {
            block: p.block,
            target: p.target,
            blocksPerSecond: Math.round(blocksPerSecond),
            logsPerSecond: Math.round(logsPerSecond),
            lag,
            eta: Math.round(eta),
          },
          text: `block ${p.block}/${p.target} · ${Math.round(blocksPerSecond)} blocks/s · ${Math.round(logsPerSecond)} logs/s · ETA ${Math.round(eta)} s · lag ${lag}`,
        };
      });
    },
    /** Ends the bar's line. */
    done(): void {
      if (tty) stream.write('\n');
    },
  };
}
