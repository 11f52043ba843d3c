import type { Common } from '../internal/createCommon.js';
import type { Warehouse } from '../warehouse/createWarehouse.js';
import { openMigratedWarehouse } from '../warehouse/openMigratedWarehouse.js';
import type { JobContext } from './jobProcessors.js';

/**
 * A job context for this process: the warehouse opened (and migrated) once, on the first job that needs it, and
 * closed with the process's shutdown; progress goes to `progress`.
 */
export function createJobContext(
  common: Common,
  progress: JobContext['progress'] = () => {},
): JobContext & { withProgress(progress: JobContext['progress']): JobContext } {
  let opening: Promise<Warehouse> | undefined;
  const warehouse = () => {
    opening ??= openMigratedWarehouse(common);
    return opening;
  };
  return { common, warehouse, progress, withProgress: (sink) => ({ common, warehouse, progress: sink }) };
}
