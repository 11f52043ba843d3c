import { NonRetryableError } from '../../internal/errors.js';
import {
  buildPlotFrame,
  type ChartOptions,
  finiteExtent,
  legendSvg,
  legendWidth,
  seriesColor,
  svgDocument,
} from './svgPlot.js';

/** Equal-width bins: `edges` has one more entry than `counts`. */
export interface HistogramBins {
  edges: number[];
  counts: number[];
}

/** A named set of values, one histogram of several. */
export interface HistogramSeries {
  name: string;
  values: readonly number[];
  /** Its colour (default: the palette's colour for its position). */
  color?: string;
}

/** Options of {@link buildHistogramSvg}. */
export interface HistogramOptions extends ChartOptions {
  /** Number of bins (default 20). */
  bins?: number;
  /** Range the bins cover (default: the finite values' extent over all series). */
  range?: readonly [number, number];
  /** Bar heights as each series' share of its values, so series of different sizes compare (default: counts). */
  normalize?: boolean;
}

/**
 * Counts `values` in `bins` equal-width bins over `range` (default: their extent); the last bin holds its upper
 * edge. Values outside the range, and values that are not finite, are left out.
 */
export function computeHistogram(
  values: readonly number[],
  bins: number,
  range: readonly [number, number] = finiteExtent(values),
): HistogramBins {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new NonRetryableError(`Invalid histogram bins ${bins}`, {
      code: 'CHART_INVALID',
      details: 'Expected a whole number of bins, at least 1.',
    });
  }
  const [min, max] = range;
  if (!(Number.isFinite(min) && Number.isFinite(max) && max > min)) {
    throw new NonRetryableError(`Invalid histogram range [${min}, ${max}]`, {
      code: 'CHART_INVALID',
      details: 'Expected two finite numbers, the first below the second.',
    });
  }
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (const value of values) {
    if (!Number.isFinite(value) || value < min || value > max) continue;
    const bin = Math.min(bins - 1, Math.floor((value - min) / width));
    counts[bin]! += 1;
  }
  return { edges, counts };
}

/** A histogram as SVG: one set of bars, or several series overlaid (semi-transparent, with a legend). */
export function buildHistogramSvg(
  data: readonly number[] | readonly HistogramSeries[],
  options: HistogramOptions = {},
): string {
  const series: readonly HistogramSeries[] =
    data.length > 0 && typeof data[0] === 'number'
      ? [{ name: options.yLabel ?? 'count', values: data as readonly number[] }]
      : (data as readonly HistogramSeries[]);
  const bins = options.bins ?? 20;
  const range = options.range ?? finiteExtent(series.flatMap((s) => s.values));
  const histograms = series.map((s) => {
    const { edges, counts } = computeHistogram(s.values, bins, range);
    const total = counts.reduce((sum, count) => sum + count, 0);
    return { edges, heights: options.normalize ? counts.map((c) => (total ? c / total : 0)) : counts };
  });
  const tallest = Math.max(1e-9, ...histograms.flatMap((h) => h.heights));
  const names = series.length > 1 ? series.map((s) => s.name) : [];
  const frame = buildPlotFrame(
    { yLabel: options.normalize ? 'share' : 'count', ...options },
    {
      xDomain: range,
      yDomain: [0, options.normalize ? tallest : Math.max(1, tallest)],
      exactX: true,
      legendWidth: legendWidth(names),
    },
  );
  const opacity = series.length > 1 ? 0.55 : 0.85;
  const bars = histograms.flatMap(({ edges, heights }, s) =>
    heights.map((height, i) => {
      const x0 = frame.x(edges[i]!);
      const x1 = frame.x(edges[i + 1]!);
      const y = frame.y(height);
      return (
        `<rect x="${x0.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0, x1 - x0 - 1).toFixed(1)}" ` +
        `height="${(frame.bottom - y).toFixed(1)}" fill="${series[s]!.color ?? seriesColor(s)}" fill-opacity="${opacity}"/>`
      );
    }),
  );
  const legend = legendSvg(
    names.map((name, i) => ({ name, color: series[i]!.color ?? seriesColor(i) })),
    frame.right + 12,
    frame.top,
  );
  return svgDocument(frame.width, frame.height, frame.svg + bars.join('') + legend, options.title);
}
