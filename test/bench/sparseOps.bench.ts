// Sparse message passing through tfjs autodiff: SpMM forward + backward (tf.grad through the custom gradient) on
// a random graph (BENCH_NODES, default 200k nodes; BENCH_EDGES, default 2M edges; 64 features), unweighted and
// with constant edge weights, against the floor measured in the same run: the same two plain typed-array SpMMs
// (forward over the in-CSR, backward over the out-CSR) on Float32Arrays, with no tfjs in between. Runs are
// interleaved and the fastest of each kept: other work on the machine only ever adds time to a run.
// BENCH_TF_BACKEND=cpu (or wasm, tensorflow) forces a backend; by default the project's choice runs.
import type * as tf from '@tensorflow/tfjs';
import { createTfBackend } from '../../src/gnn/createTfBackend.js';
import { buildSparseGraph } from '../../src/gnn/sparse/buildSparseGraph.js';
import { csrSpmm } from '../../src/gnn/sparse/csrSpmm.js';
import { spmm } from '../../src/gnn/sparse/spmm.js';
import { createLogger } from '../../src/internal/createLogger.js';
import type { Csr } from '../../src/types/graph.js';
import { createRng } from '../../src/utils/createRng.js';
import { report, timeIt } from './report.js';

const nodes = Number(process.env.BENCH_NODES ?? 200_000);
const edges = Number(process.env.BENCH_EDGES ?? 2_000_000);
const features = 64;
const runs = 5;

const forced = process.env.BENCH_TF_BACKEND as 'tensorflow' | 'wasm' | 'cpu' | undefined;
const logger = createLogger({ level: 'info' });
const { tf: tfjs, backend } = await createTfBackend({ logger, backend: forced });
const rng = createRng('sparseOps.bench');
const src = new Uint32Array(edges);
const dst = new Uint32Array(edges);
for (let e = 0; e < edges; e += 1) {
  src[e] = Math.floor(rng.next() * nodes);
  dst[e] = Math.floor(rng.next() * nodes);
}
const buildStarted = performance.now();
const graph = buildSparseGraph({ src, dst, numNodes: nodes });
const buildSeconds = (performance.now() - buildStarted) / 1000;
const random = (size: number) => Float32Array.from({ length: size }, () => rng.next() * 2 - 1);
const xValues = random(nodes * features);
const dyValues = random(nodes * features);
const weights = random(edges);

const out = new Float32Array(nodes * features);
const dx = new Float32Array(nodes * features);

/** The floor: forward A·x and backward Aᵀ·dy as plain typed-array SpMMs into arrays allocated once. */
function floor(weighted: boolean): void {
  const slotWeights = (csr: Csr) => (weighted ? { values: weights, heads: 1, edges: csr.edges } : undefined);
  const { byDestination: into, bySource: outOf } = graph;
  csrSpmm({
    offsets: into.offsets,
    gather: into.targets,
    x: xValues,
    width: features,
    out,
    weights: slotWeights(into),
  });
  csrSpmm({
    offsets: outOf.offsets,
    gather: outOf.targets,
    x: dyValues,
    width: features,
    out: dx,
    weights: slotWeights(outOf),
  });
}

const x = tfjs.tensor2d(xValues, [nodes, features]);
const dy = tfjs.tensor2d(dyValues, [nodes, features]);

/** Ours: the gradient of spmm at x for upstream dy, which runs the forward and the backward SpMM in tfjs. */
function ours(weighted: boolean): void {
  const grad = tfjs.grad((input: tf.Tensor) =>
    spmm(graph, input as tf.Tensor2D, weighted ? weights : undefined),
  );
  grad(x, dy).dispose();
}

for (const weighted of [false, true]) {
  const floorRuns: number[] = [];
  const ourRuns: number[] = [];
  floor(weighted);
  ours(weighted);
  for (let run = 0; run < runs; run += 1) {
    floorRuns.push(await timeIt(async () => floor(weighted)));
    ourRuns.push(await timeIt(async () => ours(weighted)));
  }
  const value = Math.min(...ourRuns);
  const baseline = Math.min(...floorRuns);
  report({
    bench: `sparseOps.spmm.${weighted ? 'weighted' : 'unweighted'}.forwardBackward`,
    value: Number(value.toFixed(3)),
    unit: 's',
    baseline: Number(baseline.toFixed(3)),
    ratio: value / baseline,
    backend,
    nodes,
    edges,
    features,
    buildSparseGraphSeconds: Number(buildSeconds.toFixed(3)),
  });
}
tfjs.dispose([x, dy]);
