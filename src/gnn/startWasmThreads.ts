import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as tfjs from '@tensorflow/tfjs';

/** The pthreads tfjs-backend-wasm's threaded build starts (its PTHREAD_POOL_SIZE): more threads cannot run. */
export const maxWasmThreads = 8;

/**
 * A pthread's start-up, run by each of the build's workers: emscripten's own worker script (which speaks Node's
 * worker_threads), told to load the module's glue from its file rather than from the Blob URL tfjs passes (which
 * Node's workers cannot import).
 */
const pthreadBootstrap = `
const { workerData } = require('node:worker_threads');
// The script keeps the newlines of its string literals unescaped, as tfjs escapes them before using it.
(0, eval)(require(workerData.workerScript).wasmWorkerContents.replace(/\\n/g, '\\\\n'));
const handleMessage = globalThis.onmessage;
globalThis.onmessage = (event) => {
  if (event.data && event.data.cmd === 'load') event.data.urlOrBlob = workerData.mainScript;
  handleMessage(event);
};
`;

/**
 * Runs `start` (which initializes tfjs's wasm backend) so that tfjs-backend-wasm loads its threaded SIMD build with
 * `threads` threads, which it declines in Node on its own (tensorflow/tfjs#3830) though the build's emscripten glue
 * runs there: the multithread flag is set, each pthread worker starts from emscripten's worker script on disk
 * (tfjs hands it a Blob URL), and the threadpool's cap (half of os.cpus(), as backend.cc assumes two hardware
 * threads per core) is lifted to `threads`. The process is left as it was afterwards. Dense kernels (XNNPACK)
 * then split their work across the threads; results do not depend on the count.
 */
export async function startWasmThreads<T>(
  tf: typeof tfjs,
  wasm: { setThreadsCount(threads: number): void },
  threads: number,
  start: () => Promise<T>,
): Promise<T> {
  const glue = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')), '..');
  const workerData = {
    workerScript: join(glue, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js'),
    mainScript: join(glue, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js'),
  };
  /**
   * A pthread worker as emscripten's `new Worker(url)` makes it, started from the files above. It never keeps the
   * process alive (emscripten refs a worker while its pthread runs, and the threadpool's pthreads run for good):
   * they only work while the main thread waits inside a kernel.
   */
  class PthreadWorker extends Worker {
    constructor() {
      super(pthreadBootstrap, { eval: true, workerData });
      this.unref();
    }

    override ref(): void {}
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  const globals = globalThis as { Worker?: unknown };
  const workerBefore = Object.getOwnPropertyDescriptor(globals, 'Worker');
  const cpus = os.cpus;
  // emscripten assigns Node's Worker to the global and then constructs it: the assignment is ignored here.
  Object.defineProperty(globals, 'Worker', { configurable: true, get: () => PthreadWorker, set: () => {} });
  os.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]!);
  try {
    return await start();
  } finally {
    os.cpus = cpus;
    if (workerBefore === undefined) delete globals.Worker;
    else Object.defineProperty(globals, 'Worker', workerBefore);
  }
}
