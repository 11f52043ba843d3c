import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NonRetryableError, RetryableError } from '../internal/errors.js';

/** Raised when another process holds the embedded warehouse's data directory. */
export class WarehouseLockedError extends RetryableError {
  override name = 'WarehouseLockedError';
}

/** Raised when this process already has a different embedded data directory open. */
export class WarehouseInUseError extends NonRetryableError {
  override name = 'WarehouseInUseError';
}

/** The process that holds an embedded warehouse directory, as its engine status file records it. */
export interface LockHolder {
  pid: number;
  startedAt: string | undefined;
}

/** Reads `<path>/status` (written by the ClickHouse engine while it holds the directory). */
export function readLockHolder(path: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(join(path, 'status'), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(/^PID:\s*(\d+)/m.exec(text)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, startedAt: /^Started at:\s*(.+)$/m.exec(text)?.[1]?.trim() };
}

/** True when a process with this PID exists (it may belong to another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The error for a directory held by `holder` (or by an unknown process when the status file is gone). */
export function lockedError(
  path: string,
  holder: LockHolder | undefined,
  cause?: unknown,
): WarehouseLockedError {
  const who = holder
    ? `process ${holder.pid}${holder.startedAt ? ` (started at ${holder.startedAt})` : ''}`
    : 'another process';
  return new WarehouseLockedError(`The embedded warehouse at ${path} is held by ${who}`, {
    code: 'WAREHOUSE_LOCKED',
    cause,
    details: [
      'In embedded mode only one process may open the warehouse at a time.',
      'Wait for that process to finish or stop it, point CHAINGNN_DATA_DIR at another directory,',
      'or use a ClickHouse server (set CLICKHOUSE_URL) so that many processes can share one warehouse.',
    ].join('\n'),
  });
}
