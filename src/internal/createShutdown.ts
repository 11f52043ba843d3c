import type { Logger } from 'pino';

/** Closes registered resources once, in reverse order of registration, on demand or on SIGINT/SIGTERM. */
export interface Shutdown {
  /** Adds a resource; it is closed before everything registered earlier. Returns a function to unregister. */
  register(name: string, close: () => unknown): () => void;
  /** Closes every registered resource once, newest first; later calls wait for the same run. */
  close(): Promise<void>;
  /** True once `close` has started. */
  readonly closing: boolean;
  /** Closes everything on SIGINT/SIGTERM, then exits (130/143); a second signal exits at once. */
  installSignalHandlers(): () => void;
}

interface Entry {
  name: string;
  close: () => unknown;
}

/** Creates an empty shutdown registry. */
export function createShutdown(logger: Logger): Shutdown {
  const entries: Entry[] = [];
  let closing: Promise<void> | undefined;

  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const entry of entries.splice(0).reverse()) {
        try {
          await entry.close();
          logger.debug({ resource: entry.name }, 'closed');
        } catch (error) {
          logger.error({ err: error, resource: entry.name }, 'failed to close resource');
        }
      }
    })();
    return closing;
  };

  return {
    register(name, closeFn) {
      const entry = { name, close: closeFn };
      entries.push(entry);
      return () => {
        const index = entries.indexOf(entry);
        if (index >= 0) entries.splice(index, 1);
      };
    },
    close,
    get closing() {
      return closing !== undefined;
    },
    installSignalHandlers() {
      const onSignal = (signal: NodeJS.Signals) => {
        const code = signal === 'SIGINT' ? 130 : 143;
        if (closing) {
          logger.warn({ signal }, 'second signal: exiting without waiting');
          process.exit(code);
        }
        logger.info({ signal }, 'shutting down');
        void close().finally(() => process.exit(code));
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      return () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      };
    },
  };
}
