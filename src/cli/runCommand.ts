import { ClickHouseError } from '@clickhouse/client';
import { type Common, createCommon } from '../internal/createCommon.js';
import { BaseError } from '../internal/errors.js';

/**
 * Runs a CLI action with a fresh `Common` (config, logger, shutdown), closes every resource afterwards
 * (or on SIGINT/SIGTERM), and turns errors into a short message on stderr and a non-zero exit code.
 */
export async function runCommand(action: (common: Common) => Promise<void>): Promise<void> {
  let common: Common | undefined;
  try {
    common = await createCommon();
    common.shutdown.installSignalHandlers();
    await action(common);
  } catch (error) {
    process.stderr.write(`${describeError(error)}\n`);
    common?.logger.debug({ err: error }, 'command failed');
    process.exitCode = 1;
  } finally {
    await common?.shutdown.close();
  }
}

/** The text the CLI prints for an error: the short message, then the details when there are any. */
export function describeError(error: unknown): string {
  if (error instanceof BaseError) {
    return `error: ${error.shortMessage}${error.details ? `\n${error.details}` : ''}`;
  }
  if (error instanceof ClickHouseError)
    return `error: ClickHouse ${error.type ?? error.code}: ${error.message}`;
  return `error: ${error instanceof Error ? error.message : String(error)}`;
}
