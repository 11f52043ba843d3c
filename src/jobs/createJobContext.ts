import type { Common } from '../internal/createCommon.js';
import type { Warehouse } from '../warehouse/createWarehouse.js';
import { openMigratedWarehouse } from '../warehouse/openMigratedWarehouse.js';
import type { JobContext } from './jobProcessors.js';

/**
 * A job context for this process: the warehouse opened (and migrated) once, on the first job that needs it, and
 * closed with the process's shutdown (or one the caller opened); progress goes to `progress`.
 */
export function createJobContext(
  common: Common,
  options: { progress?: JobContext['progress']; warehouse?: Warehouse } = {},
): JobContext & { withProgress(progress: JobContext['progress']): JobContext } {
  const { progress = () => {} } = options;
  let opening: Promise<Warehouse> | undefined = options.warehouse && Promise.resolve(options.warehouse);
  const warehouse = () => {
    opening ??= openMigratedWarehouse(common);
    return opening;
  };
  return { common, warehouse, progress, withProgress: (sink) => ({ common, warehouse, progress: sink }) };
}
