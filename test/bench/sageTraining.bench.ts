// Full-batch GraphSAGE (issue 6): a NodeModel of 2 SageConv layers (mean, hidden 64; ReLU and dropout 0.5 after
// each) and a Linear head, on a seeded random graph (BENCH_NODES, default 200k nodes; BENCH_EDGES, default 2M
// edges; 64 features; binary labels; 60% of the nodes train). Every figure is the median of BENCH_RUNS (default 5)
// runs after a warm-up, each run measuring ours, the floor and the peer back to back, so that other work on the
// machine weighs on all of them alike; `bestRatio` compares the fastest run of each side.
// - Epoch: runTrainingStep, the step trainNodeModel runs on the whole graph (forward, loss, backward, AdamW
//   update), against the floor: plain typed-array CSR SpMMs of all edges at the input width 64 (csrSpmm on one
//   thread, no tfjs), read two ways, both printed: `baseline` and `ratio` (the goal's reading) use the strict one,
//   1 forward + 1 backward SpMM per layer; `floor2x2` and `ratio2x2` read it as 2 forward + 2 backward per layer.
//   Ours may use more than the floor's one thread (XNNPACK's kernels on BENCH_TF_THREADS threads, default every
//   core, as CHAINGNN_TF_THREADS sets them; its large SpMMs share rows with a helper thread, started before the
//   first epoch) and keeps the
//   first layer's mean of the constant input features between epochs. Where the time goes: the dense matMuls'
//   kernel time in one profiled epoch (tf.profile).
// - Inference: predictNodes over every node, each layer on the whole graph at once (as whole-graph training
//   validates), against the forward half of the floor (strict: 1 SpMM per layer; `floor2x2`: 2); `batched`: in
//   predictNodes' default 16384-node batches.
// - PyTorch Geometric: the same model, graph, split and optimizer (pyg/sage_epoch.py, served from a throwaway venv,
//   see pyg/startPygSage.ts), with its default edge_index and with a CSR adjacency (`sparse`), torch on every core
//   (2 here) and on one, as we run (extra fields `WAY/THREADS.seconds` and `.ratio`); our time over theirs.
//   Skipped, saying why, when Python or torch is unavailable.
// BENCH_TF_BACKEND=cpu (or wasm, tensorflow) forces a backend; by default the project's choice runs.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTfBackend } from '../../src/gnn/createTfBackend.js';
import { NodeModel } from '../../src/gnn/models/NodeModel.js';
import { buildSparseGraph } from '../../src/gnn/sparse/buildSparseGraph.js';
import { csrSpmm } from '../../src/gnn/sparse/csrSpmm.js';
import { startSpmmHelper } from '../../src/gnn/sparse/parallelCsrSpmm.js';
import { AdamW } from '../../src/gnn/training/AdamW.js';
import { buildNodeLossWeights } from '../../src/gnn/training/buildNodeLossWeights.js';
import { createWholeGraphInputs } from '../../src/gnn/training/createWholeGraphInputs.js';
import type { NodeDataset } from '../../src/gnn/training/NodeDataset.js';
import { predictNodes } from '../../src/gnn/training/predictNodes.js';
import { runTrainingStep } from '../../src/gnn/training/runTrainingStep.js';
import { createLogger } from '../../src/internal/createLogger.js';
import type { Csr } from '../../src/types/graph.js';
import { createRng } from '../../src/utils/createRng.js';
import { type PygSage, type PygWay, startPygSage } from './pyg/startPygSage.js';
import { report } from './report.js';

const nodes = Number(process.env.BENCH_NODES ?? 200_000);
const edges = Number(process.env.BENCH_EDGES ?? 2_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const features = 64;
const hidden = 64;
const layers = 2;
const settings = { learningRate: 0.01, weightDecay: 5e-4, dropout: 0.5 };

const forced = process.env.BENCH_TF_BACKEND as 'tensorflow' | 'wasm' | 'cpu' | undefined;
const tfThreads = Number(process.env.BENCH_TF_THREADS ?? Math.min(availableParallelism(), 8));
const { tf, backend } = await createTfBackend({
  logger: createLogger({ level: 'info' }),
  backend: forced,
  threads: tfThreads,
});

// The graph: uniform random edges and features; a node's label says whether its first feature plus the mean
// of its in-neighbours' second feature is positive, so the graph matters to it.
const rng = createRng('sageTraining.bench');
const src = new Uint32Array(edges);
const dst = new Uint32Array(edges);
for (let e = 0; e < edges; e += 1) {
  src[e] = Math.floor(rng.next() * nodes);
  dst[e] = Math.floor(rng.next() * nodes);
}
const graph = buildSparseGraph({ src, dst, numNodes: nodes });
const x = Float32Array.from({ length: nodes * features }, () => rng.next() * 2 - 1);
const labels = new Int32Array(nodes);
const { offsets, targets } = graph.byDestination;
for (let v = 0; v < nodes; v += 1) {
  let sum = 0;
  for (let j = offsets[v]!; j < offsets[v + 1]!; j += 1) sum += x[targets[j]! * features + 1]!;
  const degree = offsets[v + 1]! - offsets[v]!;
  labels[v] = x[v * features]! + (degree === 0 ? 0 : sum / degree) > 0 ? 1 : 0;
}
const train = Uint32Array.from({ length: nodes }, (_, v) => v).filter(() => rng.next() < 0.6);
const dataset: NodeDataset = { graph, features: { values: x, channels: features }, targets: labels };

const model = new NodeModel({
  architecture: 'sage',
  task: 'classification',
  inChannels: features,
  outChannels: 2,
  hiddenChannels: hidden,
  numLayers: layers,
  headLayers: 1,
  dropout: settings.dropout,
  seed: 1,
});
const optimizer = new AdamW(model.variables, settings);
const inputs = createWholeGraphInputs(
  model,
  dataset,
  buildNodeLossWeights(model.config, labels, nodes, train, 'none'),
);
const epoch = () => runTrainingStep(model, optimizer, inputs, { kind: 'crossEntropy' });

// The floor's operands: SpMMs at the input width into an array allocated once.
const dy = Float32Array.from({ length: nodes * features }, () => rng.next() * 2 - 1);
const floorOut = new Float32Array(nodes * features);
/** `count` plain SpMMs over `csr` (the in-CSR forward, the out-CSR backward); returns their seconds. */
const spmms = (csr: Csr, operand: Float32Array, count: number) =>
  seconds(() => {
    for (let i = 0; i < count; i += 1) {
      csrSpmm({ offsets: csr.offsets, gather: csr.targets, x: operand, width: features, out: floorOut });
    }
  });

// The peer's view of the same graph, written for sage_epoch.py.
const dir = mkdtempSync(join(tmpdir(), 'chaingnn-sage-'));
const files: [string, Uint32Array | Int32Array | Float32Array][] = [
  ['src.u32', src],
  ['dst.u32', dst],
  ['x.f32', x],
  ['y.i32', labels],
  ['train.u32', train],
];
for (const [name, array] of files) {
  writeFileSync(join(dir, name), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
}
writeFileSync(
  join(dir, 'meta.json'),
  JSON.stringify({ nodes, edges, features, hidden, classes: 2, ...settings }),
);
const started = await startPygSage(dir);
const pyg: PygSage | undefined = 'skipped' in started ? undefined : started;
if ('skipped' in started) {
  process.stderr.write(`# sageTraining: the PyTorch Geometric comparison was skipped: ${started.skipped}\n`);
}
/** The peer's configurations: each way of taking the edges, on every core and on one. */
const peers = (['edge_index', 'sparse'] as const).flatMap((way: PygWay) =>
  [...new Set([pyg?.threads ?? 1, 1])].map((threads) => ({ way, threads, key: `${way}/${threads}` })),
);
/** One timed run of every peer configuration, into `into` by key. */
const timePeers = async (command: 'epoch' | 'inference', into: Map<string, number[]>) => {
  if (pyg === undefined) return;
  for (const { way, threads, key } of peers) {
    const time = await pyg.time(command, way, threads);
    into.set(key, [...(into.get(key) ?? []), time]);
  }
};

try {
  const floorForward: number[] = [];
  const floorBackward: number[] = [];
  const epochs: number[] = [];
  const peerEpochs = new Map<string, number[]>();
  await startSpmmHelper();
  const losses = [epoch()];
  spmms(graph.byDestination, x, 1);
  await timePeers('epoch', new Map());
  const tensorsBefore = tf.memory().numTensors;
  for (let run = 0; run < runs; run += 1) {
    floorForward.push(spmms(graph.byDestination, x, 2 * layers));
    floorBackward.push(spmms(graph.bySource, dy, 2 * layers));
    epochs.push(seconds(() => losses.push(epoch())));
    await timePeers('epoch', peerEpochs);
  }
  const leakedTensors = tf.memory().numTensors - tensorsBefore;
  const floorRuns = floorForward.map((forward, i) => forward + floorBackward[i]!);
  const floor = median(floorRuns);
  const epochSeconds = median(epochs);

  // Where an epoch's time goes: the dense products' kernel time in one profiled epoch.
  const profile = await tf.profile(() => {
    epoch();
  });
  let matMulMs = 0;
  for (const kernel of profile.kernels) {
    if (kernel.name === 'BatchMatMul' || kernel.name === '_FusedMatMul') {
      const ms = await kernel.kernelTimeMs;
      if (typeof ms === 'number') matMulMs += ms;
    }
  }
  const matMulSeconds = matMulMs / 1000;
  report({
    bench: 'sageTraining.epoch',
    value: round(epochSeconds),
    unit: 's',
    baseline: round(floor / 2),
    ratio: (2 * epochSeconds) / floor,
    floorReading: 'baseline: 1 forward + 1 backward csrSpmm per layer; floor2x2: 2 + 2',
    floor2x2: round(floor),
    ratio2x2: round(epochSeconds / floor),
    bestRatio: round((2 * Math.min(...epochs)) / Math.min(...floorRuns)),
    matMulSeconds: round(matMulSeconds),
    matMulShareOfEpoch: round(matMulSeconds / epochSeconds),
    matMulOverFloor: round((2 * matMulSeconds) / floor),
    spmmSeconds: round(floor / (4 * layers)),
    epochRuns: epochs.map(round),
    floorRuns: floorRuns.map(round),
    lossFirst: round(losses[0]!),
    lossLast: round(losses.at(-1)!),
    leakedTensors,
    backend,
    threads: tfThreads,
    nodes,
    edges,
    features,
    hidden,
  });

  const inferenceFloors: number[] = [];
  const inferences: number[] = [];
  const batched: number[] = [];
  const peerInferences = new Map<string, number[]>();
  for (let run = 0; run < runs; run += 1) {
    inferenceFloors.push(spmms(graph.byDestination, x, 2 * layers));
    inferences.push(seconds(() => predictNodes(model, dataset, { batchSize: nodes })));
    batched.push(seconds(() => predictNodes(model, dataset)));
    await timePeers('inference', peerInferences);
  }
  const inferenceFloor = median(inferenceFloors);
  const inferenceSeconds = median(inferences);
  report({
    bench: 'sageTraining.inference',
    value: round(inferenceSeconds),
    unit: 's',
    baseline: round(inferenceFloor / 2),
    ratio: (2 * inferenceSeconds) / inferenceFloor,
    floorReading: 'baseline: 1 csrSpmm per layer; floor2x2: 2',
    floor2x2: round(inferenceFloor),
    ratio2x2: round(inferenceSeconds / inferenceFloor),
    batchedSeconds: round(median(batched)),
    batchedRatio: round((2 * median(batched)) / inferenceFloor),
    backend,
    nodes,
    edges,
  });

  if (pyg !== undefined) {
    for (const [what, ours, theirs] of [
      ['epoch', epochs, peerEpochs],
      ['inference', inferences, peerInferences],
    ] as const) {
      const peer = (key: string) => theirs.get(key)!;
      const main = peer(`edge_index/${pyg.threads}`);
      const others = Object.fromEntries(
        peers.flatMap(({ key }) => [
          [`${key}.seconds`, round(median(peer(key)))],
          [`${key}.ratio`, round(median(ours) / median(peer(key)))],
        ]),
      );
      report({
        bench: `sageTraining.pyg.${what}`,
        value: round(median(ours)),
        unit: 's',
        baseline: round(median(main)),
        ratio: median(ours) / median(main),
        bestRatio: round(Math.min(...ours) / Math.min(...main)),
        ...others,
        threads: pyg.threads,
        torch: pyg.torch,
        torchGeometric: pyg.torchGeometric,
      });
    }
  }
} finally {
  pyg?.close();
  rmSync(dir, { recursive: true, force: true });
  tf.dispose([inputs.x, inputs.targets, inputs.weights]);
  optimizer.dispose();
  model.dispose();
}

/** Seconds `fn` takes. */
function seconds(fn: () => unknown): number {
  const started = performance.now();
  fn();
  return (performance.now() - started) / 1000;
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Three decimals, as the figures print. */
function round(value: number): number {
  return Number(value.toFixed(3));
}
