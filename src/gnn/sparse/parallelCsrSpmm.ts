import { Worker } from 'node:worker_threads';
import { type CsrSpmmInput, csrSpmm } from './csrSpmm.js';

/** Below this many multiply-adds (slots × width) a product runs in-thread: sharing it costs more than it saves. */
const minimumWork = 2 ** 22;
/** The calling thread's share of the slots: under half, as it also copies x out and the helper's rows back. */
const callerShare = 0.45;
/** How long the caller waits for the helper's rows before computing them itself. */
const helperTimeoutMs = 60_000;
/** How long the first large product waits for the new helper to listen (it takes tens of milliseconds). */
const helperStartMs = 10_000;

/**
 * The helper thread: its own copy of csrSpmm (from its source, so it needs no module loader) runs the rows it is sent
 * on shared buffers, then sets `done` to 1 (2 when it failed). It sets `ready` once it listens.
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
`;

/** A started helper thread, its flags and the shared copies it reads. */
interface Helper {
  worker: Worker;
  ready: Int32Array;
  done: Int32Array;
  /** Shared copies of CSR arrays, which never change once built. */
  csr: WeakMap<Uint32Array, Uint32Array>;
  /** Scratch buffers for x and the helper's rows, grown as needed. */
  scratch: { x: Float32Array; out: Float32Array };
  /** Set when the helper failed or timed out: every product runs in-thread from then on. */
  broken: boolean;
}

/**
 * The process's helper thread, process-wide like the tfjs engine whose ops it serves: started by the first product
 * large enough to share (none until then), which waits for it to listen, and unref'd, so it never keeps the
 * process alive.
 */
let helper: Helper | undefined;

/**
 * {@link csrSpmm} with the rows split between the calling thread and a helper thread (the second core), for products
 * without per-slot weights of at least 2^22 multiply-adds; others run in-thread, as does everything once the helper
 * has failed. The helper reads shared copies of the CSR arrays (made once per array) and of x (made per call),
 * and each row is summed by the same code in the same order either way: the results are identical. Returns whether
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
  const sharedX = scratch(ready, 'x', x.length);
  sharedX.set(x);
  const job: CsrSpmmInput = {
    offsets: shareCsr(ready, offsets).subarray(split),
    gather: shareCsr(ready, gather),
    x: sharedX,
    width,
    out: scratch(ready, 'out', (rows - split) * width),
    rowScale: rowScale === undefined ? undefined : copyToShared(rowScale.subarray(split)),
    gatherScale: gatherScale === undefined ? undefined : copyToShared(gatherScale),
  };
  Atomics.store(ready.done, 0, 0);
  ready.worker.postMessage({ ...job, done: ready.done });
  csrSpmm({ ...input, offsets: offsets.subarray(0, split + 1), rowScale: rowScale?.subarray(0, split) });
  // Should the helper fail, its rows are computed here from the same shared copies.
  if (!awaitHelper(ready)) csrSpmm(job);
  out.set(job.out, split * width);
  return true;
}

/** The helper, started and waited for on first use; undefined once it has failed (or never started listening). */
function readyHelper(): Helper | undefined {
  if (helper === undefined) {
    const ready = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(helperSource, { eval: true, execArgv: [], workerData: { ready } });
    worker.unref();
    helper = {
      worker,
      ready,
      done: new Int32Array(new SharedArrayBuffer(4)),
      csr: new WeakMap(),
      scratch: { x: new Float32Array(0), out: new Float32Array(0) },
      broken: false,
    };
    const current = helper;
    worker.on('error', () => {
      current.broken = true;
    });
    // The worker starts on its own thread: blocking this one while it does is safe.
    Atomics.wait(ready, 0, 0, helperStartMs);
    if (Atomics.load(ready, 0) !== 1) {
      helper.broken = true;
      void worker.terminate();
    }
  }
  return helper.broken ? undefined : helper;
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
