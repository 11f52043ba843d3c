import { readFileSync } from 'node:fs';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createApiSchema } from './createApiSchema.js';

describe('the API schema', () => {
  it('prints as the snapshot: a change to the contract is a reviewed change to this file', async () => {
    await expect(printSchema(createApiSchema())).toMatchFileSnapshot('./__snapshots__/schema.graphql');
  });

  it('has resolver types generated from the current SDL (npm run codegen)', async () => {
    const { config } = await loadCodegenConfig({ configFilePath: 'schema/graphql/codegen.yml' });
    const [output] = await generate({ ...config, silent: true }, false);
    const written = readFileSync(output!.filename, 'utf8');
    expect(written.trim(), 'src/api/generated is stale: run npm run codegen').toBe(output!.content.trim());
  });

  it('marks every mutation and the job list as admin-only', () => {
    const schema = createApiSchema();
    const mutations = Object.values(schema.getMutationType()!.getFields());
    const adminOnly = mutations.filter((field) =>
      field.astNode?.directives?.some((d) => d.name.value === 'requiresRole'),
    );
    expect(adminOnly).toHaveLength(mutations.length);
    expect(
      schema
        .getQueryType()!
        .getFields()
        .jobs!.astNode!.directives!.map((d) => d.name.value),
    ).toEqual(['requiresRole']);
  });
});
