import type { SnapshotContent } from '../../graph/snapshotFile.js';
import { NonRetryableError } from '../../internal/errors.js';
import { noToken } from '../../types/graph.js';
import { findNodesWithinHops } from './findNodesWithinHops.js';

/** Features that change for every address as time passes, which alone do not make an address's neighbourhood change. */
export const timeDrivenFeatures: readonly string[] = ['age'];

/** Which addresses of a snapshot incremental scoring rescores, and why. */
export interface RescoreNodes {
  /** Node ids of the current snapshot to rescore, ascending; every other node keeps its previous score. */
  rescore: Uint32Array;
  /** Nodes that changed themselves: new, on a new, changed or removed edge, or with other raw features. */
  changed: number;
  added: number;
  /** Edges of the current snapshot that are new or changed, and edges of the previous one that are gone. */
  edgesChanged: number;
  edgesRemoved: number;
}

/**
 * The nodes whose score may differ between two snapshots scored by one model with `hops` message-passing layers:
 * every node within `hops` of a changed node, where a node changed when it is new, when an edge it is on is new,
 * changed (count, values or blocks) or gone, or when its raw features (other than timeDrivenFeatures) differ. A
 * node farther from every change sees the same features and the same edges within its model's reach.
 */
export function findRescoreNodes(
  previous: SnapshotContent,
  current: SnapshotContent,
  hops: number,
): RescoreNodes {
  const names = current.featureNames;
  if (names.length !== previous.featureNames.length || names.some((n, j) => n !== previous.featureNames[j])) {
    throw new NonRetryableError(
      `Snapshots ${previous.snapshot.id} and ${current.snapshot.id} have different features`,
      {
        code: 'RISK_INCREMENTAL_UNAVAILABLE',
        details: 'Incremental scoring compares features column by column; score every address instead.',
      },
    );
  }
  const before = previous.snapshot.nodes.addresses;
  const after = current.snapshot.nodes.addresses;
  const changed = new Uint8Array(after.length);
  const width = names.length;
  const compared = names.flatMap((name, j) => (timeDrivenFeatures.includes(name) ? [] : [j]));
  // Nodes are sorted by address in both snapshots: walk them together.
  let added = 0;
  for (let v = 0, p = 0; v < after.length; v += 1) {
    while (p < before.length && before[p]! < after[v]!) p += 1;
    if (before[p] !== after[v]) {
      changed[v] = 1;
      added += 1;
      continue;
    }
    for (const j of compared) {
      if (previous.rawFeatures[p * width + j] !== current.rawFeatures[v * width + j]) {
        changed[v] = 1;
        break;
      }
    }
  }
  const counts = diffEdges(previous, current, changed);
  const sources: number[] = [];
  for (let v = 0; v < changed.length; v += 1) if (changed[v]) sources.push(v);
  const distance = findNodesWithinHops(current.snapshot, sources, hops);
  return {
    rescore: Uint32Array.from(distance.keys()).sort(),
    changed: sources.length,
    added,
    ...counts,
  };
}

/**
 * Marks in `changed` the current endpoints of every edge that is new, changed or gone. Edges are sorted by (source,
 * destination, type, token) node ids, and node ids by address, so both lists are in address order: one merge.
 */
function diffEdges(
  previous: SnapshotContent,
  current: SnapshotContent,
  changed: Uint8Array,
): { edgesChanged: number; edgesRemoved: number } {
  const a = previous.snapshot;
  const b = current.snapshot;
  const currentIndex = new Map(b.nodes.addresses.map((address, v) => [address, v]));
  const key = (s: typeof a, e: number): [string, string, number, string] => [
    s.nodes.addresses[s.edges.src[e]!]!,
    s.nodes.addresses[s.edges.dst[e]!]!,
    s.edges.type[e]!,
    // No token sorts after every address, as noToken after every node id.
    s.edges.token[e] === noToken ? '~' : s.nodes.addresses[s.edges.token[e]!]!,
  ];
  const compare = (x: ReturnType<typeof key>, y: ReturnType<typeof key>) => {
    for (let i = 0; i < 4; i += 1) {
      if (x[i]! < y[i]!) return -1;
      if (x[i]! > y[i]!) return 1;
    }
    return 0;
  };
  const same = (i: number, j: number) =>
    a.edges.count[i] === b.edges.count[j] &&
    a.edges.logTotal[i] === b.edges.logTotal[j] &&
    a.edges.logMax[i] === b.edges.logMax[j] &&
    a.edges.firstBlock[i] === b.edges.firstBlock[j] &&
    a.edges.lastBlock[i] === b.edges.lastBlock[j];
  const markCurrent = (j: number) => {
    changed[b.edges.src[j]!] = 1;
    changed[b.edges.dst[j]!] = 1;
  };
  const markPrevious = (i: number) => {
    for (const v of [a.edges.src[i]!, a.edges.dst[i]!]) {
      const now = currentIndex.get(a.nodes.addresses[v]!);
      if (now !== undefined) changed[now] = 1;
    }
  };
  let edgesChanged = 0;
  let edgesRemoved = 0;
  const m = a.edges.src.length;
  const n = b.edges.src.length;
  let i = 0;
  let j = 0;
  while (i < m || j < n) {
    const order = i === m ? 1 : j === n ? -1 : compare(key(a, i), key(b, j));
    if (order < 0) {
      markPrevious(i);
      edgesRemoved += 1;
      i += 1;
    } else if (order > 0) {
      markCurrent(j);
      edgesChanged += 1;
      j += 1;
    } else {
      if (!same(i, j)) {
        markCurrent(j);
        edgesChanged += 1;
      }
      i += 1;
      j += 1;
    }
  }
  return { edgesChanged, edgesRemoved };
}
