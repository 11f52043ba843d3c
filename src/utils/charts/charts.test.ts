import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildGraphSvg } from './buildGraphSvg.js';
import { buildHistogramSvg, computeHistogram } from './buildHistogramSvg.js';
import { buildHtmlTable } from './buildHtmlTable.js';
import { buildLineChartSvg } from './buildLineChartSvg.js';
import { buildScatterSvg } from './buildScatterSvg.js';
import { escapeXml, formatTick, niceTicks, niceTimeTicks } from './svgPlot.js';

type Element = Record<string, unknown>;

/** Parses `svg` (failing on malformed XML) and returns its root element. */
function parseSvg(svg: string): Element {
  expect(XMLValidator.validate(svg)).toBe(true);
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
  }).parse(svg) as Element;
  const root = parsed.svg as Element;
  expect(root['@xmlns']).toBe('http://www.w3.org/2000/svg');
  return root;
}

/** The elements called `tag` directly under `root` (the parser gives one as an object, several as an array). */
function children(root: Element, tag: string): Element[] {
  const value = root[tag];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]) as Element[];
}

/** Every text the SVG shows. */
function texts(root: Element): string[] {
  return children(root, 'text').map((t) => String(typeof t === 'object' ? t['#text'] : t));
}

describe('niceTicks and formatTick', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks(0.03, 0.97, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-13, 42, 5)).toEqual([-20, 0, 20, 40, 60]);
    expect(niceTimeTicks(1_704_067_300, 1_704_067_200 + 5 * 3600, 5)).toEqual(
      [0, 1, 2, 3, 4, 5].map((h) => 1_704_067_200 + h * 3600),
    );
    expect(niceTicks(5, 5)).toEqual([5]);
  });

  it('prints large and tiny numbers compactly', () => {
    expect(formatTick(12_500)).toBe('12.5k');
    expect(formatTick(3_400_000)).toBe('3.4M');
    expect(formatTick(0.30000000000000004)).toBe('0.3');
    expect(formatTick(0.00012)).toBe('1.2e-4');
  });

  it('escapes XML', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});

describe('computeHistogram', () => {
  it('counts values in equal bins, the last one closed, and leaves out the rest', () => {
    const { edges, counts } = computeHistogram([0, 0.1, 0.5, 0.99, 1, 1.5, Number.NaN], 4, [0, 1]);
    expect(edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(counts).toEqual([2, 0, 1, 2]);
  });

  it('refuses zero bins and an empty range', () => {
    expect(() => computeHistogram([1], 0)).toThrow(/bins 0/);
    expect(() => computeHistogram([1], 3, [1, 1])).toThrow(/range/);
  });
});

describe('buildHistogramSvg', () => {
  it('draws one bar per bin, with the title and labels', () => {
    const svg = parseSvg(
      buildHistogramSvg([0.1, 0.2, 0.2, 0.9], { bins: 5, title: 'Risk <scores>', xLabel: 'score' }),
    );
    expect(children(svg, 'rect')).toHaveLength(1 + 5); // the background, then the bars
    expect(svg.title).toBe('Risk <scores>');
    expect(texts(svg)).toContain('score');
  });

  it('overlays several series with a legend and, normalised, bars of each series summing to one', () => {
    const raw = buildHistogramSvg(
      [
        { name: 'malicious', values: [0.8, 0.9] },
        { name: 'other', values: [0.1, 0.2, 0.3, 0.95] },
      ],
      { bins: 4, range: [0, 1], normalize: true },
    );
    const svg = parseSvg(raw);
    // background + 2 × 4 bars + 2 legend swatches
    expect(children(svg, 'rect')).toHaveLength(1 + 8 + 2);
    expect(texts(svg)).toEqual(expect.arrayContaining(['malicious', 'other', 'share']));
    const heights = children(svg, 'rect')
      .slice(1, 5)
      .map((r) => Number(r['@height']));
    const plotHeight = Math.max(...heights); // the malicious bin holding both values: the tallest bar
    expect(heights.filter((h) => h > 0)).toEqual([plotHeight]);
  });

  it('draws an empty chart for no values instead of failing', () => {
    expect(() => parseSvg(buildHistogramSvg([]))).not.toThrow();
  });
});

describe('buildLineChartSvg', () => {
  it('draws a path per series through its points in x order, with a legend and time ticks', () => {
    const day = 1_704_067_200; // 2024-01-01T00:00:00Z
    const raw = buildLineChartSvg(
      [
        {
          name: 'tcn',
          points: [
            [day + 7200, 2],
            [day, 0],
            [day + 3600, 1],
          ],
        },
        {
          name: 'buy & hold',
          points: [
            [day, 1],
            [day + 3600, Number.NaN],
            [day + 7200, -1],
          ],
        },
      ],
      { timeX: true, referenceY: 0, title: 'P&L' },
    );
    const svg = parseSvg(raw);
    const paths = children(svg, 'path');
    expect(paths).toHaveLength(2);
    const xs = (paths[0]!['@d'] as string)
      .split(/[ML]/)
      .filter(Boolean)
      .map((p) => Number(p.split(',')[0]));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    expect((paths[1]!['@d'] as string).match(/[ML]/g)).toHaveLength(2); // the NaN point left out
    expect(texts(svg)).toEqual(expect.arrayContaining(['tcn', 'buy & hold', '01-01 00:00']));
    expect(raw).toContain('P&amp;L');
  });

  it('keeps a colour given to a series', () => {
    const svg = parseSvg(
      buildLineChartSvg([
        {
          name: 'actual',
          points: [
            [0, 1],
            [1, 2],
          ],
          color: '#123456',
        },
        {
          name: 'tcn',
          points: [
            [0, 1],
            [1, 3],
          ],
        },
      ]),
    );
    expect(children(svg, 'path').map((p) => p['@stroke'])).toEqual(['#123456', '#f28e2b']);
    expect(children(svg, 'rect').map((r) => r['@fill'])).toContain('#123456'); // its legend swatch
  });
});

describe('buildScatterSvg', () => {
  it('draws a dot per finite point and the y = x line', () => {
    const svg = parseSvg(
      buildScatterSvg(
        [
          {
            name: 'tcn',
            points: [
              [0.1, 0.2],
              [-0.1, 0.05],
              [Number.POSITIVE_INFINITY, 1],
            ],
          },
        ],
        { diagonal: true },
      ),
    );
    expect(children(svg, 'circle')).toHaveLength(2);
    const dashed = children(svg, 'line').filter((l) => l['@stroke-dasharray']);
    expect(dashed).toHaveLength(1);
  });
});

describe('buildGraphSvg', () => {
  const members = ['0xa', '0xb', '0xc', '0xd'].map((id) => ({ id, label: id, group: 'member' }));
  const funder = { id: '0xf', label: 'funder', group: 'funder', central: true };

  it('places the ring on a circle and a lone hub in the middle, with an arrow per edge and a legend', () => {
    const raw = buildGraphSvg(
      [...members, funder],
      [...members.map((m) => ({ source: '0xf', target: m.id })), { source: '0xa', target: '0xb', weight: 8 }],
    );
    const svg = parseSvg(raw);
    const circles = children(svg, 'circle');
    expect(circles).toHaveLength(5);
    const centre = { x: Number(circles[4]!['@cx']), y: Number(circles[4]!['@cy']) };
    const distances = circles
      .slice(0, 4)
      .map((c) => Math.hypot(Number(c['@cx']) - centre.x, Number(c['@cy']) - centre.y));
    for (const d of distances) expect(d).toBeCloseTo(distances[0]!, 0);
    expect(distances[0]).toBeGreaterThan(50);
    const lines = children(svg, 'line');
    expect(lines).toHaveLength(5);
    expect(Number(lines[4]!['@stroke-width'])).toBeGreaterThan(Number(lines[0]!['@stroke-width']));
    expect(texts(svg)).toEqual(expect.arrayContaining(['member', 'funder', '0xa']));
  });

  it('keeps the colours of the groups given, whichever nodes a drawing has', () => {
    const groups = ['funder', 'member'];
    const fill = (svg: string) => children(parseSvg(svg), 'circle')[0]!['@fill'];
    expect(fill(buildGraphSvg(members, [], { groups }))).toBe(
      fill(buildGraphSvg([funder], [], { groups: ['member'] })),
    );
    expect(fill(buildGraphSvg(members, [], { groups }))).not.toBe(fill(buildGraphSvg(members, [])));
  });

  it('refuses an edge to a node it does not have, and a repeated id', () => {
    expect(() => buildGraphSvg(members, [{ source: '0xa', target: '0xz' }])).toThrow(/unknown node/);
    expect(() => buildGraphSvg([...members, members[0]!], [])).toThrow(/same id/);
  });
});

describe('buildHtmlTable', () => {
  it('renders columns in order, escapes values, aligns numbers and says how many rows were left out', () => {
    const html = buildHtmlTable(
      [
        { address: '<0xa>', score: 0.123456, reasons: ['a', 'b & c'], n: 3n },
        { address: '0xb', score: '17', reasons: [], n: null },
        { address: '0xc', score: 0.5, reasons: [], n: 1n },
      ],
      { columns: ['address', 'score', 'reasons'], maxRows: 2, caption: 'top' },
    );
    expect(html).toContain('<thead><tr><th>address</th><th>score</th><th>reasons</th></tr></thead>');
    expect(html).toContain(
      '<td>&lt;0xa&gt;</td><td style="text-align:right">0.1235</td><td>a<br>b &amp; c</td>',
    );
    expect(html).toContain('<td>0xb</td><td style="text-align:right">17</td><td></td>');
    expect(html).not.toContain('0xc');
    expect(html).toContain('1 more rows');
    expect(XMLValidator.validate(`<div>${html.replace(/<br>/g, '<br/>')}</div>`)).toBe(true);
  });
});
