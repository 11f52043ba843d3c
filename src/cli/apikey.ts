import { Command, Option } from 'commander';
import { type ApiKeyRole, apiKeyRoles } from '../api/auth/apiKeyRoles.js';
import { createApiKey } from '../api/auth/createApiKey.js';
import { parseApiKey } from '../api/auth/parseApiKey.js';
import { revokeApiKey } from '../api/auth/revokeApiKey.js';
import { formatTable } from '../utils/formatTable.js';
import { getApiKeys } from '../warehouse/getApiKeys.js';
import { insertApiKey } from '../warehouse/insertApiKey.js';
import { openMigratedWarehouse } from '../warehouse/openMigratedWarehouse.js';
import { runCommand } from './runCommand.js';

/** `chaingnn apikey create|list|revoke`: the API keys of the GraphQL API (stored hashed, shown once). */
export function apikeyCommand(): Command {
  const apikey = new Command('apikey').description(
    'API keys for the GraphQL API: create (shown once, stored hashed), list, revoke',
  );
  apikey
    .command('create')
    .description('create an API key and print it once')
    .addOption(
      new Option('--role <role>', 'reader: read results; admin: also change things')
        .choices(apiKeyRoles)
        .makeOptionMandatory(),
    )
    .option('--name <name>', 'what the key is for, shown by `apikey list`', '')
    .option('--json', 'print the key and its id as JSON')
    .action((options: { role: ApiKeyRole; name: string; json?: boolean }) =>
      runCommand(async (common) => {
        const warehouse = await openMigratedWarehouse(common);
        const { key, row } = createApiKey(options.role, options.name);
        await insertApiKey(warehouse, row);
        const createdAt = new Date(row.created_at).toISOString();
        if (options.json) {
          const created = { keyId: row.key_id, name: row.name, role: row.role, createdAt, key };
          process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          [
            `Created ${row.role} API key ${row.key_id}${row.name ? ` (${row.name})` : ''}:`,
            '',
            `  ${key}`,
            '',
            'Keep it now: it is stored hashed and cannot be shown again.',
            'Send it with every request as the header `Authorization: Bearer <key>` (or `x-api-key: <key>`).',
            '',
          ].join('\n'),
        );
      }),
    );
  apikey
    .command('list')
    .description('list the API keys: id, name, role, created, revoked (never the key or its hash)')
    .option('--json', 'print the keys as JSON')
    .action((options: { json?: boolean }) =>
      runCommand(async (common) => {
        const warehouse = await openMigratedWarehouse(common);
        const keys = (await getApiKeys(warehouse)).map((row) => ({
          keyId: row.key_id,
          name: row.name,
          role: row.role,
          createdAt: new Date(row.created_at).toISOString(),
          revoked: row.is_revoked === 1,
          revokedAt: row.is_revoked === 1 ? new Date(row.updated_at).toISOString() : null,
        }));
        if (options.json) {
          process.stdout.write(`${JSON.stringify(keys, null, 2)}\n`);
          return;
        }
        if (keys.length === 0) {
          process.stdout.write('No API keys yet: create one with `chaingnn apikey create --role reader`.\n');
          return;
        }
        process.stdout.write(
          `${formatTable(
            [{ name: 'id' }, { name: 'name' }, { name: 'role' }, { name: 'created' }, { name: 'revoked' }],
            keys.map((k) => [k.keyId, k.name, k.role, k.createdAt, k.revokedAt ?? 'no']),
          )}\n`,
        );
      }),
    );
  apikey
    .command('revoke')
    .description('revoke an API key: requests with it are refused')
    .argument('<keyId>', 'the id of the key (`apikey list` shows them), or the whole key')
    .action((keyId: string) =>
      runCommand(async (common) => {
        const warehouse = await openMigratedWarehouse(common);
        const { row, alreadyRevoked } = await revokeApiKey(warehouse, parseApiKey(keyId)?.keyId ?? keyId);
        const what = `${row.role} API key ${row.key_id}${row.name ? ` (${row.name})` : ''}`;
        process.stdout.write(
          alreadyRevoked
            ? `${what} was already revoked at ${new Date(row.updated_at).toISOString()}.\n`
            : `Revoked ${what}. A running API server refuses it once its key cache expires (10 s by default).\n`,
        );
      }),
    );
  return apikey;
}
