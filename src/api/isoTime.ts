// The last conversion is kept: the rows of one scoring (or run) share their time, and are converted by the thousand.
let lastMillis = Number.NaN;
let lastIso = '';

/** Unix milliseconds as an ISO 8601 string. */
export function fromMillis(ms: number): string {
  if (ms !== lastMillis) {
    lastIso = new Date(ms).toISOString();
    lastMillis = ms;
  }
  return lastIso;
}

/** Unix seconds as an ISO 8601 string. */
export function fromSeconds(seconds: number): string {
  return fromMillis(seconds * 1000);
}
