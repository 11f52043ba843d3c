import type { Config } from '../config/configSchema.js';
import { type LoadConfigOptions, loadConfig } from '../config/loadConfig.js';
import { createLogger, type Logger } from './createLogger.js';
import { createShutdown, type Shutdown } from './createShutdown.js';

/** What every factory receives: the validated config, a logger and the shutdown registry. */
export interface Common {
  config: Config;
  logger: Logger;
  shutdown: Shutdown;
}

/** Options for {@link createCommon}: how to load the config, and an optional logger to use instead. */
export interface CreateCommonOptions extends LoadConfigOptions {
  logger?: Logger;
}

/** Loads the config and builds the logger and shutdown registry that factories share. */
export async function createCommon(options: CreateCommonOptions = {}): Promise<Common> {
  const config = await loadConfig(options);
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  return { config, logger, shutdown: createShutdown(logger) };
}
