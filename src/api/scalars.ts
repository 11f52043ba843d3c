import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';

const addressPattern = /^0x[0-9a-fA-F]{40}$/;
const maxShown = 80;

/** A BAD_USER_INPUT error naming the scalar, the value received (shortened) and what was expected. */
function badInput(scalar: string, value: unknown, expected: string): GraphQLError {
  const shown = JSON.stringify(value) ?? String(value);
  const text = shown.length > maxShown ? `${shown.slice(0, maxShown)}…` : shown;
  return new GraphQLError(`Invalid ${scalar} ${text}: expected ${expected}`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

/** The value of a literal scalar node (strings and numbers; anything else is returned as its kind). */
function literalValue(node: ValueNode): unknown {
  if (node.kind === Kind.STRING || node.kind === Kind.ENUM) return node.value;
  if (node.kind === Kind.INT || node.kind === Kind.FLOAT) return Number(node.value);
  return `<${node.kind}>`;
}

function parseAddress(value: unknown): string {
  if (typeof value !== 'string' || !addressPattern.test(value)) {
    throw badInput('Address', value, '"0x" followed by 40 hex digits');
  }
  return value.toLowerCase();
}

function parseBigInt(value: unknown): bigint {
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  throw badInput('BigInt', value, 'an integer as a decimal string such as "1000000000000000000"');
}

function parseDateTime(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.floor(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return Math.floor(ms / 1000);
  }
  throw badInput('DateTime', value, 'an ISO 8601 time such as "2026-12-06T12:00:00Z", or unix seconds');
}

/** `Address`: `0x` and 40 hex digits, any case in, lower case out. */
export const addressScalar = new GraphQLScalarType<string, string>({
  name: 'Address',
  serialize: (value) => String(value).toLowerCase(),
  parseValue: parseAddress,
  parseLiteral: (node) => parseAddress(literalValue(node)),
});

/** `BigInt`: an integer of any size as a decimal string (numbers that are safe integers are accepted in). */
export const bigIntScalar = new GraphQLScalarType<bigint, string>({
  name: 'BigInt',
  serialize: (value) => String(value),
  parseValue: parseBigInt,
  parseLiteral: (node) => parseBigInt(literalValue(node)),
});

/** `DateTime`: ISO 8601 in UTC out; ISO 8601 or unix seconds in, parsed to unix seconds. */
export const dateTimeScalar = new GraphQLScalarType<number, string>({
  name: 'DateTime',
  serialize(value) {
    if (typeof value === 'string') return value;
    if (value instanceof Date) return value.toISOString();
    return new Date(Number(value) * 1000).toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral: (node) => parseDateTime(literalValue(node)),
});

/** `JSON`: any JSON value, passed through. */
export const jsonScalar = new GraphQLScalarType<unknown, unknown>({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral(node, variables) {
    return jsonLiteral(node, variables ?? undefined);
  },
});

function jsonLiteral(node: ValueNode, variables: Record<string, unknown> | undefined): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((value) => jsonLiteral(value, variables));
    case Kind.OBJECT:
      return Object.fromEntries(
        node.fields.map((field) => [field.name.value, jsonLiteral(field.value, variables)]),
      );
    case Kind.VARIABLE:
      return variables?.[node.name.value];
    default:
      return node.value;
  }
}
