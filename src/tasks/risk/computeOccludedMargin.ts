import * as tf from '@tensorflow/tfjs';
import type { NodeModel } from '../../gnn/models/NodeModel.js';
import type { SampledBatch } from '../../gnn/sampling/sampleBlocks.js';
import { buildSparseGraph } from '../../gnn/sparse/buildSparseGraph.js';
import type { FeatureMatrix } from '../../gnn/training/NodeDataset.js';
import { toGraphBlock } from '../../gnn/training/toGraphBlock.js';

/** A sampled batch of one seed as the model ran on it, kept to score the seed again without some edges. */
export interface BatchRun {
  model: NodeModel;
  batch: SampledBatch;
  /** The rows each layer read: `hidden[0]` the input features, `hidden[l]` layer `l - 1`'s output. */
  hidden: readonly Float32Array[];
  /** The seed's log-odds (output 1 minus output 0) in that run. */
  margin: number;
  /** The row of each of the batch's nodes (its place in `inputNodes`, the same in every block that has it). */
  rowOf: ReadonlyMap<number, number>;
  edgeFeatures: FeatureMatrix | undefined;
  /** Edges in the snapshot: a graph edge `e` is snapshot edge `e % numEdges` (a reversed copy is offset by it). */
  numEdges: number;
}

/** The log-odds of the output row of `out`: output 1 minus output 0. */
export function toMargin(out: tf.Tensor2D): tf.Scalar {
  return out
    .slice([0, 1], [1, 1])
    .sub(out.slice([0, 0], [1, 1]))
    .reshape([]) as tf.Scalar;
}

/**
 * The seed's log-odds with the snapshot edges in `removed` dropped (both copies) and the whole-graph degrees of
 * `ends` lowered by their number. Layer by layer, only the destinations whose result can change are computed
 * again (found from the ends and the changed rows through the block's out-edges), on the kept rows of the run:
 * the same result as running the model on the whole batch without those edges, for a fraction of the work.
 */
export function computeOccludedMargin(
  run: BatchRun,
  removed: ReadonlySet<number>,
  ends: readonly [number, number],
): number {
  const { model, batch, hidden, numEdges } = run;
  const endRows = ends.map((node) => run.rowOf.get(node)).filter((row) => row !== undefined);
  let changed = new Map<number, Float32Array>();
  for (const [l, block] of batch.blocks.entries()) {
    const ids = batch.edgeIds[l]!;
    const { numSources, numDestinations, byDestination, bySource } = block.graph;
    const width = hidden[l]!.length / numSources;
    const isRemoved = (e: number) => removed.has(ids[e]! % numEdges);
    // Every removed edge ends at an end. A destination's result changes when it is an end, when its own row
    // changed or it hears from a source whose row changed, and, where the layer reads degrees (an end's messages,
    // its self-loop's too, change with its degree), when it hears from an end.
    const found = new Set<number>();
    const reach = (s: number) => {
      for (let k = bySource.offsets[s]!; k < bySource.offsets[s + 1]!; k += 1)
        found.add(bySource.targets[k]!);
    };
    for (const row of endRows) {
      if (row < numDestinations) found.add(row);
      if (row < numSources && model.convs[l]!.readsSourceDegrees) reach(row);
    }
    for (const row of changed.keys()) {
      if (row < numDestinations) found.add(row);
      if (row < numSources) reach(row);
    }
    const destinations = [...found].sort((a, b) => a - b);
    if (destinations.length === 0) return run.margin;
    // The destinations first (a block's destinations are its first sources), then the other sources they hear.
    const sources = [...destinations];
    const local = new Map(destinations.map((d, i) => [d, i]));
    const src: number[] = [];
    const dst: number[] = [];
    const edgeIds: number[] = [];
    for (const [i, d] of destinations.entries()) {
      for (let k = byDestination.offsets[d]!; k < byDestination.offsets[d + 1]!; k += 1) {
        const e = byDestination.edges[k]!;
        if (isRemoved(e)) continue;
        const s = byDestination.targets[k]!;
        let j = local.get(s);
        if (j === undefined) {
          j = sources.length;
          local.set(s, j);
          sources.push(s);
        }
        src.push(j);
        dst.push(i);
        edgeIds.push(ids[e]!);
      }
    }
    const x = new Float32Array(sources.length * width);
    const degrees = new Uint32Array(sources.length);
    for (const [j, s] of sources.entries()) {
      x.set(changed.get(s) ?? hidden[l]!.subarray(s * width, (s + 1) * width), j * width);
      degrees[j] = block.sourceOutDegrees![s]! - (endRows.includes(s) ? removed.size : 0);
    }
    const sub = {
      graph: buildSparseGraph({
        src: Uint32Array.from(src),
        dst: Uint32Array.from(dst),
        numSources: sources.length,
        numDestinations: destinations.length,
      }),
      sourceOutDegrees: degrees,
    };
    const rows = tf.tidy(() => {
      const withFeatures = toGraphBlock(sub, Uint32Array.from(edgeIds), run.edgeFeatures);
      return model.applyConv(l, withFeatures, tf.tensor2d(x, [sources.length, width]), false).dataSync();
    }) as Float32Array;
    const outWidth = rows.length / destinations.length;
    changed = new Map(destinations.map((d, i) => [d, rows.slice(i * outWidth, (i + 1) * outWidth)]));
  }
  const seed = changed.get(0);
  if (seed === undefined) return run.margin;
  return tf.tidy(() => toMargin(model.applyHead(tf.tensor2d(seed, [1, seed.length]), false)).dataSync()[0]!);
}
