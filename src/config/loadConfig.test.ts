import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/setup/testWarehouse.js';
import { ConfigError, loadConfig } from './loadConfig.js';

describe('loadConfig', () => {
  const dir = useTempDir();

  it('uses the documented defaults when nothing is set', async () => {
    const config = await loadConfig({ env: {}, cwd: dir() });
    expect(config).toEqual({
      dataDir: join(dir(), 'data'),
      clickhouse: { user: 'default', password: '', database: 'chaingnn' },
      api: {
        host: '127.0.0.1',
        port: 4000,
        rateLimitPerMinute: 60_000,
        maxDepth: 10,
        maxComplexity: 10_000,
        maxPageSize: 100,
        maxBatchSize: 1000,
        maxBodyBytes: 1 << 20,
        mode: 'development',
      },
      logLevel: 'info',
      tfBackend: 'auto',
      tfThreads: 1,
    });
  });

  it('reads every documented environment variable', async () => {
    const config = await loadConfig({
      cwd: dir(),
      env: {
        CHAINGNN_DATA_DIR: '/var/lib/chaingnn',
        CLICKHOUSE_URL: 'https://ch.example:8443',
        CLICKHOUSE_USER: 'analyst',
        CLICKHOUSE_PASSWORD: 's3cret',
        CLICKHOUSE_DATABASE: 'prod',
        CLICKHOUSE_CLUSTER: 'main',
        RPC_URL: 'ws://127.0.0.1:8546',
        REDIS_URL: 'redis://127.0.0.1:6379/2',
        FOLLOW_HEAD_SECONDS: '12',
        REFRESH_CRON: '0 3 * * *',
        API_HOST: '0.0.0.0',
        API_PORT: '8080',
        API_RATE_LIMIT: '600',
        API_MODE: 'production',
        LOG_LEVEL: 'debug',
        CHAINGNN_TF_BACKEND: 'cpu',
        CHAINGNN_TF_THREADS: '2',
      },
    });
    expect(config).toEqual({
      dataDir: '/var/lib/chaingnn',
      clickhouse: {
        url: 'https://ch.example:8443',
        user: 'analyst',
        password: 's3cret',
        database: 'prod',
        cluster: 'main',
      },
      rpcUrl: 'ws://127.0.0.1:8546',
      redisUrl: 'redis://127.0.0.1:6379/2',
      followHeadSeconds: 12,
      refreshCron: '0 3 * * *',
      api: expect.objectContaining({
        host: '0.0.0.0',
        port: 8080,
        rateLimitPerMinute: 600,
        mode: 'production',
      }),
      logLevel: 'debug',
      tfBackend: 'cpu',
      tfThreads: 2,
    });
  });

  it('treats an empty environment variable as unset', async () => {
    const config = await loadConfig({ cwd: dir(), env: { CLICKHOUSE_URL: '', LOG_LEVEL: '' } });
    expect(config.clickhouse.url).toBeUndefined();
    expect(config.logLevel).toBe('info');
  });

  it('layers defaults < config file < environment < overrides', async () => {
    const cwd = join(dir(), 'layered');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(
      join(cwd, 'chaingnn.config.json'),
      JSON.stringify({
        dataDir: 'from-file',
        logLevel: 'warn',
        clickhouse: { database: 'filedb', user: 'fileuser' },
      }),
    );
    const config = await loadConfig({
      cwd,
      env: { CLICKHOUSE_DATABASE: 'envdb' },
      overrides: { clickhouse: { user: 'override' } },
    });
    expect(config.dataDir).toBe(join(cwd, 'from-file'));
    expect(config.logLevel).toBe('warn');
    expect(config.clickhouse).toMatchObject({ database: 'envdb', user: 'override' });
  });

  it('loads a TypeScript config file named by CHAINGNN_CONFIG', async () => {
    const file = join(dir(), 'custom.config.ts');
    writeFileSync(
      file,
      "const config: { logLevel: string } = { logLevel: 'error' };\nexport default config;\n",
    );
    const config = await loadConfig({ cwd: dir(), env: { CHAINGNN_CONFIG: file } });
    expect(config.logLevel).toBe('error');
  });

  it('lists every bad key, with where it came from and what was expected, in one error', async () => {
    const error = await loadConfig({
      cwd: dir(),
      env: {
        CLICKHOUSE_URL: 'localhost:8123',
        LOG_LEVEL: 'loud',
        REDIS_URL: 'http://x',
        CLICKHOUSE_DATABASE: '1bad-name',
        API_PORT: '70000',
        API_MODE: 'prod',
        CHAINGNN_TF_THREADS: '16',
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const { shortMessage, details } = error as ConfigError;
    expect(shortMessage).toBe('Invalid configuration: 7 problems');
    expect(details).toContain(
      'CHAINGNN_TF_THREADS (tfThreads): expected whole threads from 1 to 8, got "16"',
    );
    expect(details).toContain('API_PORT (api.port): expected whole port number from 0 to 65535, got "70000"');
    expect(details).toContain('API_MODE (api.mode): expected development or production, got "prod"');
    expect(details).toContain(
      'CLICKHOUSE_URL (clickhouse.url): expected a http/https URL such as http://localhost:8123, got "localhost:8123"',
    );
    expect(details).toContain(
      'LOG_LEVEL (logLevel): expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    );
    expect(details).toContain('REDIS_URL (redisUrl): expected a redis/rediss URL');
    expect(details).toContain('CLICKHOUSE_DATABASE (clickhouse.database): expected a database name');
  });

  it('names unknown keys in the config file instead of ignoring a typo', async () => {
    const cwd = join(dir(), 'typo');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(
      join(cwd, 'chaingnn.config.json'),
      JSON.stringify({ dataDirectory: 'x', clickhouse: { db: 'y' }, api: { prot: 1 } }),
    );
    const error = (await loadConfig({ cwd, env: {} }).catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.details).toMatch(
      /unknown key dataDirectory in .*chaingnn\.config\.json: expected only dataDir,/,
    );
    expect(error.details).toMatch(
      /unknown key clickhouse\.db in .*: expected only url, user, password, database, cluster/,
    );
    expect(error.details).toMatch(
      /unknown key api\.prot in .*: expected only host, port, rateLimitPerMinute,/,
    );
  });

  it('reports a config file that is not valid JSON, naming the file', async () => {
    const cwd = join(dir(), 'broken');
    mkdirSync(cwd, { recursive: true });
    writeFileSync(join(cwd, 'chaingnn.config.json'), '{ "dataDir": ');
    const error = (await loadConfig({ cwd, env: {} }).catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.shortMessage).toBe(`Cannot read config file ${join(cwd, 'chaingnn.config.json')}`);
  });

  it('refuses a CHAINGNN_CONFIG that points nowhere', async () => {
    await expect(loadConfig({ cwd: dir(), env: { CHAINGNN_CONFIG: 'missing.json' } })).rejects.toThrow(
      `Config file not found: ${join(dir(), 'missing.json')}`,
    );
  });
});
