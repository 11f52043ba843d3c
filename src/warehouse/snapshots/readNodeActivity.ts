import { NonRetryableError } from '../../internal/errors.js';
import type { Warehouse } from '../createWarehouse.js';
import type { StagedSnapshot } from './stageSnapshotGraph.js';
import { toRowChunks } from './toRowChunks.js';

/**
 * Per-address activity aggregated in ClickHouse over the snapshot's window (rows at or before the as-of
 * block only), one Float64 column each, in node order. Events are transactions sent or received and token
 * transfers in or out; times are block timestamps.
 */
export const nodeActivityColumns = [
  /** Transactions sent (including failed ones). */
  'tx_sent',
  /** Share of sent transactions that failed (status 0). */
  'tx_failed_share',
  /** Transactions received (to this address). */
  'tx_received',
  /** Native value sent / received over successful transactions, in ether. */
  'eth_out',
  'eth_in',
  /** Largest single native value sent / received, in ether. */
  'eth_out_max',
  'eth_in_max',
  /** Token transfers out / in. */
  'token_transfers_out',
  'token_transfers_in',
  /** Seconds from the first to the last event, and from the first event to the as-of time. */
  'active_span',
  'age',
  /** Burstiness of the gaps between events, (σ − μ) / (σ + μ): −1 periodic, 0 random, → 1 bursty (0 below 3 events). */
  'burstiness',
  /** Shannon entropy (bits) of the hour of day of events: 0 = one hour only, log2(24) ≈ 4.58 = uniform. */
  'hour_entropy',
  /** Mean gas used and mean effective gas price (gwei) of sent transactions with receipts. */
  'gas_used_mean',
  'gas_price_mean',
  /** 1 for a contract (created at or before the as-of block), and its code size in bytes. */
  'is_contract',
  'code_size',
] as const;

/**
 * Reads `nodeActivityColumns` for every node of a staged snapshot: a row-major matrix, nodes × columns. One
 * pass: every event of a node (transaction sent or received, token transfer out or in) and its contract,
 * joined to its index and aggregated per node; a node with neither keeps zeros.
 */
export async function readNodeActivity(
  warehouse: Warehouse,
  staged: StagedSnapshot,
  nodeCount: number,
): Promise<Float64Array> {
  const { chainId, fromBlock, asOfBlock, asOfTime } = staged.point;
  const window = `chain_id = ${chainId} AND block_number BETWEEN ${fromBlock} AND ${asOfBlock}`;
  const transfer = (address: string, role: number) =>
    `SELECT ${address}, ${role}, toUInt32(block_timestamp), NULL, 0, 0, NULL, NULL, 0 FROM token_transfers WHERE ${window}`;
  // Roles: 0 transaction sent, 1 received, 2 token transfer out, 3 in (the events), 4 the node's contract.
  const query = `
    SELECT idx, toFloat64(sent), if(sent = 0, 0, failed / sent), toFloat64(received), eth_out, eth_in, eth_out_max,
           eth_in_max, toFloat64(token_out), toFloat64(token_in), toFloat64(span), toFloat64(age),
           if(length(gaps) < 2 OR mu + sigma = 0, 0, (sigma - mu) / (sigma + mu)), hour_entropy, gas_used_mean,
           gas_price_mean, toFloat64(is_contract), toFloat64(code_size)
    FROM (
      SELECT n.idx AS idx, countIf(role = 0) AS sent, countIf(role = 0 AND status = 0) AS failed,
             countIf(role = 1) AS received,
             sumIf(value, role = 0 AND ok) / 1e18 AS eth_out, sumIf(value, role = 1 AND ok) / 1e18 AS eth_in,
             maxIf(value, role = 0 AND ok) / 1e18 AS eth_out_max, maxIf(value, role = 1 AND ok) / 1e18 AS eth_in_max,
             countIf(role = 2) AS token_out, countIf(role = 3) AS token_in, countIf(role < 4) AS events,
             if(events = 0, 0, maxIf(ts, role < 4) - minIf(ts, role < 4)) AS span,
             if(events = 0, 0, ${asOfTime} - minIf(ts, role < 4)) AS age,
             arraySort(groupArrayIf(ts, role < 4)) AS times, arrayPopFront(arrayDifference(times)) AS gaps,
             -- From the array: cheaper than an entropy state (a hash map) per node.
             if(events = 0, 0, arrayReduce('entropy', arrayMap(t -> toHour(toDateTime(t, 'UTC')), times))) AS hour_entropy,
             arrayAvg(gaps) AS mu, sqrt(arrayAvg(arrayMap(g -> (g - mu) * (g - mu), gaps))) AS sigma,
             ifNull(ifNotFinite(avgIf(gas_used, role = 0), 0), 0) AS gas_used_mean,
             ifNull(ifNotFinite(avgIf(gas_price, role = 0) / 1e9, 0), 0) AS gas_price_mean,
             countIf(role = 4) > 0 AS is_contract, maxIf(code_size, role = 4) AS code_size
      FROM (
        SELECT from_address AS address, 0 AS role, toUInt32(block_timestamp) AS ts, status,
               ifNull(status, 1) = 1 AS ok, toFloat64(value) AS value, toFloat64(gas_used) AS gas_used,
               toFloat64(effective_gas_price) AS gas_price, toUInt32(0) AS code_size
        FROM transactions WHERE ${window}
        UNION ALL
        SELECT assumeNotNull(to_address), 1, toUInt32(block_timestamp), status, ifNull(status, 1) = 1,
               toFloat64(value), NULL, NULL, 0
        FROM transactions WHERE ${window} AND to_address IS NOT NULL
        UNION ALL ${transfer('from_address', 2)}
        UNION ALL ${transfer('to_address', 3)}
        UNION ALL
        SELECT address, 4, 0, NULL, 0, 0, NULL, NULL, code_size
        FROM contracts WHERE chain_id = ${chainId} AND block_number <= ${asOfBlock}
      ) AS e
      INNER JOIN ${staged.nodesTable} AS n ON e.address = n.address
      GROUP BY n.idx)`;
  const width = nodeActivityColumns.length;
  const rowBytes = 4 + 8 * width;
  const out = new Float64Array(nodeCount * width);
  // RowBinary rows of the nodes with events or a contract: u32 node index, then the columns as f64.
  let rows = 0;
  const stray = (bytes: number) => unexpected(`${rows} rows and ${bytes} stray bytes`);
  for await (const { spans } of toRowChunks(warehouse.streamRowBinary(query), rowBytes, stray)) {
    for (const { view, from, to } of spans) {
      for (let at = from; at < to; at += rowBytes) {
        const node = view.getUint32(at, true);
        if (node >= nodeCount) throw unexpected(`node ${node} of ${nodeCount}`);
        for (let c = 0; c < width; c += 1) out[node * width + c] = view.getFloat64(at + 4 + 8 * c, true);
        rows += 1;
      }
    }
  }
  if (rows > nodeCount) throw unexpected(`${rows} rows and 0 stray bytes`);
  return out;
}

function unexpected(what: string): NonRetryableError {
  return new NonRetryableError(`The warehouse streamed ${what} of node activity`, {
    code: 'SNAPSHOT_STREAM_INVALID',
    details: 'Expected one row per node index: a u32 index and the activity columns as Float64.',
  });
}
