import { GraphQLError } from 'graphql';

/** An opaque page cursor for `value` (base64url JSON). */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The value inside a cursor `encodeCursor` made, checked by `isValid`; BAD_USER_INPUT naming `after` otherwise. */
export function decodeCursor<T>(cursor: string, isValid: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!isValid(value)) {
    throw new GraphQLError(
      `Invalid cursor "${cursor.slice(0, 80)}": expected an endCursor from the previous page`,
      {
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'after' },
      },
    );
  }
  return value;
}

/** True for a non-negative whole number (an offset cursor). */
export function isOffset(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** The page of `items` after the cursor offset `after` (first `first`), as a Relay connection. */
export function toOffsetConnection<T>(items: readonly T[], first: number, after: string | null | undefined) {
  const start = after ? decodeCursor(after, isOffset) + 1 : 0;
  const page = items.slice(start, start + first);
  const edges = page.map((node, i) => ({ cursor: encodeCursor(start + i), node }));
  return {
    edges,
    pageInfo: { hasNextPage: start + first < items.length, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: items.length,
  };
}
