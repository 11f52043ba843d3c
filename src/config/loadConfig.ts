import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { NonRetryableError } from '../internal/errors.js';
import { type Config, configSchema, envVars } from './configSchema.js';

/** Where `loadConfig` looks, and what it reads; every field defaults to the real process. */
export interface LoadConfigOptions {
  /** Environment variables (default: `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Directory searched for `chaingnn.config.ts` / `chaingnn.config.json` (default: `process.cwd()`). */
  cwd?: string;
  /** Values that win over everything else (tests, notebooks). */
  overrides?: Record<string, unknown>;
}

/** Raised when the configuration is invalid; `details` lists every bad key with what was expected. */
export class ConfigError extends NonRetryableError {
  override name = 'ConfigError';
}

const configFileNames = ['chaingnn.config.ts', 'chaingnn.config.json'] as const;

/** Loads the config: defaults, then `chaingnn.config.(ts|json)` (or `CHAINGNN_CONFIG`), then the env. */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<Config> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = findConfigFile(cwd, env.CHAINGNN_CONFIG);
  const fromFile = file ? await readConfigFile(file) : {};
  const merged = mergeDeep(mergeDeep(fromFile, readEnv(env)), options.overrides ?? {});
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => describeIssue(issue, merged, file, env));
    throw new ConfigError(`Invalid configuration: ${lines.length} problem${lines.length > 1 ? 's' : ''}`, {
      code: 'CONFIG_INVALID',
      details: lines.map((line) => `  - ${line}`).join('\n'),
    });
  }
  const config = result.data;
  return { ...config, dataDir: isAbsolute(config.dataDir) ? config.dataDir : resolve(cwd, config.dataDir) };
}

function findConfigFile(cwd: string, explicit: string | undefined): string | undefined {
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!existsSync(path)) {
      throw new ConfigError(`Config file not found: ${path}`, {
        code: 'CONFIG_INVALID',
        details:
          'CHAINGNN_CONFIG names a file that does not exist; expected a chaingnn.config.ts or .json path.',
      });
    }
    return path;
  }
  return configFileNames.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
}

async function readConfigFile(path: string): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    if (path.endsWith('.json')) {
      value = JSON.parse(readFileSync(path, 'utf8'));
    } else {
      const module = (await import(pathToFileURL(path).href)) as { default?: unknown };
      value = module.default;
    }
  } catch (cause) {
    throw new ConfigError(`Cannot read config file ${path}`, {
      code: 'CONFIG_INVALID',
      details: `${(cause as Error).message}\nExpected JSON (or a TypeScript module whose default export is the config).`,
      cause,
    });
  }
  if (!isPlainObject(value)) {
    throw new ConfigError(`Config file ${path} does not hold an object`, {
      code: 'CONFIG_INVALID',
      details:
        'Expected an object such as { "dataDir": "./data", "clickhouse": { "database": "chaingnn" } }.',
    });
  }
  return value;
}

function readEnv(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name, path } of envVars) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(out, path, value);
  }
  return out;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  input: Record<string, unknown>,
  file: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const key = issue.path.join('.');
  const envVar = envVars.find((v) => v.path.join('.') === key);
  const fromEnv = envVar !== undefined && Boolean(env[envVar.name]);
  const where = fromEnv ? `${envVar.name} (${key})` : file ? `${key} in ${file}` : key;
  if (issue.code === 'unrecognized_keys') {
    const prefix = key ? `${key}.` : '';
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => prefix + k).join(', ')}${file ? ` in ${file}` : ''}: expected only ${describeKnownKeys(issue.path)}`;
  }
  const got = readPath(input, issue.path);
  return `${where || '(root)'}: ${issue.message}${got === undefined ? '' : `, got ${JSON.stringify(got)}`}`;
}

function describeKnownKeys(path: readonly PropertyKey[]): string {
  const section = path[0] === 'api' ? configSchema.shape.api : configSchema.shape.clickhouse;
  const shape = path.length === 0 ? configSchema.shape : section.unwrap().shape;
  return Object.keys(shape).join(', ');
}

function readPath(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[key as string];
  }
  return current;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = target;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(current[key])) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[path[path.length - 1]!] = value;
}

function mergeDeep(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] = isPlainObject(prior) && isPlainObject(value) ? mergeDeep(prior, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
