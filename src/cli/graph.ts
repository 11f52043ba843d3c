import { Command, InvalidArgumentError } from 'commander';
import { getNeighbourhood } from '../graph/getNeighbourhood.js';
import { readEdgeValues, type SnapshotContent } from '../graph/snapshotFile.js';
import { NonRetryableError } from '../internal/errors.js';
import { buildSnapshot } from '../tasks/graphs/buildSnapshot.js';
import { getOnlyChain } from '../tasks/graphs/getOnlyChain.js';
import { loadSnapshot } from '../tasks/graphs/loadSnapshot.js';
import { edgeTypes, nodeKinds, noToken } from '../types/graph.js';
import { formatTable } from '../utils/formatTable.js';
import { toAddress } from '../utils/toAddress.js';
import { createWarehouse } from '../warehouse/createWarehouse.js';
import { openMigratedWarehouse } from '../warehouse/openMigratedWarehouse.js';
import { parsePositiveInteger, parsePositiveNumber, parseWholeNumber } from './parseOptions.js';
import { runCommand } from './runCommand.js';

/** `chaingnn graph build|show`: interaction-graph snapshots from the warehouse, and an address's neighbourhood. */
export function graphCommand(): Command {
  const graph = new Command('graph').description('interaction-graph snapshots: build them, look inside');
  graph
    .command('build')
    .description(
      'build the interaction graph, node features and communities as of a block (default: the last indexed)',
    )
    .option('--chain-id <n>', 'chain to build (default: the only chain in the warehouse)', parseWholeNumber)
    .option('--as-of-block <n>', 'use only rows at or before this block', parseWholeNumber)
    .option(
      '--as-of-time <iso>',
      'use only rows at or before this time (the last block at or before it)',
      parseTime,
    )
    .option(
      '--normalize-like <id>',
      "apply that (training) snapshot's feature normalizer unchanged instead of fitting one",
    )
    .option(
      '--window-days <d>',
      'only the last D days before the as-of point (funding still looks at all history)',
      parsePositiveNumber,
    )
    .action(
      (options: {
        chainId?: number;
        asOfBlock?: number;
        asOfTime?: number;
        windowDays?: number;
        normalizeLike?: string;
      }) =>
        runCommand(async (common) => {
          const warehouse = await openMigratedWarehouse(common);
          const training =
            options.normalizeLike === undefined
              ? undefined
              : (
                  await loadSnapshot(warehouse, common.config.dataDir, {
                    snapshotId: options.normalizeLike,
                    chainId: options.chainId,
                  })
                ).content;
          const built = await buildSnapshot({
            ...(training ? { normalizer: training.normalizer } : {}),
            warehouse,
            logger: common.logger,
            dataDir: common.config.dataDir,
            chainId: options.chainId ?? (await getOnlyChain(warehouse)),
            ...(options.asOfBlock !== undefined ? { asOfBlock: options.asOfBlock } : {}),
            ...(options.asOfTime !== undefined ? { asOfTime: options.asOfTime } : {}),
            ...(options.windowDays !== undefined ? { windowDays: options.windowDays } : {}),
          });
          const { snapshot, communities } = built;
          const total = Object.values(built.seconds).reduce((a, b) => a + b, 0);
          process.stdout.write(
            `Snapshot ${snapshot.id}: ${snapshot.nodes.addresses.length} addresses, ${snapshot.edges.src.length} edges, ` +
              `${new Set(communities.community).size} communities (modularity ${communities.modularity.toFixed(3)}), ` +
              `${built.featureNames.length} features, as of block ${snapshot.point.asOfBlock}, in ${total.toFixed(1)} s\n` +
              `  file: ${built.file}\n`,
          );
        }),
    );
  graph
    .command('show')
    .description("an address's neighbourhood in a snapshot: as a table, or --format dot|json for drawing")
    .argument('<address>', '0x-prefixed 20-byte address')
    .option('--hops <n>', 'how far from the address', parseWholeNumber, 1)
    .option('--max-nodes <n>', 'most addresses shown (nearest and busiest first)', parsePositiveInteger, 50)
    .option('--snapshot <id>', 'snapshot id (default: the latest of the chain)')
    .option('--chain-id <n>', 'chain (default: the only chain in the warehouse)', parseWholeNumber)
    .option('-f, --format <format>', 'table, dot or json', parseFormat, 'table')
    .action(
      (
        address: string,
        options: { hops: number; maxNodes: number; snapshot?: string; chainId?: number; format: Format },
      ) =>
        runCommand(async (common) => {
          const centreAddress = toAddress(address);
          const warehouse = await createWarehouse(common);
          const { content, path } = await loadSnapshot(warehouse, common.config.dataDir, {
            snapshotId: options.snapshot,
            chainId: options.chainId,
          });
          const centre = content.snapshot.nodes.addresses.indexOf(centreAddress);
          if (centre < 0) {
            throw new NonRetryableError(`${address} is not in snapshot ${content.snapshot.id}`, {
              code: 'ADDRESS_NOT_IN_SNAPSHOT',
              details: `It had no interactions at or before block ${content.snapshot.point.asOfBlock} (or the address is mistyped).`,
            });
          }
          const hood = getNeighbourhood(content.snapshot, centre, options.hops, options.maxNodes);
          const values = readEdgeValues(path, content, hood.edges);
          process.stdout.write(formatNeighbourhood(content, hood, values, options.format));
        }),
    );
  return graph;
}

type Format = 'table' | 'dot' | 'json';

/** Renders a neighbourhood as text tables (nodes, then edges), Graphviz DOT or JSON. */
function formatNeighbourhood(
  content: SnapshotContent,
  hood: ReturnType<typeof getNeighbourhood>,
  values: { total: bigint; max: bigint }[],
  format: Format,
): string {
  const { snapshot, communities } = content;
  const { nodes, edges } = snapshot;
  const address = (v: number) => nodes.addresses[v]!;
  const nodeInfo = hood.nodes.map((v, i) => ({
    address: address(v),
    kind: nodeKinds[nodes.kind[v]!]!,
    hops: hood.hops[i]!,
    community: communities.community[v]!,
    pagerank: communities.pagerank[v]!,
  }));
  const edgeInfo = hood.edges.map((e, i) => ({
    from: address(edges.src[e]!),
    to: address(edges.dst[e]!),
    type: edgeTypes[edges.type[e]!]!,
    token: edges.token[e] === noToken ? null : address(edges.token[e]!),
    count: edges.count[e]!,
    total: values[i]!.total.toString(),
    max: values[i]!.max.toString(),
    firstBlock: edges.firstBlock[e]!,
    lastBlock: edges.lastBlock[e]!,
  }));
  if (format === 'json') {
    return `${JSON.stringify({ snapshot: snapshot.id, truncated: hood.truncated, nodes: nodeInfo, edges: edgeInfo }, null, 2)}\n`;
  }
  if (format === 'dot') {
    const short = (a: string) => `${a.slice(0, 6)}…${a.slice(-4)}`;
    return [
      `digraph "${snapshot.id}" {`,
      '  node [shape=box, fontname="monospace"];',
      ...nodeInfo.map(
        (n) =>
          `  "${n.address}" [label="${short(n.address)}\\n${n.kind} c${n.community}"${n.hops === 0 ? ', style=bold' : ''}];`,
      ),
      ...edgeInfo.map(
        (e) =>
          `  "${e.from}" -> "${e.to}" [label="${e.type}${e.token ? ` ${short(e.token)}` : ''} ×${e.count}"];`,
      ),
      '}',
      '',
    ].join('\n');
  }
  const nodeTable = formatTable(
    [
      { name: 'address' },
      { name: 'kind' },
      { name: 'hops', alignRight: true },
      { name: 'community', alignRight: true },
      { name: 'pagerank', alignRight: true },
    ],
    nodeInfo.map((n) => [n.address, n.kind, n.hops, n.community, n.pagerank.toExponential(2)]),
  );
  const edgeTable = formatTable(
    [
      { name: 'from' },
      { name: 'to' },
      { name: 'type' },
      { name: 'token' },
      { name: 'count', alignRight: true },
      { name: 'total (raw units)', alignRight: true },
      { name: 'blocks' },
    ],
    edgeInfo.map((e) => [
      e.from,
      e.to,
      e.type,
      e.token ?? '',
      e.count,
      e.total,
      `${e.firstBlock}–${e.lastBlock}`,
    ]),
  );
  const note = hood.truncated ? '(truncated: raise --max-nodes to see more)\n' : '';
  return `Snapshot ${snapshot.id}, as of block ${snapshot.point.asOfBlock}\n\n${nodeTable}\n\n${edgeTable}\n${note}`;
}

function parseTime(value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError('expected an ISO time, e.g. 2024-01-31T00:00:00Z');
  return Math.floor(ms / 1000);
}

function parseFormat(value: string): Format {
  if (value !== 'table' && value !== 'dot' && value !== 'json')
    throw new InvalidArgumentError('expected table, dot or json');
  return value;
}
