import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap } from '@apollo/server';
import type { Common } from '../internal/createCommon.js';
import { createInProcessJobs } from '../jobs/createInProcessJobs.js';
import { createJobContext } from '../jobs/createJobContext.js';
import type { Warehouse } from '../warehouse/createWarehouse.js';
import { openMigratedWarehouse } from '../warehouse/openMigratedWarehouse.js';
import { type Authenticator, createAuthenticator } from './auth/createAuthenticator.js';
import { createRateLimiter } from './auth/createRateLimiter.js';
import { type ApiJobs, createInProcessApiJobs, createQueuedApiJobs } from './createApiJobs.js';
import { createApiLoaders } from './createApiLoaders.js';
import { createApiMetrics } from './createApiMetrics.js';
import { createApiSchema } from './createApiSchema.js';
import { type ApiServices, createApiServices } from './createApiServices.js';
import { createGraphqlServer } from './createGraphqlServer.js';
import { createSubscriptionServer } from './createSubscriptionServer.js';
import { sendError, sendJson } from './http/httpResponses.js';
import { BodyTooLargeError, readBody } from './http/readBody.js';
import { serveGraphiql } from './http/serveGraphiql.js';
import { mountQueueDashboard } from './mountQueueDashboard.js';

/** A running API server. */
export interface ApiServer {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  port: number;
  services: ApiServices;
  authenticator: Authenticator;
  /** Stops taking requests, finishes the ones in flight, and closes what the server opened. */
  close(): Promise<void>;
}

/** Options for {@link createApiServer}; the config's `api` section gives the rest. */
export interface ApiServerOptions {
  /** A warehouse the caller opened (default: open and migrate the configured one, and close it on close). */
  warehouse?: Warehouse;
  /** Overrides the config's port (0 = any free port). */
  port?: number;
  host?: string;
  /** Queue key prefix when REDIS_URL is set (default `chaingnn`). */
  queuePrefix?: string;
  /** How long the latest snapshot and scoring are trusted before they are read again (default 5 s). */
  latestTtlMs?: number;
}

const graphqlPath = '/graphql';

/**
 * Starts the API: GraphQL at /graphql (API key required; per-key rate limit; body size limit; subscriptions over
 * graphql-ws on the same path), /healthz and /readyz (no key), /metrics (admin key), GraphiQL at /graphiql
 * (development mode), and the BullMQ dashboard at /admin/queues (admin key, with Redis). Without REDIS_URL, jobs the API enqueues run in this process.
 */
export async function createApiServer(common: Common, options: ApiServerOptions = {}): Promise<ApiServer> {
  const { config, logger } = common;
  const limits = config.api;
  const ownWarehouse = !options.warehouse;
  const warehouse = options.warehouse ?? (await openMigratedWarehouse(common));
  const jobs: ApiJobs = config.redisUrl
    ? createQueuedApiJobs(config.redisUrl, options.queuePrefix)
    : createInProcessApiJobs(createInProcessJobs(createJobContext(common, { warehouse })));
  const services = createApiServices(common, warehouse, jobs, {
    ...(options.latestTtlMs === undefined ? {} : { latestTtlMs: options.latestTtlMs }),
  });
  const authenticator = createAuthenticator(warehouse);
  const rateLimiter = createRateLimiter({ perMinute: limits.rateLimitPerMinute });
  const metrics = createApiMetrics();
  const schema = createApiSchema();
  const apollo = await createGraphqlServer(schema, limits, logger, metrics);
  const dashboard = config.redisUrl
    ? await mountQueueDashboard(config.redisUrl, options.queuePrefix)
    : undefined;

  const handleGraphql = async (req: IncomingMessage, res: ServerResponse, search: string) => {
    const principal = await authenticator.authenticate(req.headers);
    if (!principal) {
      return sendError(
        res,
        401,
        'UNAUTHENTICATED',
        'An API key is required: send Authorization: Bearer <key>',
        {
          'www-authenticate': 'Bearer',
        },
      );
    }
    const allowed = rateLimiter.take(principal.keyId);
    if (!allowed.allowed) {
      const seconds = String(Math.ceil(allowed.retryAfterMs / 1000));
      return sendError(
        res,
        429,
        'RATE_LIMITED',
        `Rate limit of ${limits.rateLimitPerMinute} requests a minute reached: retry in ${seconds} s`,
        {
          'retry-after': seconds,
        },
      );
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req, limits.maxBodyBytes);
      try {
        body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
      } catch {
        return sendError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON');
      }
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search, body },
      context: async () => ({ principal, services, loaders: createApiLoaders(services) }),
    });
    const out: Record<string, string> = { 'cache-control': 'no-store' };
    for (const [name, value] of response.headers) out[name] = value;
    // With its length known, a body goes out whole rather than in chunked encoding (writeHead fixes which).
    const reply = response.body;
    if (reply.kind === 'complete') out['content-length'] = String(Buffer.byteLength(reply.string));
    res.writeHead(response.status ?? 200, out);
    if (reply.kind === 'complete') {
      res.end(reply.string);
      return;
    }
    for await (const chunk of reply.asyncIterator) res.write(chunk);
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const target = parseTarget(req.url ?? '/');
    if (!target) {
      sendError(res, 400, 'BAD_REQUEST', 'The request target is not a valid URL path');
      metrics.observeRequest('other', 400, (performance.now() - started) / 1000);
      return;
    }
    const { path, search } = target;
    let route = 'other';
    try {
      if (path === graphqlPath) {
        route = 'graphql';
        await handleGraphql(req, res, search);
      } else if (path === '/healthz') {
        route = 'healthz';
        sendJson(res, 200, { status: 'ok' });
      } else if (path === '/readyz') {
        route = 'readyz';
        const ready = await checkReady(warehouse);
        sendJson(res, ready.ok ? 200 : 503, ready);
      } else if (path === '/metrics') {
        route = 'metrics';
        const principal = await authenticator.authenticate(basicAsBearer(req.headers));
        if (principal?.role !== 'admin') {
          sendError(
            res,
            principal ? 403 : 401,
            principal ? 'FORBIDDEN' : 'UNAUTHENTICATED',
            'An admin API key is required',
          );
        } else {
          const text = await metrics.registry.metrics();
          res.writeHead(200, { 'content-type': metrics.registry.contentType });
          res.end(text);
        }
      } else if (path.startsWith('/admin/queues') && dashboard) {
        route = 'admin';
        const principal = await authenticator.authenticate(basicAsBearer(req.headers));
        if (principal?.role !== 'admin') {
          sendError(
            res,
            401,
            'UNAUTHENTICATED',
            'An admin API key is required (as the password of basic auth)',
            {
              'www-authenticate': 'Basic realm="chaingnn queues"',
            },
          );
        } else dashboard(req, res);
      } else if (limits.mode === 'development' && serveGraphiql(path, res, graphqlPath)) {
        route = 'graphiql';
      } else {
        sendError(res, 404, 'NOT_FOUND', `No route ${path}: the API is at ${graphqlPath}`);
      }
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        sendError(res, 413, 'PAYLOAD_TOO_LARGE', `${error.message}: send a smaller request`, {
          connection: 'close',
        });
      } else {
        logger.error({ err: error, path }, 'API request failed');
        if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
        else res.destroy();
      }
    } finally {
      metrics.observeRequest(route, res.statusCode, (performance.now() - started) / 1000);
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 65_000;
  const subscriptions = createSubscriptionServer({
    server,
    path: graphqlPath,
    schema,
    services,
    authenticator,
    rateLimiter,
    limits,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? limits.port, options.host ?? limits.host, resolve);
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await subscriptions.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await apollo.stop();
      await jobs.close();
      await dashboard?.close();
      if (ownWarehouse) await warehouse.close();
    })();
    return closing;
  };
  common.shutdown.register('api server', close);
  logger.info(
    { url: `http://${host}:${port}${graphqlPath}`, jobs: jobs.mode, mode: limits.mode },
    'API listening',
  );
  return { url: `http://${host}:${port}${graphqlPath}`, port, services, authenticator, close };
}

/**
 * A request target's path and query string; undefined when it is not a URL path (e.g. `//[`). The GraphQL path
 * itself, with or without a query string, is taken as is: parsing a URL costs a few percent of a lookup.
 */
function parseTarget(target: string): { path: string; search: string } | undefined {
  if (target === graphqlPath || target.startsWith(`${graphqlPath}?`)) {
    return { path: graphqlPath, search: target.slice(graphqlPath.length) };
  }
  if (!URL.canParse(target, 'http://localhost')) return undefined;
  const url = new URL(target, 'http://localhost');
  return { path: url.pathname, search: url.search };
}

/** Whether the warehouse answers (the server is ready for traffic). */
async function checkReady(warehouse: Warehouse): Promise<{ ok: boolean; warehouse: string }> {
  try {
    await warehouse.client
      .query({ query: 'SELECT 1', format: 'JSONEachRow' })
      .then((result) => result.json());
    return { ok: true, warehouse: 'ok' };
  } catch (error) {
    return { ok: false, warehouse: (error as Error).message.split('\n')[0]! };
  }
}

/** The headers with HTTP Basic credentials turned into a bearer key (browsers send Basic for the dashboard). */
function basicAsBearer(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const value = headers.authorization;
  if (!value?.startsWith('Basic ')) return headers;
  const decoded = Buffer.from(value.slice(6), 'base64').toString('utf8');
  return { ...headers, authorization: `Bearer ${decoded.slice(decoded.indexOf(':') + 1)}` };
}
