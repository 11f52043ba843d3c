import { Command } from 'commander';
import { defaultJobPrefix } from '../jobs/jobQueueSettings.js';
import { parseWholeNumber } from './parseOptions.js';
import { runCommand } from './runCommand.js';

/** The options of `chaingnn serve`, as commander parses them. */
interface ServeOptions {
  port?: number;
  host?: string;
  queuePrefix: string;
}

/** `chaingnn serve`: the GraphQL API until SIGTERM/SIGINT. */
export function serveCommand(): Command {
  return new Command('serve')
    .description(
      'serve the GraphQL API (API keys: chaingnn apikey create); without REDIS_URL, jobs it enqueues run in this process',
    )
    .option('--port <n>', 'port to listen on (default API_PORT or 4000; 0 = any free port)', parseWholeNumber)
    .option('--host <address>', 'address to listen on (default API_HOST or 127.0.0.1)')
    .option('--queue-prefix <prefix>', 'the Redis key prefix of the queues', defaultJobPrefix)
    .action((options: ServeOptions) =>
      runCommand(async (common) => {
        const { createApiServer } = await import('../api/createApiServer.js');
        const { tuneHeapForServing } = await import('../api/tuneHeapForServing.js');
        tuneHeapForServing();
        const server = await createApiServer(common, {
          ...(options.port === undefined ? {} : { port: options.port }),
          ...(options.host === undefined ? {} : { host: options.host }),
          queuePrefix: options.queuePrefix,
        });
        const base = server.url.replace(/\/graphql$/, '');
        process.stdout.write(
          `GraphQL API at ${server.url}\n` +
            `health: ${base}/healthz  readiness: ${base}/readyz  metrics: ${base}/metrics (admin key)\n` +
            (common.config.api.mode === 'development' ? `GraphiQL: ${base}/graphiql\n` : '') +
            (common.config.redisUrl
              ? `queues: ${base}/admin/queues (admin key as the basic-auth password)\n`
              : ''),
        );
        await new Promise<void>((resolve) => {
          common.shutdown.register('serve', resolve);
        });
      }),
    );
}
