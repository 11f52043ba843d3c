import { Worker } from 'node:worker_threads';
import { type CsrSpmmInput, csrSpmm } from './csrSpmm.js';

/** Below this many multiply-adds (slots × width) a product runs in-thread: sharing it costs more than it saves. */
const minimumWork = 2 ** 22;
/** The calling thread's share of the slots (it also copies x out and the helper's rows back, unless shared). */
const callerShare = 0.45;
/** How long the caller waits for the helper's rows before computing them itself. */
const helperTimeoutMs = 60_000;
/**
 * The helper thread: its own copy of csrSpmm (from its source, so it needs no module loader) runs the rows it is sent
 * on shared buffers, then sets `done` to 1 (2 when it failed). Once it listens it sets `ready` and says so.
 */
const helperSource = `
const { parentPort, workerData } = require('node:worker_threads');
const csrSpmm = ${csrSpmm.toString()};
parentPort.on('message', ({ done, ...input }) => {
  let state = 2;
  try {
    csrSpmm(input);
    state = 1;
  } finally {
    Atomics.store(done, 0, state);
    Atomics.notify(done, 0);
  }
});
Atomics.store(workerData.ready, 0, 1);
parentPort.postMessage('ready');
`;

/** A started helper thread, its flags and the shared copies it reads. */
interface Helper {
  worker: Worker;
  ready: Int32Array;
  /** Settles once the helper listens (true) or failed to start (false). */
  listening: Promise<boolean>;
  done: Int32Array;
  /** Shared copies of CSR arrays, which never change once built. */
  csr: WeakMap<Uint32Array, Uint32Array>;
  /** Scratch buffers for x and the helper's rows, grown as needed. */
  scratch: { x: Float32Array; out: Float32Array };
  /** Set when the helper failed or timed out: every product runs in-thread from then on. */
  broken: boolean;
}

/**
 * The process's helper thread, process-wide like the tfjs engine whose ops it serves: started by
 * {@link startSpmmHelper} or by the first product large enough to share (none until then). Products share with it
 * once it listens; none waits for it to start (a thread's start may need this thread's event loop, as under
 * module loader hooks). Unref'd once listening, so it never keeps the process alive.
 */
let helper: Helper | undefined;

/**
 * Starts the helper thread, unless it runs already or products of `work` multiply-adds (slots × width) are too small
 * to share; resolves once it listens (false when it could not start or is not needed).
 */
export function startSpmmHelper(work = minimumWork): Promise<boolean> {
  if (helper === undefined && work < minimumWork) return Promise.resolve(false);
  return (helper ?? startHelper()).listening;
}

/**
 * {@link csrSpmm} with the rows split between the calling thread and a helper thread (the second core), for products
 * without per-slot weights of at least 2^22 multiply-adds; others run in-thread, as does everything once the helper
 * has failed. The helper reads shared copies of the CSR arrays (made once per array) and x, and writes its rows
 * into out, in place when they are in shared memory (the threaded wasm heap), else through copies made per call;
 * each row is summed by the same code in the same order either way: the results are identical. Returns whether
 * the helper took part.
 */
export function parallelCsrSpmm(input: CsrSpmmInput): boolean {
  const { offsets, gather, x, width, out, weights, rowScale, gatherScale } = input;
  const rows = offsets.length - 1;
  const work = (offsets[rows]! - offsets[0]!) * width;
  const ready = weights === undefined && work >= minimumWork ? readyHelper() : undefined;
  if (ready === undefined) {
    csrSpmm(input);
    return false;
  }
  const split = splitRow(offsets, callerShare);
  const helperOut = isShared(out)
    ? out.subarray(split * width)
    : scratch(ready, 'out', (rows - split) * width);
  const job: CsrSpmmInput = {
    offsets: shareCsr(ready, offsets).subarray(split),
    gather: shareCsr(ready, gather),
    x: isShared(x) ? x : copyToScratch(ready, x),
    width,
    out: helperOut,
    rowScale: rowScale === undefined ? undefined : copyToShared(rowScale.subarray(split)),
    gatherScale: gatherScale === undefined ? undefined : copyToShared(gatherScale),
  };
  Atomics.store(ready.done, 0, 0);
  ready.worker.postMessage({ ...job, done: ready.done });
  csrSpmm({ ...input, offsets: offsets.subarray(0, split + 1), rowScale: rowScale?.subarray(0, split) });
  // Should the helper fail, its rows are computed here from the same shared copies.
  if (!awaitHelper(ready)) csrSpmm(job);
  if (!isShared(out)) out.set(job.out, split * width);
  return true;
}

/** The helper if it listens; otherwise undefined, starting it on first use (products run in-thread meanwhile). */
function readyHelper(): Helper | undefined {
  const current = helper ?? startHelper();
  return !current.broken && Atomics.load(current.ready, 0) === 1 ? current : undefined;
}

/** Starts the helper thread (kept alive until it listens). */
function startHelper(): Helper {
  const ready = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(helperSource, { eval: true, execArgv: [], workerData: { ready } });
  const started: Helper = {
    worker,
    ready,
    listening: new Promise((resolve) => {
      worker.once('message', () => {
        worker.unref();
        resolve(true);
      });
      worker.on('error', () => {
        started.broken = true;
        resolve(false);
      });
    }),
    done: new Int32Array(new SharedArrayBuffer(4)),
    csr: new WeakMap(),
    scratch: { x: new Float32Array(0), out: new Float32Array(0) },
    broken: false,
  };
  helper = started;
  return started;
}

/** Waits for the helper's rows: true when it computed them; false (and the helper retired) when it failed or hung. */
function awaitHelper(ready: Helper): boolean {
  if (Atomics.load(ready.done, 0) === 0) Atomics.wait(ready.done, 0, 0, helperTimeoutMs);
  const helped = Atomics.load(ready.done, 0) === 1;
  if (!helped) {
    ready.broken = true;
    void ready.worker.terminate();
  }
  return helped;
}

/** The first row whose slots start at or past `share` of all slots. */
function splitRow(offsets: Uint32Array, share: number): number {
  const rows = offsets.length - 1;
  const target = offsets[0]! + share * (offsets[rows]! - offsets[0]!);
  let low = 0;
  let high = rows;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (offsets[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Whether `values` lives in shared memory (as the wasm heap of tfjs's threaded build does): no copy needed. */
function isShared(values: Float32Array): boolean {
  return values.buffer instanceof SharedArrayBuffer;
}

/** `values` copied into the helper's scratch buffer for x. */
function copyToScratch(ready: Helper, values: Float32Array): Float32Array {
  const copy = scratch(ready, 'x', values.length);
  copy.set(values);
  return copy;
}

/** The first `length` values of the helper's scratch buffer `which`, grown to fit. */
function scratch(ready: Helper, which: 'x' | 'out', length: number): Float32Array {
  if (ready.scratch[which].length < length) {
    ready.scratch[which] = new Float32Array(new SharedArrayBuffer(length * 4));
  }
  return ready.scratch[which].subarray(0, length);
}

/** The shared copy of a CSR array, made on first use. */
function shareCsr(ready: Helper, values: Uint32Array): Uint32Array {
  let shared = ready.csr.get(values);
  if (shared === undefined) {
    shared = copyToShared(values);
    ready.csr.set(values, shared);
  }
  return shared;
}

/** A copy of `values` in shared memory. */
function copyToShared<T extends Uint32Array | Float32Array>(values: T): T {
  const copy = new (values.constructor as new (buffer: SharedArrayBuffer) => T)(
    new SharedArrayBuffer(values.byteLength),
  );
  copy.set(values);
  return copy;
}
