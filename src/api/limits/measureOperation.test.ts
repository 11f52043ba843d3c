import {
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { createApiSchema } from '../createApiSchema.js';
import { measureOperation, type OperationLimits } from './measureOperation.js';

const schema = createApiSchema();
const limits: OperationLimits = { maxDepth: 10, maxComplexity: 10_000, maxPageSize: 100, maxBatchSize: 1000 };
const address = `"0x${'12'.repeat(20)}"`;

/** Measures the first operation of `source` with its fragments. */
function measure(
  source: string,
  variables: Record<string, unknown> = {},
  over: Partial<OperationLimits> = {},
) {
  const document = parse(source);
  const operation = document.definitions.find(
    (d) => d.kind === Kind.OPERATION_DEFINITION,
  ) as OperationDefinitionNode;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return measureOperation(schema, operation, fragments, variables, { ...limits, ...over });
}

describe('measureOperation', () => {
  it('counts depth and cost, multiplying a selection by its page size or batch size', () => {
    expect(measure(`{ address(address: ${address}) { risk { score } } }`)).toEqual({
      depth: 3,
      complexity: 102,
    });
    // address (1) + counterparties (1) + 20 × (edges (1) + node (1) + address (1)): the page counts once.
    expect(
      measure(`{ address(address: ${address}) { counterparties { edges { node { address } } } } }`),
    ).toEqual({
      depth: 5,
      complexity: 100 + 1 + 20 * 3,
    });
    const batch = Array.from({ length: 7 }, () => `0x${'12'.repeat(20)}`);
    expect(
      measure('query ($a: [Address!]!) { riskScores(addresses: $a) { address } }', { a: batch }).complexity,
    ).toBe(100 + 7);
  });

  it('follows fragments and ignores introspection', () => {
    const viaFragment = measure(
      `{ address(address: ${address}) { ...Risky } } fragment Risky on AddressProfile { risk { score } }`,
    );
    expect(viaFragment).toEqual({ depth: 3, complexity: 102 });
    expect(
      measure('{ __schema { types { name fields { name type { ofType { ofType { name } } } } } } }'),
    ).toEqual({
      depth: 0,
      complexity: 0,
    });
  });

  it('refuses deep, costly, oversized and negative requests with codes', () => {
    const codeOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(GraphQLError);
        return (error as GraphQLError).extensions.code;
      }
      throw new Error('expected a refusal');
    };
    expect(
      codeOf(() => measure(`{ address(address: ${address}) { risk { score } } }`, {}, { maxDepth: 2 })),
    ).toBe('DEPTH_LIMIT_EXCEEDED');
    expect(
      codeOf(() =>
        measure(
          `{ address(address: ${address}) { counterparties(first: 100) { edges { node { address } } } } }`,
          {},
          {
            maxComplexity: 100,
          },
        ),
      ),
    ).toBe('COMPLEXITY_LIMIT_EXCEEDED');
    expect(codeOf(() => measure('{ riskiest(first: 101) { edges { cursor } } }'))).toBe('PAGE_SIZE_EXCEEDED');
    // A variable's default counts like a value sent: it cannot smuggle a page or a batch past the limits.
    expect(codeOf(() => measure('query ($n: Int = 1000) { riskiest(first: $n) { edges { cursor } } }'))).toBe(
      'PAGE_SIZE_EXCEEDED',
    );
    const aliases = Array.from({ length: 101 }, (_, i) => `a${i}: indexerStatus { lag }`).join(' ');
    expect(codeOf(() => measure(`{ ${aliases} }`))).toBe('COMPLEXITY_LIMIT_EXCEEDED');
    expect(codeOf(() => measure('{ riskiest(first: -1) { edges { cursor } } }'))).toBe('BAD_USER_INPUT');
    const batch = Array.from({ length: 3 }, () => `0x${'12'.repeat(20)}`);
    expect(
      codeOf(() =>
        measure(
          'query ($a: [Address!]!) { riskScores(addresses: $a) { address } }',
          { a: batch },
          { maxBatchSize: 2 },
        ),
      ),
    ).toBe('BATCH_SIZE_EXCEEDED');
  });
});
