import type { Server } from 'node:http';
import {
  type ExecutionArgs,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  parse,
  validate,
} from 'graphql';
import { useServer as serveGraphqlWs } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Config } from '../config/configSchema.js';
import type { ApiContext } from './apiContext.js';
import type { Authenticator } from './auth/createAuthenticator.js';
import type { RateLimiter } from './auth/createRateLimiter.js';
import type { Principal } from './auth/Principal.js';
import { createApiLoaders } from './createApiLoaders.js';
import type { ApiServices } from './createApiServices.js';
import { measureOperation } from './limits/measureOperation.js';

/** What {@link createSubscriptionServer} serves subscriptions with. */
export interface SubscriptionServerOptions {
  server: Server;
  path: string;
  schema: GraphQLSchema;
  services: ApiServices;
  authenticator: Authenticator;
  rateLimiter: RateLimiter;
  limits: Config['api'];
}

/** The API key a graphql-ws client sends: `connectionParams.authorization` (`Bearer <key>`) or `apiKey`. */
function keyHeaders(params: Readonly<Record<string, unknown>> | undefined) {
  const authorization = params?.authorization ?? params?.Authorization;
  const apiKey = params?.apiKey ?? params?.['x-api-key'];
  return {
    ...(typeof authorization === 'string' ? { authorization } : {}),
    ...(typeof apiKey === 'string' ? { 'x-api-key': apiKey } : {}),
  };
}

/**
 * Serves GraphQL subscriptions over graphql-ws at `path` on the API's HTTP server. A connection needs an API key in
 * its connection parameters (refused with close code 4403 otherwise); each subscription is rate-limited and checked
 * against the same depth, cost, page and batch limits as queries.
 */
export function createSubscriptionServer(options: SubscriptionServerOptions): { close(): Promise<void> } {
  const { schema, services, authenticator, rateLimiter, limits } = options;
  const sockets = new WebSocketServer({
    server: options.server,
    path: options.path,
    maxPayload: limits.maxBodyBytes,
  });
  const principals = new WeakMap<object, Principal>();
  const disposable = serveGraphqlWs<Record<string, unknown>>(
    {
      schema,
      isProd: limits.mode === 'production',
      onConnect: async (ctx) => {
        const principal = await authenticator.authenticate(keyHeaders(ctx.connectionParams));
        if (!principal) return false;
        principals.set(ctx.extra.socket, principal);
        return true;
      },
      onSubscribe: (ctx, _id, payload) => {
        const principal = principals.get(ctx.extra.socket)!;
        try {
          if (!rateLimiter.take(principal.keyId).allowed) {
            throw new GraphQLError(`Rate limit of ${limits.rateLimitPerMinute} requests a minute reached`, {
              extensions: { code: 'RATE_LIMITED' },
            });
          }
          const document = parse(payload.query);
          const errors = validate(schema, document);
          if (errors.length > 0) return errors;
          const operation = getOperationAST(document, payload.operationName);
          if (!operation) {
            throw new GraphQLError('Expected one operation, or operationName naming one', {
              extensions: { code: 'BAD_USER_INPUT' },
            });
          }
          const fragments = Object.fromEntries(
            document.definitions.flatMap((d) =>
              d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [],
            ),
          );
          const variables = payload.variables ?? {};
          measureOperation(schema, operation, fragments, variables, limits);
          const contextValue: ApiContext = { principal, services, loaders: createApiLoaders(services) };
          return {
            schema,
            document,
            operationName: payload.operationName ?? null,
            variableValues: variables,
            contextValue,
          } satisfies ExecutionArgs;
        } catch (error) {
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
      },
    },
    sockets,
  );
  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}
