import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The SDL directory: the API's contract. */
export const graphqlSchemaDir = fileURLToPath(new URL('../../schema/graphql/', import.meta.url));

/** Every `*.graphql` file of the SDL directory, in name order. */
export function loadTypeDefs(dir = graphqlSchemaDir): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => readFileSync(join(dir, name), 'utf8'));
}
