import { createHash } from 'node:crypto';
import type { JobKind } from './jobPayloads.js';

/** JSON with object keys sorted at every level, so equal payloads give equal text whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The idempotency key of a job: its kind and a hash of its payload (defaults filled in, key order ignored). BullMQ
 * keeps one job per id, so enqueueing the same work twice is one job.
 */
export function toJobId(kind: JobKind, payload: unknown): string {
  return `${kind}-${createHash('sha256').update(canonicalJson(payload)).digest('hex').slice(0, 24)}`;
}
