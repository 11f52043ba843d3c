/**
 * The interaction graph as it crosses from the warehouse to graph analytics and the GNNs: typed arrays,
 * never one object per edge. Node `i` is `addresses[i]` (sorted, lower-case); edges are aggregated per
 * (src, dst, type, token) and sorted by (src, dst, type, token), so they are already CSR by source.
 */

/** Edge types, as stored in `GraphEdges.type`. */
export const edgeTypes = ['call', 'native', 'token', 'swap', 'funding'] as const;
export type EdgeType = (typeof edgeTypes)[number];

/** Node kinds, as stored in `GraphNodes.kind`. */
export const nodeKinds = ['eoa', 'contract', 'token', 'pool'] as const;
export type NodeKind = (typeof nodeKinds)[number];

/** No token on the edge (`GraphEdges.token` for every type but `token`). */
export const noToken = 0xffff_ffff;

/** Which rows a snapshot may read: every row at or before `asOfBlock`, from `fromBlock` on (0 = all history). */
export interface SnapshotPoint {
  chainId: number;
  asOfBlock: number;
  /** The as-of block's timestamp (unix seconds). */
  asOfTime: number;
  fromBlock: number;
}

/** The nodes of a snapshot. */
export interface GraphNodes {
  addresses: string[];
  /** Index into `nodeKinds`. */
  kind: Uint8Array;
}

/** The aggregated edges of a snapshot, one entry per (src, dst, type, token), sorted by those. */
export interface GraphEdges {
  src: Uint32Array;
  dst: Uint32Array;
  /** Index into `edgeTypes`. */
  type: Uint8Array;
  /** Node index of the token for `token` edges, else `noToken`. */
  token: Uint32Array;
  count: Uint32Array;
  /** ln(1 + total raw value) and ln(1 + largest raw value): wei for native, the token's base unit for tokens. */
  logTotal: Float32Array;
  logMax: Float32Array;
  firstBlock: Uint32Array;
  lastBlock: Uint32Array;
}

/** Compressed sparse rows: the neighbours of node `i` are `targets[offsets[i]..offsets[i+1])`, edge ids in `edges`. */
export interface Csr {
  offsets: Uint32Array;
  targets: Uint32Array;
  /** The edge id (index into GraphEdges) of each entry. */
  edges: Uint32Array;
}

/** A built snapshot: its point, nodes, edges, and CSR in both directions. */
export interface GraphSnapshot {
  id: string;
  point: SnapshotPoint;
  nodes: GraphNodes;
  edges: GraphEdges;
  out: Csr;
  in: Csr;
}
