/** One benchmark figure, printed as the JSON line ARCHITECTURE.md specifies. */
export interface BenchFigure {
  bench: string;
  value: number;
  unit: string;
  /** The peer or floor measured in the same run. */
  baseline: number;
  /** value / baseline, for throughput the fraction of the floor reached. */
  ratio: number;
  [extra: string]: unknown;
}

/** Prints one figure as a JSON line on stdout. */
export function report(figure: BenchFigure): void {
  process.stdout.write(`${JSON.stringify({ ...figure, ratio: Number(figure.ratio.toFixed(3)) })}\n`);
}

/** Runs `fn` and returns its duration in seconds. */
export async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
}
