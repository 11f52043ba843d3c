import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The API's Prometheus metrics (its own registry: several servers in one process do not mix). */
export interface ApiMetrics {
  registry: Registry;
  /** Records one HTTP request: its route, status and duration. */
  observeRequest(route: string, status: number, seconds: number): void;
  /** Counts GraphQL operations by name and outcome, and errors by code. */
  plugin: ApolloServerPlugin;
}

/** Creates the metrics: HTTP requests and durations, GraphQL operations and error codes, and process metrics. */
export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'chaingnn_' });
  const requests = new Counter({
    name: 'chaingnn_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'chaingnn_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const operations = new Counter({
    name: 'chaingnn_graphql_operations_total',
    help: 'GraphQL operations by type (query, mutation, none when unparsable) and whether they had errors',
    labelNames: ['type', 'outcome'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'chaingnn_graphql_errors_total',
    help: 'GraphQL errors by extensions.code',
    labelNames: ['code'],
    registers: [registry],
  });
  return {
    registry,
    observeRequest(route, status, seconds) {
      requests.inc({ route, status: String(status) });
      durations.observe({ route }, seconds);
    },
    plugin: {
      async requestDidStart() {
        return {
          async willSendResponse({ operation, errors: failures }) {
            operations.inc({
              type: operation?.operation ?? 'none',
              outcome: failures?.length ? 'error' : 'ok',
            });
          },
          async didEncounterErrors({ errors: failures }) {
            for (const failure of failures)
              errors.inc({ code: String(failure.extensions?.code ?? 'INTERNAL_SERVER_ERROR') });
          },
        };
      },
    },
  };
}
