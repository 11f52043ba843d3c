import * as tf from '@tensorflow/tfjs';
import type { NodeModel } from '../../gnn/models/NodeModel.js';
import { type SampledBatch, sampleBlocks } from '../../gnn/sampling/sampleBlocks.js';
import { gatherRows } from '../../gnn/sparse/gatherRows.js';
import type { NodeInputs } from '../../gnn/training/NodeDataset.js';
import { toGraphBlock } from '../../gnn/training/toGraphBlock.js';
import type { Normalizer } from '../../graph/fitNormalizer.js';
import { readEdgeValues, type SnapshotContent } from '../../graph/snapshotFile.js';
import { edgeTypes, type GraphSnapshot } from '../../types/graph.js';
import { createRng } from '../../utils/createRng.js';
import type { AddressLabel } from '../../warehouse/getAddressLabels.js';
import { chooseRiskCategory, type NearbyLabels, toRiskCategory } from './chooseRiskCategory.js';
import { type BatchRun, computeOccludedMargin, toMargin } from './computeOccludedMargin.js';
import { describeRiskFeature, formatAmount } from './describeRiskFeature.js';
import { findNodesWithinHops } from './findNodesWithinHops.js';
import { applyPlattScaling } from './fitPlattScaling.js';
import type { RiskModelCard } from './RiskModelCard.js';

/** What an explainer reads: the model and its card, the snapshot (and its file), the model's inputs, the labels. */
export interface RiskExplainerContext {
  model: NodeModel;
  card: RiskModelCard;
  content: SnapshotContent;
  /** The snapshot file: the exact edge values are read from the file beside it. */
  snapshotPath: string;
  /** The model's inputs from the snapshot (buildRiskInputs). */
  inputs: NodeInputs;
  labels: readonly AddressLabel[];
}

/** How many reasons of each kind an explanation gives. */
export interface RiskExplainerOptions {
  /** Features by |gradient × input| (default 3). */
  features?: number;
  /** Neighbours whose removal changes the score most (default 3), of the `occluded` busiest (default 6). */
  neighbours?: number;
  occluded?: number;
  /** How far labelled addresses are looked for (default 2). */
  hops?: number;
}

/** One reason, with the sentence and the figures behind it. */
export type RiskReason =
  | { kind: 'label'; text: string; source: string; category: string; label: string }
  | {
      kind: 'neighbour';
      text: string;
      address: string;
      categories: string[];
      interactions: number;
      scoreWithout: number;
    }
  | { kind: 'feature'; text: string; feature: string; value: number; typical: number; contribution: number }
  | {
      kind: 'nearby';
      text: string;
      category: string;
      addresses: string[];
      direct: number;
      ethReceived: number;
      ethSent: number;
    };

/** An address's calibrated score, most likely category and reasons. */
export interface RiskExplanation {
  address: string;
  /** Calibrated probability of being malicious. */
  score: number;
  /** The model's log-odds before calibration. */
  margin: number;
  category: string;
  reasons: RiskReason[];
}

/** Scores and explains single nodes of one snapshot with one model. */
export interface RiskExplainer {
  explain(node: number): RiskExplanation;
}

/** Labelled addresses are looked for along paths that do not pass through an address with more counterparties. */
export const hubCounterparties = 100;
/** Neighbours removing whom changes the score less than this are not named as reasons. */
const minScoreChange = 0.005;
/** Feature contributions (log-odds) smaller than this are not named as reasons. */
const minContribution = 1e-3;

/**
 * An explainer of risk scores. For a node it runs the model on the node's own receptive field (every in-edge up
 * to the model's depth: exactly the whole-graph output) and gives: its own labels; the neighbours whose removal
 * (every edge between them and the node dropped, one neighbour at a time, among the busiest) moves the calibrated
 * score most; the features with the largest |gradient × input| of the log-odds (the input is the normalized value,
 * 0 for a typical address); and the labelled malicious addresses within `hops`, by category. Deterministic: the
 * same model and snapshot give the same explanation.
 */
export function createRiskExplainer(
  context: RiskExplainerContext,
  options: RiskExplainerOptions = {},
): RiskExplainer {
  const { model, card, content, inputs } = context;
  const limits = { features: 3, neighbours: 3, occluded: 6, hops: 2, ...options };
  const { snapshot, featureNames, rawFeatures } = content;
  const { edges, nodes } = snapshot;
  const numEdges = edges.src.length;
  const { graph } = inputs;
  const channels = inputs.features.channels;
  const layers = model.convs.length;
  const outDegrees = Uint32Array.from(
    { length: graph.numSources },
    (_, v) => graph.bySource.offsets[v + 1]! - graph.bySource.offsets[v]!,
  );
  const edgeFeatures = model.readsEdgeFeatures ? inputs.edgeFeatures : undefined;
  const rng = createRng('createRiskExplainer');
  const labelsOf = new Map<string, AddressLabel[]>();
  for (const label of context.labels) {
    const list = labelsOf.get(label.address) ?? [];
    list.push(label);
    labelsOf.set(label.address, list);
  }
  const malicious = new Set(card.labels.positiveCategories.map(toRiskCategory));
  const normalizer = card.normalization as Normalizer;
  const typical = normalizer.median.map((m) => Math.sign(m) * Math.expm1(Math.abs(m)));
  const constant = new Set(Object.keys(card.constantFeatures));
  const native = edgeTypes.indexOf('native');
  const nativeIds: number[] = [];
  for (let e = 0; e < numEdges; e += 1) if (edges.type[e] === native) nativeIds.push(e);
  const nativeWei = new Map<number, bigint>();
  const totals = readEdgeValues(context.snapshotPath, content, nativeIds);
  for (const [i, e] of nativeIds.entries()) nativeWei.set(e, totals[i]!.total);
  const ether = (e: number) => Number(nativeWei.get(e) ?? 0n) / 1e18;
  const counterparties = countCounterparties(snapshot);
  const passesThrough = (u: number) => counterparties[u]! <= hubCounterparties;

  /** The model's run on a seed's batch: its log-odds, their gradient for the seed's input row, the rows each layer read. */
  const runBatch = (batch: SampledBatch, x: Float32Array): BatchRun & { gradient: Float32Array } => {
    const hidden: Float32Array[] = [x];
    const [margin, gradient] = tf.tidy(() => {
      const blocks = batch.blocks.map((block, l) => toGraphBlock(block, batch.edgeIds[l], edgeFeatures));
      const f = (input: tf.Tensor) => {
        let h = input as tf.Tensor2D;
        for (const [l, block] of blocks.entries()) {
          if (l > 0) hidden.push(h.dataSync().slice() as Float32Array);
          h = model.applyConv(l, block, h, false);
        }
        return toMargin(model.applyHead(h, false));
      };
      const { value, grad } = tf.valueAndGrad(f)(tf.tensor2d(x, [x.length / channels, channels]));
      return [value.dataSync()[0]!, grad.slice([0, 0], [1, channels]).dataSync() as Float32Array];
    });
    const rowOf = new Map(Array.from(batch.inputNodes, (node, row) => [node, row]));
    return { model, batch, hidden, margin, rowOf, gradient, edgeFeatures, numEdges };
  };

  /** The snapshot edges between `v` and each of its neighbours, busiest neighbour first (then by node id). */
  const neighboursOf = (v: number) => {
    const between = new Map<number, { edges: number[]; count: number }>();
    for (const csr of [snapshot.out, snapshot.in]) {
      for (let i = csr.offsets[v]!; i < csr.offsets[v + 1]!; i += 1) {
        const u = csr.targets[i]!;
        if (u === v) continue;
        const entry = between.get(u) ?? { edges: [], count: 0 };
        entry.edges.push(csr.edges[i]!);
        entry.count += edges.count[csr.edges[i]!]!;
        between.set(u, entry);
      }
    }
    return [...between.entries()].sort((a, b) => b[1].count - a[1].count || a[0] - b[0]);
  };

  const describeLabels = (address: string) => {
    const own = labelsOf.get(address) ?? [];
    return own.length === 0
      ? ''
      : ` (labelled ${[...new Set(own.map((l) => l.category))].join(', ')} by ${[...new Set(own.map((l) => l.source))].join(', ')})`;
  };

  return {
    explain(v: number): RiskExplanation {
      const address = nodes.addresses[v]!;
      const batch = sampleBlocks(
        graph.byDestination,
        Uint32Array.of(v),
        Array(layers).fill(-1),
        rng,
        outDegrees,
      );
      const x = new Float32Array(batch.inputNodes.length * channels);
      gatherRows(batch.inputNodes, inputs.features.values, channels, x);
      const base = runBatch(batch, x);
      const score = applyPlattScaling(card.calibration, base.margin);
      const reasons: RiskReason[] = [];

      const own = labelsOf.get(address) ?? [];
      for (const label of own) {
        const named = label.label && label.label !== label.category ? ` ("${label.label}")` : '';
        reasons.push({
          kind: 'label',
          text: `listed as ${label.category} by ${label.source}${named}`,
          source: label.source,
          category: label.category,
          label: label.label,
        });
      }

      const neighbours = neighboursOf(v);
      if (layers > 0) {
        const occluded = neighbours.slice(0, limits.occluded).map(([u, { edges: between, count }]) => {
          const without = applyPlattScaling(
            card.calibration,
            computeOccludedMargin(base, new Set(between), [v, u]),
          );
          return { u, between, count, without };
        });
        occluded
          .filter((o) => Math.abs(score - o.without) >= minScoreChange)
          .sort(
            (a, b) =>
              Math.abs(score - b.without) - Math.abs(score - a.without) || b.count - a.count || a.u - b.u,
          )
          .slice(0, limits.neighbours)
          .forEach(({ u, between, count, without }) => {
            const other = nodes.addresses[u]!;
            reasons.push({
              kind: 'neighbour',
              text:
                `${other}${describeLabels(other)}: ${describeInteractions(v, between)}; without these interactions ` +
                `the score would be ${without.toFixed(2)} instead of ${score.toFixed(2)}`,
              address: other,
              categories: [...new Set((labelsOf.get(other) ?? []).map((l) => l.category))],
              interactions: count,
              scoreWithout: without,
            });
          });
      }

      const width = featureNames.length;
      featureNames
        .map((feature, j) => ({ feature, j, contribution: base.gradient[j]! * x[j]! }))
        .filter(
          ({ feature, contribution }) => !constant.has(feature) && Math.abs(contribution) >= minContribution,
        )
        .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.j - b.j)
        .slice(0, limits.features)
        .forEach(({ feature, j, contribution }) => {
          const value = rawFeatures[v * width + j]!;
          reasons.push({
            kind: 'feature',
            text: describeRiskFeature(feature, value, typical[j]!, contribution),
            feature,
            value,
            typical: typical[j]!,
            contribution,
          });
        });

      const nearby: NearbyLabels[] = [];
      const byCategory = new Map<string, { nodes: number[]; direct: number[] }>();
      for (const [u, hops] of findNodesWithinHops(snapshot, [v], limits.hops, passesThrough)) {
        const labels = u === v ? undefined : labelsOf.get(nodes.addresses[u]!);
        if (labels === undefined) continue;
        const categories = labels.map((l) => l.category);
        nearby.push({ categories, hops });
        for (const category of new Set(categories.map(toRiskCategory))) {
          if (!malicious.has(category)) continue;
          const entry = byCategory.get(category) ?? { nodes: [], direct: [] };
          entry.nodes.push(u);
          if (hops === 1) entry.direct.push(u);
          byCategory.set(category, entry);
        }
      }
      const directEdges = new Map(neighbours.map(([u, { edges: between }]) => [u, between]));
      for (const [category, found] of [...byCategory.entries()].sort(
        (a, b) => b[1].nodes.length - a[1].nodes.length,
      )) {
        let received = 0;
        let sent = 0;
        for (const u of found.direct) {
          for (const e of directEdges.get(u) ?? []) {
            if (edges.type[e] !== native) continue;
            if (edges.dst[e] === v) received += ether(e);
            else sent += ether(e);
          }
        }
        const n = found.nodes.length;
        const d = found.direct.length;
        const named = found.nodes.slice(0, 3).map((u) => nodes.addresses[u]!);
        const flows = [
          received > 0 ? `received ${formatAmount(received)} ETH from them` : '',
          sent > 0 ? `sent ${formatAmount(sent)} ETH to them` : '',
        ].filter(Boolean);
        reasons.push({
          kind: 'nearby',
          text:
            `${n} ${n === 1 ? 'address' : 'addresses'} labelled ${category} within ${limits.hops} hops ` +
            `(${named.join(', ')}${n > named.length ? ', …' : ''})` +
            (d === 0
              ? ', none of them a direct counterparty'
              : `; ${d} of them ${d === 1 ? 'a direct counterparty' : 'direct counterparties'}${flows.length ? `: ${flows.join(' and ')}` : ''}`),
          category,
          addresses: found.nodes.map((u) => nodes.addresses[u]!),
          direct: d,
          ethReceived: received,
          ethSent: sent,
        });
      }

      return {
        address,
        score,
        margin: base.margin,
        category: chooseRiskCategory(
          own.map((l) => l.category),
          nearby,
          card.labels.positiveCategories,
        ),
        reasons,
      };
    },
  };

  /** Each node's distinct neighbours, either direction. */
  function countCounterparties(graph: Pick<GraphSnapshot, 'out' | 'in'>): Uint32Array {
    const n = graph.out.offsets.length - 1;
    const counts = new Uint32Array(n);
    const seen = new Int32Array(n).fill(-1);
    for (let v = 0; v < n; v += 1) {
      for (const csr of [graph.out, graph.in]) {
        for (let i = csr.offsets[v]!; i < csr.offsets[v + 1]!; i += 1) {
          const u = csr.targets[i]!;
          if (u !== v && seen[u] !== v) {
            seen[u] = v;
            counts[v]! += 1;
          }
        }
      }
    }
    return counts;
  }

  /** What `v` did with one neighbour, per edge type and direction: "received 1.5 ETH from it in 2 transactions, …". */
  function describeInteractions(v: number, between: readonly number[]): string {
    const totals = new Map<string, { count: number; eth: number }>();
    for (const e of between) {
      const key = `${edgeTypes[edges.type[e]!]}:${edges.src[e] === v ? 'out' : 'in'}`;
      const entry = totals.get(key) ?? { count: 0, eth: 0 };
      entry.count += edges.count[e]!;
      if (edges.type[e] === native) entry.eth += ether(e);
      totals.set(key, entry);
    }
    const times = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const phrases: Record<string, (t: { count: number; eth: number }) => string> = {
      'native:out': (t) => `sent ${formatAmount(t.eth)} ETH to it in ${times(t.count, 'transaction')}`,
      'native:in': (t) => `received ${formatAmount(t.eth)} ETH from it in ${times(t.count, 'transaction')}`,
      'token:out': (t) => `sent it ${times(t.count, 'token transfer')}`,
      'token:in': (t) => `received ${times(t.count, 'token transfer')} from it`,
      'call:out': (t) => `called it ${times(t.count, 'time')}`,
      'call:in': (t) => `was called by it ${times(t.count, 'time')}`,
      'swap:out': (t) => `swapped through it ${times(t.count, 'time')}`,
      'swap:in': (t) => `was swapped through by it ${times(t.count, 'time')}`,
      'funding:out': () => 'gave it its first ETH',
      'funding:in': () => 'got its first ETH from it',
    };
    return Object.keys(phrases)
      .filter((key) => totals.has(key))
      .map((key) => phrases[key]!(totals.get(key)!))
      .join(', ');
  }
}
