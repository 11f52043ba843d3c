/** Unix milliseconds as an ISO 8601 string. */
export function fromMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/** Unix seconds as an ISO 8601 string. */
export function fromSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}
