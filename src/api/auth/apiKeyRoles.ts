/** The roles an API key can have: `reader` reads results; `admin` may also change things (jobs, keys). */
export const apiKeyRoles = ['reader', 'admin'] as const;

/** One of {@link apiKeyRoles}. */
export type ApiKeyRole = (typeof apiKeyRoles)[number];

/** True when `value` names one of {@link apiKeyRoles}. */
export function isApiKeyRole(value: unknown): value is ApiKeyRole {
  return (apiKeyRoles as readonly unknown[]).includes(value);
}
