// Runs the chaingnn CLI in this process (`node --import tsx test/bench/recordPeakMemory.ts <command> ...`,
// as src/cli/bin.mjs does) and, on exit, writes its peak memory as JSON to the file BENCH_MEMORY_FILE names:
// the peak RSS the kernel counted (every thread, the embedded ClickHouse engine's too), and the peaks of
// V8's heap and of off-heap JavaScript memory sampled every 100 ms, to tell JavaScript growth from the engine's.
// The peak RSS is Linux's VmHWM, not getrusage's maxRSS: a child's maxRSS starts at its parent's RSS when it
// was forked (a benchmark holding a 100k-block devnet has GBs), which would hide the child's own peak.
import { readFileSync, writeFileSync } from 'node:fs';

/** What the file holds, in bytes. */
export interface PeakMemory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

const file = process.env.BENCH_MEMORY_FILE;
if (!file) throw new Error('Set BENCH_MEMORY_FILE to the file that receives the peak memory');
const peaks: PeakMemory = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0 };

/** Raises each peak to the current value. */
function sample(): void {
  const usage = process.memoryUsage();
  for (const key of Object.keys(peaks) as (keyof PeakMemory)[]) peaks[key] = Math.max(peaks[key], usage[key]);
}

/** The peak RSS of this process in bytes (VmHWM, which unlike the samples misses no short spike). */
function readPeakRss(): number {
  const kib = /^VmHWM:\s*(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  if (!kib) throw new Error('No VmHWM in /proc/self/status: peak RSS is measured on Linux only');
  return Number(kib) * 1024;
}

setInterval(sample, 100).unref();
process.on('exit', () => {
  sample();
  writeFileSync(file, JSON.stringify({ ...peaks, rss: readPeakRss() }));
});
await import('../../src/cli/main.js');
