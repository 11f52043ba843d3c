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

/** Options of {@link buildLineChartSvg}. */
export interface LineChartOptions extends ChartOptions {
  /** x values are unix seconds: label the ticks as UTC dates and times (default false). */
  timeX?: boolean;
  /** Mark every point with a dot (default: only when a series has at most 40 points). */
  dots?: boolean;
  /** A horizontal reference line at this y (e.g. 0 for P&L). */
  referenceY?: number;
}

/** Several series as lines over a shared x axis (points sorted by x; non-finite points left out), with a legend. */
export function buildLineChartSvg(series: readonly ChartSeries[], options: LineChartOptions = {}): string {
  const clean = toPlottedSeries(series).map((s) => ({ ...s, points: s.points.sort((a, b) => a[0] - b[0]) }));
  const xs = clean.flatMap((s) => s.points.map((p) => p[0]));
  const ys = clean.flatMap((s) => s.points.map((p) => p[1]));
  if (options.referenceY !== undefined) ys.push(options.referenceY);
  // A legend only for several series.
  const legendEntries = clean.length > 1 ? clean.map(({ name, color }) => ({ name, color })) : [];
  const frame = buildPlotFrame(options, {
    xDomain: finiteExtent(xs),
    yDomain: finiteExtent(ys),
    legendWidth: legendWidth(legendEntries.map((entry) => entry.name)),
    timeX: options.timeX ?? false,
  });
  const parts: string[] = [];
  if (options.referenceY !== undefined) {
    const y = frame.y(options.referenceY).toFixed(1);
    parts.push(
      `<line x1="${frame.left}" x2="${frame.right}" y1="${y}" y2="${y}" stroke="#999" stroke-dasharray="4 3"/>`,
    );
  }
  clean.forEach((s) => {
    if (s.points.length === 0) return;
    const { color } = s;
    const d = s.points
      .map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${frame.x(x).toFixed(1)},${frame.y(y).toFixed(1)}`)
      .join('');
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    if (options.dots ?? s.points.length <= 40) {
      for (const [x, y] of s.points) {
        parts.push(
          `<circle cx="${frame.x(x).toFixed(1)}" cy="${frame.y(y).toFixed(1)}" r="2.5" fill="${color}"/>`,
        );
      }
    }
  });
  const legend = legendSvg(legendEntries, frame.right + 12, frame.top);
  return svgDocument(frame.width, frame.height, frame.svg + parts.join('') + legend, options.title);
}
