import { ApolloServer } from '@apollo/server';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, GraphQLScalarType, Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createDocumentStore } from './createDocumentStore.js';
import { createShapeValidation, shapeOf } from './createShapeValidation.js';

/** A scalar that checks its literals, as `Address` does: a string starting with 0x. */
const hex = new GraphQLScalarType({
  name: 'Hex',
  parseValue: (value) => check(value),
  parseLiteral: (ast) => check(ast.kind === Kind.STRING ? ast.value : undefined),
  serialize: (value) => value,
});

function check(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('0x'))
    throw new GraphQLError(`Not a hex string: ${String(value)}`);
  return value;
}

const schema = makeExecutableSchema({
  typeDefs: `
    scalar Hex
    input Span { from: Int!, to: Hex }
    type Query {
      echo(value: Hex!, times: Int = 1): String!
      pair(a: String!): String!
      other: Int!
      joined(values: [Hex!]!, span: Span): String!
    }
  `,
  resolvers: {
    Hex: hex,
    Query: {
      echo: (_: unknown, { value, times }: { value: string; times: number }) => value.repeat(times),
      pair: (_: unknown, { a }: { a: string }) => a,
      other: () => 1,
      joined: (_: unknown, { values, span }: { values: string[]; span?: { from: number; to?: string } }) =>
        [...values, span?.from, span?.to].join(','),
    },
  },
});

/** A started server with or without the plugin, and how many times Apollo validated a document in full. */
async function startServer(withShapes: boolean, maxShapeBytes?: number) {
  const documentStore = createDocumentStore();
  let validations = 0;
  const server = new ApolloServer({
    schema,
    documentStore,
    plugins: [
      ...(withShapes ? [createShapeValidation(schema, documentStore, maxShapeBytes)] : []),
      {
        async requestDidStart() {
          return {
            async validationDidStart() {
              validations += 1;
            },
          };
        },
      },
    ],
  });
  await server.start();
  const run = async (query: string) => {
    const { body } = await server.executeOperation({ query });
    if (body.kind !== 'single') throw new Error('expected a single result');
    return { data: body.singleResult.data, errors: body.singleResult.errors?.map((error) => error.message) };
  };
  return { server, run, validations: () => validations };
}

describe('createShapeValidation', () => {
  it('checks a new text of a known shape by its literals only, and answers with its own values', async () => {
    const { server, run, validations } = await startServer(true);
    try {
      expect(await run('{ echo(value: "0x01") }')).toEqual({ data: { echo: '0x01' } });
      expect(validations()).toBe(1);
      // The same shape: a new string literal, another number, other spaces and a comment.
      expect(await run('{ echo(value:"0x02") }')).toEqual({ data: { echo: '0x02' } });
      expect(await run('{ echo( value: "0x03", times: 2 ) } # twice')).toEqual({
        data: { echo: '0x030x03' },
      });
      expect(validations()).toBe(2); // the last is a new shape (a second argument)
      expect(await run('{ echo(value: "0x04", times: 3) }')).toEqual({ data: { echo: '0x040x040x04' } });
      expect(validations()).toBe(2);
      // Another field: another shape, validated in full.
      expect(await run('{ other }')).toEqual({ data: { other: 1 } });
      expect(validations()).toBe(3);
    } finally {
      await server.stop();
    }
  });

  it('gives the errors Apollo gives without it, for bad literals, conflicting fields and bad syntax', async () => {
    const plain = await startServer(false);
    const shaped = await startServer(true);
    try {
      // Each shape first validated with good values, then sent with values that only the literal rules refuse.
      const cases = [
        ['{ echo(value: "0x01") }', '{ echo(value: "nope") }'],
        ['{ echo(value: "0x01", times: 2) }', '{ echo(value: "0x01", times: 2.5) }'],
        ['{ x: pair(a: "1") x: pair(a: "1") }', '{ x: pair(a: "1") x: pair(a: "2") }'],
        ['{ echo(value: "0x01") }', '{ echo(value: "0x01" }'],
        // An integer beyond 32 bits, a bad item of a list, a list given one value, input object fields, a
        // variable's default value.
        ['{ echo(value: "0x01", times: 2) }', '{ echo(value: "0x01", times: 99999999999) }'],
        ['{ joined(values: ["0x01", "0x02"]) }', '{ joined(values: ["0x01", "02"]) }'],
        ['{ joined(values: "0x01") }', '{ joined(values: "1") }'],
        [
          '{ joined(values: [], span: { from: 1, to: "0x09" }) }',
          '{ joined(values: [], span: { from: 1, to: "9" }) }',
        ],
        ['{ joined(values: [], span: { from: 1 }) }', '{ joined(values: [], span: { from: 1.5 }) }'],
        [
          'query($t: Int = 2) { echo(value: "0x01", times: $t) }',
          'query($t: Int = 99999999999) { echo(value: "0x01", times: $t) }',
        ],
        [
          '{ x: echo(value: "0x01") y: echo(value: "0x01") }',
          '{ x: echo(value: "0x01") y: echo(value: "x") }',
        ],
      ];
      for (const [good, bad] of cases) {
        expect(await shaped.run(good!)).toEqual(await plain.run(good!));
        const refused = await shaped.run(bad!);
        expect(refused.errors?.length, bad).toBeGreaterThan(0);
        expect(refused, bad).toEqual(await plain.run(bad!));
      }
      expect(await shaped.run('{ x: pair(a: "3") x: pair(a: "3") }')).toEqual({ data: { x: '3' } });
      expect(await shaped.run('{ joined(values: ["0x05", "0x06"]) }')).toEqual({
        data: { joined: '0x05,0x06,,' },
      });
      expect(await shaped.run('{ joined(values: [], span: { from: 7, to: "0x08" }) }')).toEqual({
        data: { joined: '7,0x08' },
      });
    } finally {
      await Promise.all([plain.server.stop(), shaped.server.stop()]);
    }
  });
  it('forgets the least recently validated shapes beyond its bytes', async () => {
    const echo = '{ echo(value: "0x01") }';
    const aliases = `{ ${Array.from({ length: 8 }, (_, i) => `a${i}: other`).join(' ')} }`;
    // Room for either shape, not both (each costs its length and 64 bytes).
    const bytes = (text: string) => shapeOf(parse(text))!.length + 64;
    const { server, run, validations } = await startServer(true, bytes(echo) + bytes(aliases) - 1);
    try {
      await run(echo);
      await run('{ echo(value: "0x02") }');
      expect(validations()).toBe(1);
      await run(aliases); // pushes the echo shape out
      await run('{ echo(value: "0x03") }');
      expect(validations()).toBe(3);
    } finally {
      await server.stop();
    }
  });
});

describe('shapeOf', () => {
  it('is the same for texts that differ only in literal values, spacing and comments, and differs otherwise', () => {
    const shape = (text: string) => shapeOf(parse(text));
    const base = shape('{ echo(value: "0x01", times: 2) }');
    expect(shape('{echo(value:"""0x02""",times:3)}')).not.toBe(base); // a block string is another kind
    expect(shape('{ echo(value: "0xff", times: 7) } # note')).toBe(base);
    expect(shape('{ echo(value: "0x01", times: 2.5) }')).not.toBe(base);
    expect(shape('{ echo(value: "0x01", count: 2) }')).not.toBe(base);
    expect(shape('{ echo(value: "0x01", times: 2) @skip(if: true) }')).not.toBe(base);
    expect(shape('{ echo(value: "0x01", times: 2) @skip(if: false) }')).not.toBe(
      shape('{ echo(value: "0x01", times: 2) @skip(if: true) }'),
    );
    expect(shapeOf(parse('{ a }', { noLocation: true }))).toBeUndefined();
  });
});
