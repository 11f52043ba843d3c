import { InvalidArgumentError } from 'commander';

/** Parses a whole number (0, 1, 2, …) option. */
export function parseWholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number');
  return n;
}

/** Parses a positive integer option (chain ids, counts). */
export function parsePositiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Parses a positive number option (days, rates). */
export function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

/** Parses a duration option: whole seconds, or a number with s, m, h or d (`90s`, `15m`, `1h`, `1d`). */
export function parseDurationSeconds(value: string): number {
  const match = /^(\d+)(s|m|h|d)?$/.exec(value.trim());
  const seconds = match
    ? Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] ?? 's']!
    : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new InvalidArgumentError('expected a duration such as 3600, 15m, 1h or 1d');
  }
  return seconds;
}

/** Parses a share option: a number strictly between 0 and 1. */
export function parseShare(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new InvalidArgumentError('expected a number strictly between 0 and 1');
  return n;
}

/** Parses a fraction option in [0, 1) (fees: 0.003 = 0.3%). */
export function parseFraction(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n < 1))
    throw new InvalidArgumentError('expected a fraction from 0 up to (not including) 1');
  return n;
}
