import { NonRetryableError } from '../../internal/errors.js';
import { type ChartOptions, escapeXml, legendSvg, seriesColor, svgDocument, titleSvg } from './svgPlot.js';

/** A node of a drawn graph. */
export interface GraphNode {
  id: string;
  /** Text beside the node (default: none); the full id shows as its tooltip. */
  label?: string;
  /** Nodes of a group share a colour and a legend entry. */
  group?: string;
  /** Place the node in the middle instead of on the outer circle (hubs: a funder, a collector). */
  central?: boolean;
}

/** A directed edge between two nodes' ids; `weight` (default 1) sets its width. */
export interface GraphEdge {
  source: string;
  target: string;
  weight?: number;
}

/** Options of {@link buildGraphSvg}. */
export interface GraphOptions extends Pick<ChartOptions, 'title' | 'width' | 'height'> {
  /** Node radius in pixels (default 7). */
  nodeRadius?: number;
  /** The groups in legend order, which fixes their colours across drawings (default: in order of appearance). */
  groups?: readonly string[];
}

/**
 * A small graph without a force layout: the nodes on a circle in the order given, the central ones on a small
 * inner circle (or at the centre when alone), directed edges as arrows whose width grows with the log of their
 * weight, colours and a legend by group. Meant for tens of nodes, e.g. one sybil cluster.
 */
export function buildGraphSvg(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  options: GraphOptions = {},
): string {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const radius = options.nodeRadius ?? 7;
  const named = [...new Set([...(options.groups ?? []), ...nodes.map((node) => node.group ?? '')])].filter(
    (group) => group !== '',
  );
  const legendRoom = named.length ? Math.min(220, 28 + 7 * Math.max(...named.map((g) => g.length))) : 0;
  const top = options.title ? 36 : 12;
  const cx = (width - legendRoom) / 2;
  const cy = top + (height - top) / 2;
  const outer = Math.max(10, Math.min(cx, (height - top) / 2) - radius - 28);
  const ring = nodes.filter((node) => !node.central);
  const hubs = nodes.filter((node) => node.central);
  const place = new Map<string, { x: number; y: number; angle: number }>();
  const onCircle = (list: readonly GraphNode[], r: number) =>
    list.forEach((node, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / list.length;
      place.set(node.id, { x: cx + r * Math.cos(angle), y: cy + r * Math.sin(angle), angle });
    });
  onCircle(ring, outer);
  onCircle(hubs, hubs.length === 1 ? 0 : outer * 0.35);
  if (place.size !== nodes.length) {
    throw new NonRetryableError('A graph to draw has two nodes with the same id', {
      code: 'CHART_INVALID',
      details: 'Expected every node id once.',
    });
  }
  const parts: string[] = [
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" ' +
      'markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0L10,5L0,10z" fill="#888"/></marker></defs>',
  ];
  for (const edge of edges) {
    const from = place.get(edge.source);
    const to = place.get(edge.target);
    if (!from || !to) {
      throw new NonRetryableError(`An edge of a graph to draw names an unknown node`, {
        code: 'CHART_INVALID',
        details: `Edge ${edge.source} → ${edge.target}: expected both ends among the nodes.`,
      });
    }
    if (edge.source === edge.target) continue;
    // Stop the line at the target's rim, so the arrowhead shows.
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const length = Math.hypot(dx, dy) || 1;
    const x2 = to.x - (dx / length) * (radius + 2);
    const y2 = to.y - (dy / length) * (radius + 2);
    const strokeWidth = 1 + Math.log2(Math.max(1, edge.weight ?? 1));
    parts.push(
      `<line x1="${from.x.toFixed(1)}" y1="${from.y.toFixed(1)}" x2="${x2.toFixed(1)}" y2="${y2.toFixed(1)}" ` +
        `stroke="#888" stroke-opacity="0.6" stroke-width="${strokeWidth.toFixed(1)}" marker-end="url(#arrow)"/>`,
    );
  }
  for (const node of nodes) {
    const { x, y, angle } = place.get(node.id)!;
    const color = node.group ? seriesColor(named.indexOf(node.group)) : '#777';
    parts.push(
      `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${radius}" fill="${color}" stroke="#fff">` +
        `<title>${escapeXml(node.id)}</title></circle>`,
    );
    if (node.label) {
      // Outer labels point away from the centre; a hub's label sits below it.
      const outward = !node.central;
      const lx = outward ? x + Math.cos(angle) * (radius + 4) : x;
      const ly = outward ? y + Math.sin(angle) * (radius + 4) : y + radius + 12;
      const anchor =
        !outward || Math.abs(Math.cos(angle)) < 0.3 ? 'middle' : Math.cos(angle) > 0 ? 'start' : 'end';
      const baseline =
        outward && Math.sin(angle) < -0.3 ? 'auto' : outward && Math.sin(angle) > 0.3 ? 'hanging' : 'middle';
      parts.push(
        `<text x="${lx.toFixed(1)}" y="${ly.toFixed(1)}" text-anchor="${anchor}" dominant-baseline="${baseline}">` +
          `${escapeXml(node.label)}</text>`,
      );
    }
  }
  if (options.title) parts.push(titleSvg(options.title, width));
  parts.push(
    legendSvg(
      named.map((name, i) => ({ name, color: seriesColor(i) })),
      width - legendRoom + 8,
      top,
    ),
  );
  return svgDocument(width, height, parts.join(''), options.title);
}
