import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { BaseError } from '../internal/errors.js';

/**
 * Gives every error an `extensions.code`: chaingnn errors keep their code and short message (with their details),
 * GraphQL errors keep theirs, and anything else is logged and, in production, shown only as "Internal server error".
 */
export function createErrorFormatter(logger: Logger, production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof BaseError) {
      return {
        ...formatted,
        message: original.shortMessage,
        extensions: {
          code: original.code,
          ...(original.details ? { details: original.details } : {}),
          ...(production ? {} : { stacktrace: formatted.extensions?.stacktrace }),
        },
      };
    }
    // A scalar's BAD_USER_INPUT raised while validating a literal keeps its code (Apollo reports validation).
    const inner = original instanceof GraphQLError ? original.originalError : undefined;
    if (inner instanceof GraphQLError && inner.extensions.code === 'BAD_USER_INPUT') {
      return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
    }
    const code = formatted.extensions?.code;
    if (original instanceof GraphQLError && typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') {
      return formatted;
    }
    // An error Apollo answers with a 4xx but no code (a persisted query whose hash does not match) is the caller's.
    const http =
      original instanceof GraphQLError ? (original.extensions.http as { status?: number }) : undefined;
    if (http?.status !== undefined && http.status >= 400 && http.status < 500) {
      return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } };
    }
    logger.error({ err: original, path: formatted.path }, 'GraphQL request failed');
    return production
      ? {
          message: 'Internal server error',
          ...(formatted.path ? { path: formatted.path } : {}),
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        }
      : { ...formatted, extensions: { ...formatted.extensions, code: 'INTERNAL_SERVER_ERROR' } };
  };
}
