import { z } from 'zod';

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const tfBackends = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A URL whose scheme is one of `schemes`, with an error message that says so. */
function urlWith(schemes: readonly string[], example: string) {
  const expected = `expected a ${schemes.join('/')} URL such as ${example}`;
  return z.string({ error: expected }).refine((value) => {
    try {
      return schemes.includes(new URL(value).protocol.replace(/:$/, ''));
    } catch {
      return false;
    }
  }, expected);
}

/** A whole number in [min, max] (environment strings coerced), with the expected range in its message. */
function wholeNumber(min: number, max: number, unit: string) {
  const expected = `expected whole ${unit} from ${min} to ${max}`;
  return z.coerce.number({ error: expected }).int(expected).min(min, expected).max(max, expected);
}

/** The GraphQL API's listener and limits (`chaingnn serve`). */
const apiSchema = z.strictObject({
  host: z.string({ error: 'expected a host name or IP address' }).min(1).default('127.0.0.1'),
  port: wholeNumber(0, 65535, 'port number').default(4000),
  /** Requests per minute per API key (a token bucket holding one minute's worth). */
  rateLimitPerMinute: wholeNumber(1, 10_000_000, 'requests per minute').default(60_000),
  maxDepth: wholeNumber(1, 100, 'levels').default(10),
  maxComplexity: wholeNumber(1, 10_000_000, 'cost units').default(10_000),
  maxPageSize: wholeNumber(1, 10_000, 'items').default(100),
  maxBatchSize: wholeNumber(1, 100_000, 'addresses').default(1000),
  maxBodyBytes: wholeNumber(1024, 100 << 20, 'bytes').default(1 << 20),
  /** Production masks internal errors and hides GraphiQL; development shows both. */
  mode: z
    .enum(['development', 'production'], { error: 'expected development or production' })
    .default('development'),
});

/** The validated shape of chaingnn's configuration (defaults < config file < environment). */
export const configSchema = z.strictObject({
  dataDir: z
    .string({ error: 'expected a directory path' })
    .min(1, 'expected a non-empty directory path')
    .default('./data'),
  clickhouse: z
    .strictObject({
      url: urlWith(['http', 'https'], 'http://localhost:8123').optional(),
      user: z.string({ error: 'expected a user name' }).default('default'),
      password: z.string({ error: 'expected a string' }).default(''),
      database: z
        .string({ error: 'expected a database name' })
        .regex(identifier, 'expected a database name of letters, digits and _ (not starting with a digit)')
        .default('chaingnn'),
      cluster: z
        .string({ error: 'expected a cluster name' })
        .regex(identifier, 'expected a cluster name of letters, digits and _')
        .optional(),
    })
    .prefault({}),
  rpcUrl: urlWith(['http', 'https', 'ws', 'wss'], 'http://127.0.0.1:8545').optional(),
  redisUrl: urlWith(['redis', 'rediss'], 'redis://127.0.0.1:6379').optional(),
  /** Workers follow the chain at rpcUrl: a follow-head job every this many seconds (unset: no schedule). */
  followHeadSeconds: z.coerce
    .number({ error: 'expected whole seconds' })
    .int('expected whole seconds')
    .min(1, 'expected at least 1 second')
    .optional(),
  /** Workers refresh on this cron pattern (UTC): snapshot, retrain risk, rescore (unset: no schedule). */
  refreshCron: z
    .string({ error: 'expected a cron pattern such as "0 3 * * *"' })
    .regex(/^(\S+\s+){4,5}\S+$/, 'expected a cron pattern of 5 or 6 fields, such as "0 3 * * *"')
    .optional(),
  api: apiSchema.prefault({}),
  logLevel: z.enum(logLevels, { error: `expected one of ${logLevels.join(', ')}` }).default('info'),
  /** TensorFlow.js backend: auto = tfjs-node if it loads, else wasm; cpu only when chosen here. */
  tfBackend: z.enum(tfBackends, { error: `expected one of ${tfBackends.join(', ')}` }).default('auto'),
  /** Threads of the wasm backend's kernels (default 1): more pay off on large graphs, see createTfBackend. */
  tfThreads: wholeNumber(1, 8, 'threads').default(1),
});

/** chaingnn's configuration after defaults, the config file and the environment are merged and checked. */
export type Config = z.output<typeof configSchema>;

/** What a `chaingnn.config.(ts|json)` file or a caller may set: any subset of the config. */
export type ConfigInput = z.input<typeof configSchema>;

/** One environment variable the config reads, where it lands, and what it means (the README's table). */
export interface EnvVar {
  name: string;
  path:
    | readonly [keyof Config]
    | readonly ['clickhouse', keyof Config['clickhouse']]
    | readonly ['api', keyof Config['api']];
  description: string;
}

/** Every environment variable chaingnn reads; `src/config` is the only place that reads `process.env`. */
export const envVars: readonly EnvVar[] = [
  {
    name: 'CHAINGNN_DATA_DIR',
    path: ['dataDir'],
    description: 'data directory (embedded warehouse, models)',
  },
  { name: 'CLICKHOUSE_URL', path: ['clickhouse', 'url'], description: 'ClickHouse server; unset = embedded' },
  { name: 'CLICKHOUSE_USER', path: ['clickhouse', 'user'], description: 'ClickHouse user (server mode)' },
  { name: 'CLICKHOUSE_PASSWORD', path: ['clickhouse', 'password'], description: 'ClickHouse password' },
  {
    name: 'CLICKHOUSE_DATABASE',
    path: ['clickhouse', 'database'],
    description: 'database holding the tables',
  },
  {
    name: 'CLICKHOUSE_CLUSTER',
    path: ['clickhouse', 'cluster'],
    description: 'cluster name: use cluster DDL',
  },
  { name: 'RPC_URL', path: ['rpcUrl'], description: 'EVM JSON-RPC endpoint to index' },
  {
    name: 'FOLLOW_HEAD_SECONDS',
    path: ['followHeadSeconds'],
    description: 'workers ingest the new head of RPC_URL this often (seconds)',
  },
  {
    name: 'REFRESH_CRON',
    path: ['refreshCron'],
    description: 'workers snapshot, retrain risk and rescore on this cron (UTC)',
  },
  { name: 'REDIS_URL', path: ['redisUrl'], description: 'Redis for BullMQ jobs; unset = in-process' },
  { name: 'API_HOST', path: ['api', 'host'], description: 'address `chaingnn serve` listens on' },
  { name: 'API_PORT', path: ['api', 'port'], description: 'port `chaingnn serve` listens on (0 = any free)' },
  {
    name: 'API_RATE_LIMIT',
    path: ['api', 'rateLimitPerMinute'],
    description: 'GraphQL requests per minute per API key',
  },
  {
    name: 'API_MODE',
    path: ['api', 'mode'],
    description: 'production masks internal errors and hides GraphiQL; development shows them',
  },
  { name: 'LOG_LEVEL', path: ['logLevel'], description: 'fatal, error, warn, info, debug, trace, silent' },
  {
    name: 'CHAINGNN_TF_BACKEND',
    path: ['tfBackend'],
    description: 'TensorFlow.js backend: auto (tfjs-node, else wasm), tensorflow, wasm or cpu',
  },
  {
    name: 'CHAINGNN_TF_THREADS',
    path: ['tfThreads'],
    description: 'threads of the wasm backend (1 to 8, default 1; more for large graphs)',
  },
];
