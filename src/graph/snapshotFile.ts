import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NonRetryableError } from '../internal/errors.js';
import type { GraphSnapshot, SnapshotPoint } from '../types/graph.js';
import { readTypedArrayFile, type StoredArray, writeTypedArrayFile } from '../utils/typedArrayFile.js';
import type { Communities } from './computeCommunities.js';
import type { Normalizer } from './fitNormalizer.js';

/** The file names inside a snapshot's directory `<dataDir>/graphs/<id>/`. */
export const snapshotFile = 'snapshot.bin';
/** Exact edge values: per edge in edge order, the raw total then the raw max, UInt256 little-endian (64 bytes). */
export const edgeValuesFile = 'edge_values.bin';

/** Everything a snapshot file holds: the graph, its node features (raw and normalized) and its communities. */
export interface SnapshotContent {
  snapshot: GraphSnapshot;
  featureNames: string[];
  /** Row-major, nodes × featureNames. */
  rawFeatures: Float64Array;
  features: Float32Array;
  normalizer: Normalizer;
  communities: Communities;
  /** SHA-256 of the edge values file beside it. */
  valuesSha256: string;
}

interface SnapshotMeta {
  kind: 'chaingnn.snapshot';
  id: string;
  point: SnapshotPoint;
  nodes: number;
  edges: number;
  featureNames: string[];
  normalizer: Normalizer;
  modularity: number;
  valuesSha256: string;
}

/**
 * Writes a snapshot to one file (see writeTypedArrayFile for the layout; arrays: node addresses as 20 bytes
 * each, node kinds, the edge columns, both CSRs, the feature matrices and the analytics), atomically.
 */
export function writeSnapshotFile(path: string, content: SnapshotContent): void {
  const { snapshot, communities } = content;
  const meta: SnapshotMeta = {
    kind: 'chaingnn.snapshot',
    id: snapshot.id,
    point: snapshot.point,
    nodes: snapshot.nodes.addresses.length,
    edges: snapshot.edges.src.length,
    featureNames: content.featureNames,
    normalizer: content.normalizer,
    modularity: communities.modularity,
    valuesSha256: content.valuesSha256,
  };
  const arrays: Record<string, StoredArray> = {
    'nodes.address': encodeAddresses(snapshot.nodes.addresses),
    'nodes.kind': snapshot.nodes.kind,
    ...prefixed('edges', snapshot.edges),
    ...prefixed('out', snapshot.out),
    ...prefixed('in', snapshot.in),
    'features.raw': content.rawFeatures,
    'features.normalized': content.features,
    'communities.community': communities.community,
    'communities.communitySize': communities.communitySize,
    'communities.pagerank': communities.pagerank,
    'communities.component': communities.component,
    'communities.componentSize': communities.componentSize,
    'communities.coreNumber': communities.coreNumber,
  };
  // `out.targets` is `edges.dst` (edges are sorted by source): stored once.
  delete arrays['out.targets'];
  writeTypedArrayFile(path, meta, arrays);
}

/** Reads a snapshot file back (checking its layout and checksum). */
export function readSnapshotFile(path: string): SnapshotContent {
  const { meta, arrays } = readTypedArrayFile<SnapshotMeta>(path);
  const get = <T extends StoredArray>(name: string) => {
    const array = arrays[name];
    if (!array) {
      throw new NonRetryableError(`${path} has no array ${name}`, {
        code: 'ARRAY_FILE_INVALID',
        details: 'Expected a snapshot file written by chaingnn graph build; rebuild the snapshot.',
      });
    }
    return array as T;
  };
  const edges = {
    src: get<Uint32Array>('edges.src'),
    dst: get<Uint32Array>('edges.dst'),
    type: get<Uint8Array>('edges.type'),
    token: get<Uint32Array>('edges.token'),
    count: get<Uint32Array>('edges.count'),
    logTotal: get<Float32Array>('edges.logTotal'),
    logMax: get<Float32Array>('edges.logMax'),
    firstBlock: get<Uint32Array>('edges.firstBlock'),
    lastBlock: get<Uint32Array>('edges.lastBlock'),
  };
  return {
    snapshot: {
      id: meta.id,
      point: meta.point,
      nodes: {
        addresses: decodeAddresses(get<Uint8Array>('nodes.address')),
        kind: get<Uint8Array>('nodes.kind'),
      },
      edges,
      out: { offsets: get('out.offsets'), targets: edges.dst, edges: get('out.edges') },
      in: { offsets: get('in.offsets'), targets: get('in.targets'), edges: get('in.edges') },
    },
    featureNames: meta.featureNames,
    rawFeatures: get('features.raw'),
    features: get('features.normalized'),
    normalizer: meta.normalizer,
    valuesSha256: meta.valuesSha256,
    communities: {
      community: get('communities.community'),
      communitySize: get('communities.communitySize'),
      modularity: meta.modularity,
      pagerank: get('communities.pagerank'),
      component: get('communities.component'),
      componentSize: get('communities.componentSize'),
      coreNumber: get('communities.coreNumber'),
    },
  };
}

/** The exact raw total and max of each of `edgeIds`, from the edge values file beside a snapshot file. */
export function readEdgeValues(
  snapshotPath: string,
  content: SnapshotContent,
  edgeIds: readonly number[],
): { total: bigint; max: bigint }[] {
  const path = join(dirname(snapshotPath), edgeValuesFile);
  const bytes = readFileSync(path);
  const edges = content.snapshot.edges.src.length;
  if (
    bytes.byteLength !== edges * 64 ||
    createHash('sha256').update(bytes).digest('hex') !== content.valuesSha256
  ) {
    throw new NonRetryableError(`${path} does not belong to snapshot ${content.snapshot.id}`, {
      code: 'ARRAY_FILE_INVALID',
      details: `Expected ${edges * 64} bytes with the checksum recorded in the snapshot file; rebuild the snapshot.`,
    });
  }
  const word = (at: number) => {
    let value = 0n;
    for (let i = 31; i >= 0; i -= 1) value = (value << 8n) | BigInt(bytes[at + i]!);
    return value;
  };
  return edgeIds.map((e) => ({ total: word(e * 64), max: word(e * 64 + 32) }));
}

function prefixed(prefix: string, arrays: object): Record<string, StoredArray> {
  return Object.fromEntries(Object.entries(arrays).map(([name, array]) => [`${prefix}.${name}`, array]));
}

function encodeAddresses(addresses: readonly string[]): Uint8Array {
  const out = new Uint8Array(addresses.length * 20);
  for (const [i, address] of addresses.entries()) out.set(Buffer.from(address.slice(2), 'hex'), i * 20);
  return out;
}

function decodeAddresses(bytes: Uint8Array): string[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from(
    { length: bytes.byteLength / 20 },
    (_, i) => `0x${buffer.toString('hex', i * 20, i * 20 + 20)}`,
  );
}
