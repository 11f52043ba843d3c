import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import * as tfjs from '@tensorflow/tfjs';
import type { Logger } from '../internal/createLogger.js';
import { NonRetryableError } from '../internal/errors.js';
import { registerFastWasmKernels } from './registerFastWasmKernels.js';
import { maxWasmThreads, startWasmThreads } from './startWasmThreads.js';

/** The TensorFlow.js API (the same engine whichever backend runs it). */
export type Tf = typeof tfjs;

/** The backends chaingnn runs on: native libtensorflow (tfjs-node), WebAssembly with SIMD, or plain JS. */
export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';

/** Options for {@link createTfBackend}. */
export interface CreateTfBackendOptions {
  logger: Logger;
  /** `auto` (default): tfjs-node if it loads, else wasm. A forced backend that cannot start is an error. */
  backend?: 'auto' | TfBackendName | undefined;
  /**
   * Threads of the wasm backend's kernels (default 1; at most 8). More pay off on large graphs (the 2M-edge SAGE
   * benchmark trains 1.35× faster on 2); on small ones they cost more than they give, as every kernel hands out its
   * work (scoring the demo's world with reasons takes 1.35× as long on 2).
   */
  threads?: number | undefined;
}

/** The started backend: the tfjs API to use and which backend runs it. */
export interface TfBackend {
  tf: Tf;
  backend: TfBackendName;
}

const tfjsNodePackage = '@tensorflow/tfjs-node';

/**
 * Starts TensorFlow.js on the best available backend (tfjs-node if it loads, else wasm with SIMD on `threads` threads
 * (see startWasmThreads) and the faster kernels of registerFastWasmKernels; cpu only when forced) and logs the
 * choice; a second call with the backend already active returns it without re-initializing (whatever `threads`).
 */
export async function createTfBackend(options: CreateTfBackendOptions): Promise<TfBackend> {
  const { logger } = options;
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > maxWasmThreads) {
    throw new NonRetryableError(`TensorFlow.js cannot run on ${threads} threads`, {
      code: 'TF_BACKEND_UNAVAILABLE',
      details: `Expected a whole number of threads from 1 to ${maxWasmThreads} (the wasm build's thread pool).`,
    });
  }
  const wanted = options.backend ?? 'auto';
  const active = tfjs.getBackend() as string | undefined;
  if (active === wanted || (wanted === 'auto' && (active === 'tensorflow' || active === 'wasm'))) {
    await tfjs.ready();
    return { tf: tfjs, backend: active as TfBackendName };
  }
  if (wanted === 'auto' || wanted === 'tensorflow') {
    if (await loadTfjsNode(logger, wanted === 'tensorflow')) {
      await activate('tensorflow');
      logger.info({ backend: 'tensorflow', tfjs: tfjs.version.tfjs }, 'TensorFlow.js backend: tfjs-node');
      return { tf: tfjs, backend: 'tensorflow' };
    }
  }
  if (wanted === 'cpu') {
    if (await activate('cpu')) {
      logger.info({ backend: 'cpu', tfjs: tfjs.version.tfjs }, 'TensorFlow.js backend: cpu (forced)');
    }
    return { tf: tfjs, backend: 'cpu' };
  }
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  registerFastWasmKernels();
  const wasmDir = wasmBinaryDir();
  wasm.setWasmPaths(wasmDir);
  const hint = `Expected its .wasm binaries in ${wasmDir}; reinstall @tensorflow/tfjs-backend-wasm.`;
  const activateWasm = () => activate('wasm', hint);
  const activated =
    threads > 1 ? await startWasmThreads(tfjs, wasm, threads, activateWasm) : await activateWasm();
  if (!activated) return { tf: tfjs, backend: 'wasm' };
  const simd = await tfjs.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const fields = { backend: 'wasm', simd, threads: wasm.getThreadsCount(), tfjs: tfjs.version.tfjs };
  const threadCount = `${fields.threads} thread${fields.threads === 1 ? '' : 's'}`;
  if (simd) logger.info(fields, `TensorFlow.js backend: wasm (SIMD, ${threadCount})`);
  else logger.warn(fields, 'TensorFlow.js backend: wasm without SIMD (the runtime lacks it; slower)');
  return { tf: tfjs, backend: 'wasm' };
}

/** Imports tfjs-node (which registers and selects the `tensorflow` backend); false when it is absent or broken. */
async function loadTfjsNode(logger: Logger, required: boolean): Promise<boolean> {
  try {
    await import(tfjsNodePackage);
    return true;
  } catch (error) {
    const missing =
      (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' &&
      String((error as Error).message).includes(`'${tfjsNodePackage}'`);
    if (required) {
      throw new NonRetryableError('The tensorflow backend (tfjs-node) was asked for but does not load', {
        code: 'TF_BACKEND_UNAVAILABLE',
        details: missing
          ? `${tfjsNodePackage} is not installed (its install downloads libtensorflow, which needs internet). Install it, or use backend auto or wasm.`
          : `${tfjsNodePackage} is installed but failed to load: ${(error as Error).message}`,
        cause: error,
      });
    }
    if (missing) logger.debug(`${tfjsNodePackage} is not installed; using wasm`);
    else logger.warn({ err: error }, `${tfjsNodePackage} is installed but failed to load; using wasm`);
    return false;
  }
}

/**
 * Switches tfjs to `name`; false when a concurrent call is already starting it (then this one waits for it).
 * Throws a clear error when the backend fails to start.
 */
async function activate(name: TfBackendName, hint = ''): Promise<boolean> {
  // Checked right before setBackend (which sets the name synchronously): two calls racing to initialize the
  // same backend would make tfjs drop the first initialization as outdated.
  if (tfjs.getBackend() === name) {
    await tfjs.ready();
    return false;
  }
  if (await tfjs.setBackend(name)) return true;
  throw new NonRetryableError(`The TensorFlow.js ${name} backend failed to start`, {
    code: 'TF_BACKEND_UNAVAILABLE',
    details: `${hint} TensorFlow.js printed the cause above.`.trim(),
  });
}

/** The directory holding tfjs-backend-wasm's .wasm binaries, as the path prefix emscripten reads with fs in Node. */
function wasmBinaryDir(): string {
  const packageJson = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json');
  return join(dirname(packageJson), 'dist') + sep;
}
