import { type LevelWithSilent, type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

/** Options for {@link createLogger}. */
export interface CreateLoggerOptions {
  level: LevelWithSilent;
  /** Human-readable output; defaults to true when stderr is a terminal, JSON lines otherwise. */
  pretty?: boolean;
  /** Where log lines go (default: stderr, so that stdout stays clean for query results). */
  destination?: NodeJS.WritableStream;
}

export type { Logger };

/** A pino logger: pretty on a TTY, JSON lines otherwise, always on stderr unless told otherwise. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const destination = options.destination ?? process.stderr;
  const usePretty = options.pretty ?? Boolean((destination as { isTTY?: boolean }).isTTY);
  const stream = usePretty
    ? pretty({ destination, colorize: true, sync: true, ignore: 'pid,hostname' })
    : destination;
  return pino({ level: options.level, base: { pid: process.pid } }, stream);
}
