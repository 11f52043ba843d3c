import { NonRetryableError } from '../../internal/errors.js';
import type { Csr } from '../../types/graph.js';
import type { Rng } from '../../utils/createRng.js';
import type { GraphBlock } from '../layers/GraphBlock.js';
import { buildSparseGraph } from '../sparse/buildSparseGraph.js';

/** The blocks of one sampled mini-batch, input layer first, and where their nodes and edges come from. */
export interface SampledBatch {
  /** One block per layer: `blocks[0]` reads the input features, the last block's destinations are the seeds. */
  blocks: GraphBlock[];
  /** Graph node id of each source of `blocks[0]`: gather the input features with it. */
  inputNodes: Uint32Array;
  /** The seeds, as given: the rows of the model's output. */
  outputNodes: Uint32Array;
  /** Graph edge id of each edge of each block (to gather edge features), per block. */
  edgeIds: Uint32Array[];
}

/**
 * Samples a mini-batch around `seeds` (GraphSAGE / PyG `num_neighbors`): `fanouts[0]` in-neighbours per seed,
 * then `fanouts[1]` per node reached, and so on, uniformly without replacement (all of them when a node has
 * fewer; -1 = all). `incoming` lists each node's in-edges (sources in `targets`, edge ids in `edges`). Each
 * block's destinations are the first sources, in order, as GraphBlock requires.
 */
export function sampleBlocks(
  incoming: Csr,
  seeds: Uint32Array,
  fanouts: readonly number[],
  rng: Rng,
  outDegrees?: Uint32Array,
): SampledBatch {
  const numNodes = incoming.offsets.length - 1;
  for (const [i, fanout] of fanouts.entries()) {
    if (!(Number.isInteger(fanout) && (fanout > 0 || fanout === -1))) {
      throw new NonRetryableError(`fanouts[${i}] is ${fanout}`, {
        code: 'GNN_SAMPLING_INVALID',
        details: 'Expected a positive number of neighbours per node, or -1 for all of them.',
      });
    }
  }
  const local = new Int32Array(numNodes).fill(-1);
  const blocks: GraphBlock[] = [];
  const edgeIds: Uint32Array[] = [];
  let destinations = seeds;
  for (const fanout of fanouts) {
    const sources: number[] = Array.from(destinations);
    for (const [i, v] of sources.entries()) local[v] = i;
    const src: number[] = [];
    const dst: number[] = [];
    const ids: number[] = [];
    for (let d = 0; d < destinations.length; d += 1) {
      const v = destinations[d]!;
      const start = incoming.offsets[v]!;
      const degree = incoming.offsets[v + 1]! - start;
      const picked = fanout === -1 || degree <= fanout ? range(degree) : pick(degree, fanout, rng);
      for (const k of picked) {
        const u = incoming.targets[start + k]!;
        if (local[u] === -1) {
          local[u] = sources.length;
          sources.push(u);
        }
        src.push(local[u]!);
        dst.push(d);
        ids.push(incoming.edges[start + k]!);
      }
    }
    for (const u of sources) local[u] = -1;
    const sourceIds = Uint32Array.from(sources);
    blocks.unshift({
      graph: buildSparseGraph({
        src: Uint32Array.from(src),
        dst: Uint32Array.from(dst),
        numSources: sources.length,
        numDestinations: destinations.length,
      }),
      ...(outDegrees ? { sourceOutDegrees: Uint32Array.from(sourceIds, (u) => outDegrees[u]!) } : {}),
    });
    edgeIds.unshift(Uint32Array.from(ids));
    destinations = sourceIds;
  }
  return { blocks, inputNodes: destinations, outputNodes: seeds, edgeIds };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** `k` distinct integers from 0..n-1, uniformly (a partial Fisher–Yates shuffle), in increasing order. */
function pick(n: number, k: number, rng: Rng): number[] {
  const chosen = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < k; i += 1) {
    const j = i + Math.floor(rng.next() * (n - i));
    const atJ = chosen.get(j) ?? j;
    chosen.set(j, chosen.get(i) ?? i);
    out.push(atJ);
  }
  return out.sort((a, b) => a - b);
}
