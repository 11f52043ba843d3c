import type { ApiKeyRole } from './apiKeyRoles.js';

/** Who is calling the API: the API key a request authenticated with. */
export interface Principal {
  /** The key's public id (the `<keyId>` of `cgn_<keyId>_<secret>`). */
  keyId: string;
  /** The name its creator gave the key. */
  name: string;
  role: ApiKeyRole;
}
