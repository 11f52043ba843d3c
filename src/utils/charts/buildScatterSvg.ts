import {
  buildPlotFrame,
  type ChartOptions,
  type ChartSeries,
  finiteExtent,
  legendSvg,
  legendWidth,
  svgDocument,
  toPlottedSeries,
} from './svgPlot.js';

/** Options of {@link buildScatterSvg}. */
export interface ScatterOptions extends ChartOptions {
  /** Draw the y = x line, for predicted-against-actual plots (default false). */
  diagonal?: boolean;
  /** Dot radius in pixels (default 3). */
  radius?: number;
}

/** Several series of points as dots (non-finite points left out), with a legend and optionally the y = x line. */
export function buildScatterSvg(series: readonly ChartSeries[], options: ScatterOptions = {}): string {
  const clean = toPlottedSeries(series);
  const xs = clean.flatMap((s) => s.points.map((p) => p[0]));
  const ys = clean.flatMap((s) => s.points.map((p) => p[1]));
  // With the diagonal both axes cover the same values, so the y = x line spans the data on both.
  const shared = options.diagonal ? finiteExtent([...xs, ...ys]) : undefined;
  // A legend only for several series.
  const legendEntries = clean.length > 1 ? clean.map(({ name, color }) => ({ name, color })) : [];
  const frame = buildPlotFrame(options, {
    xDomain: shared ?? finiteExtent(xs),
    yDomain: shared ?? finiteExtent(ys),
    legendWidth: legendWidth(legendEntries.map((entry) => entry.name)),
  });
  const parts: string[] = [];
  if (shared) {
    const [lo, hi] = shared;
    parts.push(
      `<line x1="${frame.x(lo).toFixed(1)}" y1="${frame.y(lo).toFixed(1)}" x2="${frame.x(hi).toFixed(1)}" ` +
        `y2="${frame.y(hi).toFixed(1)}" stroke="#999" stroke-dasharray="4 3"/>`,
    );
  }
  const radius = options.radius ?? 3;
  clean.forEach((s) => {
    for (const [x, y] of s.points) {
      parts.push(
        `<circle cx="${frame.x(x).toFixed(1)}" cy="${frame.y(y).toFixed(1)}" r="${radius}" ` +
          `fill="${s.color}" fill-opacity="0.7"/>`,
      );
    }
  });
  const legend = legendSvg(legendEntries, frame.right + 12, frame.top);
  return svgDocument(frame.width, frame.height, frame.svg + parts.join('') + legend, options.title);
}
