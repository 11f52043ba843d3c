/** The parts of an API key `cgn_<keyId>_<secret>`. */
export interface ParsedApiKey {
  /** 12 lower-case hex characters. */
  keyId: string;
  /** 32 bytes as unpadded base64url (43 characters). */
  secret: string;
}

const apiKeyPattern = /^cgn_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** Splits an API key into its id and secret; undefined unless it is exactly `cgn_<12 hex>_<43 base64url>`. */
export function parseApiKey(text: string): ParsedApiKey | undefined {
  const match = apiKeyPattern.exec(text);
  if (!match) return undefined;
  const secret = match[2]!;
  // 43 characters carry 258 bits: the last one must leave the 2 bits past the 32 bytes at zero.
  if (Buffer.from(secret, 'base64url').toString('base64url') !== secret) return undefined;
  return { keyId: match[1]!, secret };
}
