/** `url` without the user and password it may carry: what messages and logs show of an endpoint. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}
