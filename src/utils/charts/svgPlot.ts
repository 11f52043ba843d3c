// Shared pieces of the notebook charts: scales, "nice" ticks, axes, legend and the SVG document. The charts are
// plain SVG strings (no script, no styles from outside), so they render in any Jupyter front end, in nbconvert's
// HTML and on GitHub, as image/svg+xml or inside HTML.

/** What every chart takes: a title, axis labels and its size in pixels. */
export interface ChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Width in pixels (default 640). */
  width?: number;
  /** Height in pixels (default 360). */
  height?: number;
}

/** A named series of (x, y) points; points with a non-finite coordinate are left out. */
export interface ChartSeries {
  name: string;
  points: readonly (readonly [number, number])[];
  /** Its colour (default: the palette's colour for its position), to keep a series' colour across charts. */
  color?: string;
}

/** Colours of the series and groups, in order (Tableau 10): the i-th series gets the i-th, cycling. */
export const chartPalette = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;

/** The colour of the `index`-th series. */
export function seriesColor(index: number): string {
  return chartPalette[index % chartPalette.length]!;
}

/** Each series with its colour settled (given, else the palette's for its position) and its non-finite points left out. */
export function toPlottedSeries(series: readonly ChartSeries[]) {
  return series.map((s, i) => ({
    name: s.name,
    color: s.color ?? seriesColor(i),
    points: s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)),
  }));
}

/** `text` with the five XML special characters escaped (safe in SVG/HTML text and attribute values). */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
}

/** Smallest and largest finite value; a lone value (or none) is widened to a unit interval around it. */
export function finiteExtent(values: Iterable<number>): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (min > max) return [0, 1];
  if (min === max) return [min - 0.5, max + 0.5];
  return [min, max];
}

/** About `count` evenly spaced round tick values (1, 2 or 5 × 10^k apart) from at or below `min` to at or above `max`. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const span = max - min;
  if (!(span > 0) || !Number.isFinite(span)) return [min];
  const rough = span / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  // Rounded to the step's precision, so 0.1 + 0.2 prints as 0.3.
  const digits = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  for (let i = first; i <= last; i += 1) ticks.push(Number((i * step).toFixed(digits)));
  return ticks;
}

const timeSteps = [
  60,
  300,
  900,
  1800,
  3600,
  2 * 3600,
  6 * 3600,
  12 * 3600,
  86_400,
  2 * 86_400,
  7 * 86_400,
  30 * 86_400,
];

/** About `count` tick values for unix seconds, on whole minutes, hours or days (UTC) covering [`min`, `max`]. */
export function niceTimeTicks(min: number, max: number, count = 5): number[] {
  const span = max - min;
  if (!(span > 0) || !Number.isFinite(span)) return [min];
  const rough = span / Math.max(1, count);
  const step = timeSteps.find((s) => s >= rough) ?? Math.ceil(rough / (365 * 86_400)) * 365 * 86_400;
  const ticks: number[] = [];
  for (let t = Math.floor(min / step) * step; t < max + step; t += step) ticks.push(t);
  return ticks;
}

/** A tick label: compact for large numbers (12k, 3.4M), up to 4 significant digits otherwise. */
export function formatTick(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${Number((value / 1e9).toPrecision(3))}G`;
  if (abs >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (abs >= 1e4) return `${Number((value / 1e3).toPrecision(3))}k`;
  if (abs !== 0 && abs < 1e-3) return value.toExponential(1);
  return String(Number(value.toPrecision(4)));
}

/** A tick label for unix seconds: `MM-DD HH:MM` in UTC. */
export function formatTimeTick(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(5, 16).replace('T', ' ');
}

/** A linear map from `domain` to the pixel `range` (a zero-width domain maps to the range's middle). */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return (value: number) => (span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0));
}

/** The plotting area of a chart with axes: where it is, its scales, and the SVG of its axes, grid and labels. */
export interface PlotFrame {
  width: number;
  height: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
  x: (value: number) => number;
  y: (value: number) => number;
  /** Grid, axes, tick labels, axis labels and title. */
  svg: string;
}

/** How {@link buildPlotFrame} draws the axes. */
export interface FrameAxes {
  /** Domain of x, widened to round ticks unless `exactX`. */
  xDomain: readonly [number, number];
  yDomain: readonly [number, number];
  /** Keep the x domain as given (e.g. a histogram's bin edges). */
  exactX?: boolean;
  /** x values are unix seconds: ticks on whole hours or days, labelled as UTC dates and times. */
  timeX?: boolean;
  /** Room on the right for a legend, in pixels (default 0). */
  legendWidth?: number;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** Lays out a chart with axes: margins, scales over round ticks, grid lines, tick and axis labels, title. */
export function buildPlotFrame(options: ChartOptions, axes: FrameAxes): PlotFrame {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const left = 64;
  const top = options.title ? 36 : 16;
  const right = width - 16 - (axes.legendWidth ?? 0);
  const bottom = height - (options.xLabel ? 48 : 32);
  const xCount = Math.max(2, Math.floor((right - left) / 90));
  const xTicks = (axes.timeX ? niceTimeTicks : niceTicks)(axes.xDomain[0], axes.xDomain[1], xCount);
  const yTicks = niceTicks(axes.yDomain[0], axes.yDomain[1], Math.max(2, Math.floor((bottom - top) / 50)));
  const xDomain: [number, number] = axes.exactX
    ? [axes.xDomain[0], axes.xDomain[1]]
    : [xTicks[0]!, xTicks[xTicks.length - 1]!];
  const yDomain: [number, number] = [yTicks[0]!, yTicks[yTicks.length - 1]!];
  const x = linearScale(xDomain, [left, right]);
  const y = linearScale(yDomain, [bottom, top]);
  const formatX = axes.timeX ? formatTimeTick : formatTick;
  const formatY = formatTick;
  const parts: string[] = [];
  for (const tick of yTicks) {
    const py = round(y(tick));
    parts.push(`<line x1="${left}" x2="${right}" y1="${py}" y2="${py}" stroke="#e5e5e5"/>`);
    parts.push(
      `<text x="${left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">${escapeXml(formatY(tick))}</text>`,
    );
  }
  for (const tick of xTicks) {
    if (tick < xDomain[0] || tick > xDomain[1]) continue;
    const px = round(x(tick));
    parts.push(`<line x1="${px}" x2="${px}" y1="${bottom}" y2="${bottom + 4}" stroke="#666"/>`);
    parts.push(`<text x="${px}" y="${bottom + 16}" text-anchor="middle">${escapeXml(formatX(tick))}</text>`);
  }
  parts.push(`<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" stroke="#666"/>`);
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${bottom}" stroke="#666"/>`);
  if (options.title) parts.push(titleSvg(options.title, width));
  if (options.xLabel) {
    parts.push(
      `<text x="${round((left + right) / 2)}" y="${height - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
    );
  }
  if (options.yLabel) {
    const cy = round((top + bottom) / 2);
    parts.push(
      `<text x="14" y="${cy}" text-anchor="middle" transform="rotate(-90 14 ${cy})">${escapeXml(options.yLabel)}</text>`,
    );
  }
  return { width, height, left, top, right, bottom, x, y, svg: parts.join('') };
}

/** The chart's title, centred at the top. */
export function titleSvg(title: string, width: number): string {
  return `<text x="${round(width / 2)}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`;
}

/** Room a legend of `names` needs on the right, in pixels (0 for one name or none). */
export function legendWidth(names: readonly string[]): number {
  if (names.length < 2) return 0;
  return Math.min(220, 28 + 7 * Math.max(...names.map((name) => name.length)));
}

/** A legend: one coloured swatch and name per entry, stacked from (`x`, `y`). */
export function legendSvg(entries: readonly { name: string; color: string }[], x: number, y: number): string {
  return entries
    .map(
      ({ name, color }, i) =>
        `<rect x="${x}" y="${y + i * 18}" width="12" height="12" fill="${color}"/>` +
        `<text x="${x + 18}" y="${y + i * 18 + 6}" dominant-baseline="middle">${escapeXml(name)}</text>`,
    )
    .join('');
}

/** A standalone SVG document (with its namespace, so it renders as image/svg+xml too) around `body`. */
export function svgDocument(width: number, height: number, body: string, title?: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="sans-serif" font-size="11" role="img">` +
    (title ? `<title>${escapeXml(title)}</title>` : '') +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>${body}</svg>`
  );
}
