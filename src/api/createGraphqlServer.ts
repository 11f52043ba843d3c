import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { FragmentDefinitionNode, GraphQLSchema } from 'graphql';
import { Kind } from 'graphql';
import type { Logger } from 'pino';
import type { Config } from '../config/configSchema.js';
import type { ApiContext } from './apiContext.js';
import type { ApiMetrics } from './createApiMetrics.js';
import { createDocumentStore } from './createDocumentStore.js';
import { createShapeValidation } from './createShapeValidation.js';
import { createErrorFormatter } from './formatApiError.js';
import { measureOperation } from './limits/measureOperation.js';

/**
 * The Apollo server of the API over `schema` (the SDL with its resolvers and role checks): depth/complexity/page/batch limits checked
 * before execution, errors with codes (masked in production), no batched HTTP requests, introspection only in
 * development. Started; the caller stops it.
 */
export async function createGraphqlServer(
  schema: GraphQLSchema,
  limits: Config['api'],
  logger: Logger,
  metrics: ApiMetrics,
): Promise<ApolloServer<ApiContext>> {
  const production = limits.mode === 'production';
  const documentStore = createDocumentStore();
  const server = new ApolloServer<ApiContext>({
    schema,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    allowBatchedHttpRequests: false,
    documentStore,
    formatError: createErrorFormatter(logger, production),
    logger,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Nothing here is cacheable by HTTP caches, and the plugin's per-field hook costs ~10% of a lookup:
      // createApiServer sends `cache-control: no-store` itself.
      ApolloServerPluginCacheControlDisabled(),
      metrics.plugin,
      createShapeValidation(schema, documentStore),
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ schema, document, operation, request }) {
              const fragments: Record<string, FragmentDefinitionNode> = {};
              for (const definition of document.definitions) {
                if (definition.kind === Kind.FRAGMENT_DEFINITION)
                  fragments[definition.name.value] = definition;
              }
              if (operation) measureOperation(schema, operation, fragments, request.variables ?? {}, limits);
            },
          };
        },
      },
    ],
  });
  await server.start();
  return server;
}
