import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { Abi, Hex } from 'viem';
import { NonRetryableError } from '../../internal/errors.js';
import { writeFileAtomic } from '../../utils/writeFileAtomic.js';

/** A contract ready to deploy: its ABI and creation bytecode. */
export interface CompiledContract {
  abi: Abi;
  bytecode: Hex;
}

/** The devnet's own contracts (one per file in ./contracts). */
export type SimContractName = 'SimToken' | 'SimNft' | 'QuestBoard' | 'MerkleClaim' | 'Drainer';

const contractNames: SimContractName[] = ['SimToken', 'SimNft', 'QuestBoard', 'MerkleClaim', 'Drainer'];
const contractsDir = fileURLToPath(new URL('./contracts/', import.meta.url));
const defaultCacheDir = fileURLToPath(
  new URL('../../../node_modules/.cache/chaingnn/solc/', import.meta.url),
);
const require = createRequire(import.meta.url);

interface SolcOutput {
  errors?: { severity: 'error' | 'warning' | 'info'; formattedMessage: string }[];
  sources?: Record<string, unknown>;
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
}

interface CacheFile {
  key: string;
  /** Every source unit solc compiled, by its source unit name (ours are the bare file names). */
  sources: string[];
  contracts: Record<SimContractName, CompiledContract>;
}

/** Compiles the devnet's Solidity sources with solc (optimizer on, evmVersion cancun), cached by source hash. */
export async function compileContracts(
  options: { cacheDir?: string | undefined; logger?: Logger | undefined } = {},
): Promise<Record<SimContractName, CompiledContract>> {
  const { logger } = options;
  const cacheFile = join(options.cacheDir ?? defaultCacheDir, 'contracts.json');
  const solcVersion = (require('solc/package.json') as { version: string }).version;
  const ownSources = new Map(
    readdirSync(contractsDir)
      .filter((file) => file.endsWith('.sol'))
      .map((file) => [file, readFileSync(join(contractsDir, file), 'utf8')]),
  );
  const settings = {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    outputSelection: Object.fromEntries(
      [...ownSources.keys()].map((file) => [file, { '*': ['abi', 'evm.bytecode.object'] }]),
    ),
  };
  const computeKey = (sources: Map<string, string>) => {
    const hash = createHash('sha256').update(JSON.stringify({ solcVersion, settings }));
    for (const name of [...sources.keys()].sort()) hash.update(`\0${name}\0${sources.get(name)}`);
    return hash.digest('hex');
  };

  const cached = readCache(cacheFile, logger);
  if (cached) {
    const sources = new Map(ownSources);
    try {
      for (const name of cached.sources) if (!sources.has(name)) sources.set(name, readImport(name));
      if (computeKey(sources) === cached.key) return cached.contracts;
    } catch {
      // An imported file is gone (e.g. OpenZeppelin moved it): recompile.
    }
  }

  const started = performance.now();
  const solc = require('solc') as { compile(input: string, callbacks: object): string; version(): string };
  const imported = new Map<string, string>();
  const findImports = (name: string) => {
    try {
      const contents = readImport(name);
      imported.set(name, contents);
      return { contents };
    } catch (error) {
      return { error: `Cannot resolve import ${name}: ${(error as Error).message}` };
    }
  };
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries([...ownSources].map(([name, content]) => [name, { content }])),
    settings,
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports })) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    throw new NonRetryableError(`Solidity compilation failed with ${errors.length} error(s)`, {
      code: 'SOLC_COMPILE',
      details: errors.map((e) => e.formattedMessage).join('\n'),
    });
  }
  for (const warning of output.errors ?? []) logger?.warn({ solc: warning.formattedMessage }, 'solc warning');

  const contracts = {} as Record<SimContractName, CompiledContract>;
  for (const name of contractNames) {
    const compiled = output.contracts?.[`${name}.sol`]?.[name];
    const object = compiled?.evm.bytecode.object;
    if (!compiled || !object || object.includes('__$')) {
      throw new NonRetryableError(`solc produced no deployable bytecode for ${name}`, {
        code: 'SOLC_COMPILE',
        details: `Expected contract ${name} in ${join(contractsDir, `${name}.sol`)}, without unlinked libraries.`,
      });
    }
    contracts[name] = { abi: compiled.abi, bytecode: `0x${object}` };
  }
  const compiledSources = new Map([...ownSources, ...imported]);
  try {
    writeCache(cacheFile, {
      key: computeKey(compiledSources),
      sources: [...compiledSources.keys()],
      contracts,
    });
  } catch (error) {
    logger?.warn({ file: cacheFile, err: error }, 'cannot write the solc cache; the next run compiles again');
  }
  logger?.info(
    { solc: solc.version(), sources: compiledSources.size, ms: Math.round(performance.now() - started) },
    'compiled devnet contracts',
  );
  return contracts;
}

/** Reads an imported source (e.g. `@openzeppelin/contracts/access/Ownable.sol`) from node_modules. */
function readImport(name: string): string {
  return readFileSync(require.resolve(name), 'utf8');
}

/** The cache file, or undefined when it is missing or unusable (a corrupt one is logged and ignored). */
function readCache(file: string, logger: Logger | undefined): CacheFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      logger?.warn({ file, err: error }, 'cannot read the solc cache; recompiling');
    }
    return undefined;
  }
  try {
    const cache = JSON.parse(text) as CacheFile;
    const valid =
      typeof cache.key === 'string' &&
      Array.isArray(cache.sources) &&
      contractNames.every(
        (name) =>
          Array.isArray(cache.contracts?.[name]?.abi) && cache.contracts[name].bytecode?.startsWith('0x'),
      );
    if (valid) return cache;
  } catch {
    // Reported below, like any other malformed cache.
  }
  logger?.warn({ file }, 'the solc cache file is corrupt; recompiling');
  return undefined;
}

/** Writes the cache atomically (a crash never leaves half a cache file). */
function writeCache(file: string, cache: CacheFile): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(cache));
}
