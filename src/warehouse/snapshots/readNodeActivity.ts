import { NonRetryableError } from '../../internal/errors.js';
import type { Warehouse } from '../createWarehouse.js';
import type { StagedSnapshot } from './stageSnapshotGraph.js';

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

/** Reads `nodeActivityColumns` for every node of a staged snapshot: a row-major matrix, nodes × columns. */
export async function readNodeActivity(
  warehouse: Warehouse,
  staged: StagedSnapshot,
  nodeCount: number,
): Promise<Float64Array> {
  const { chainId, fromBlock, asOfBlock, asOfTime } = staged.point;
  const window = `chain_id = ${chainId} AND block_number BETWEEN ${fromBlock} AND ${asOfBlock}`;
  const query = `
    WITH events AS (
      SELECT from_address AS address, toUInt32(block_timestamp) AS ts FROM transactions WHERE ${window}
      UNION ALL
      SELECT assumeNotNull(to_address), toUInt32(block_timestamp) FROM transactions WHERE ${window} AND to_address IS NOT NULL
      UNION ALL
      SELECT from_address, toUInt32(block_timestamp) FROM token_transfers WHERE ${window}
      UNION ALL
      SELECT to_address, toUInt32(block_timestamp) FROM token_transfers WHERE ${window}
    )
    SELECT
      toFloat64(ifNull(s.sent, 0)), toFloat64(if(ifNull(s.sent, 0) = 0, 0, s.failed / s.sent)),
      toFloat64(ifNull(r.received, 0)),
      ifNull(s.eth_out, 0), ifNull(r.eth_in, 0), ifNull(s.eth_out_max, 0), ifNull(r.eth_in_max, 0),
      toFloat64(ifNull(t.out_n, 0)), toFloat64(ifNull(t.in_n, 0)),
      ifNull(a.span, 0), ifNull(a.age, 0), ifNull(a.burstiness, 0), ifNull(a.hour_entropy, 0),
      ifNull(s.gas_used_mean, 0), ifNull(s.gas_price_mean, 0),
      toFloat64(c.address != ''), toFloat64(ifNull(c.code_size, 0))
    FROM ${staged.nodesTable} AS n
    LEFT JOIN (
      SELECT from_address AS address, count() AS sent, countIf(status = 0) AS failed,
             sumIf(toFloat64(value), ifNull(status, 1) = 1) / 1e18 AS eth_out,
             maxIf(toFloat64(value), ifNull(status, 1) = 1) / 1e18 AS eth_out_max,
             ifNotFinite(avgIf(toFloat64(gas_used), gas_used IS NOT NULL), 0) AS gas_used_mean,
             ifNotFinite(avgIf(toFloat64(effective_gas_price), effective_gas_price IS NOT NULL) / 1e9, 0) AS gas_price_mean
      FROM transactions WHERE ${window} GROUP BY from_address
    ) AS s ON s.address = n.address
    LEFT JOIN (
      SELECT assumeNotNull(to_address) AS address, count() AS received,
             sumIf(toFloat64(value), ifNull(status, 1) = 1) / 1e18 AS eth_in,
             maxIf(toFloat64(value), ifNull(status, 1) = 1) / 1e18 AS eth_in_max
      FROM transactions WHERE ${window} AND to_address IS NOT NULL GROUP BY to_address
    ) AS r ON r.address = n.address
    LEFT JOIN (
      SELECT address, sum(out_n) AS out_n, sum(in_n) AS in_n FROM (
        SELECT from_address AS address, count() AS out_n, 0 AS in_n FROM token_transfers WHERE ${window} GROUP BY from_address
        UNION ALL
        SELECT to_address, 0, count() FROM token_transfers WHERE ${window} GROUP BY to_address)
      GROUP BY address
    ) AS t ON t.address = n.address
    LEFT JOIN (
      SELECT address,
             toFloat64(max(ts) - min(ts)) AS span, toFloat64(${asOfTime} - min(ts)) AS age,
             entropy(toHour(toDateTime(ts, 'UTC'))) AS hour_entropy,
             arrayPopFront(arrayDifference(arraySort(groupArray(ts)))) AS gaps,
             arrayAvg(gaps) AS mu, sqrt(arrayAvg(arrayMap(g -> (g - mu) * (g - mu), gaps))) AS sigma,
             if(length(gaps) < 2 OR mu + sigma = 0, 0, (sigma - mu) / (sigma + mu)) AS burstiness
      FROM events GROUP BY address
    ) AS a ON a.address = n.address
    LEFT JOIN (
      SELECT address, code_size FROM contracts WHERE chain_id = ${chainId} AND block_number <= ${asOfBlock}
    ) AS c ON c.address = n.address
    ORDER BY n.idx`;
  const width = nodeActivityColumns.length;
  const out = new Float64Array(nodeCount * width);
  const bytes = new Uint8Array(out.buffer);
  let filled = 0;
  for await (const chunk of warehouse.streamRowBinary(query)) {
    if (filled + chunk.byteLength > bytes.byteLength) break;
    bytes.set(chunk, filled);
    filled += chunk.byteLength;
  }
  if (filled !== bytes.byteLength) {
    throw new NonRetryableError(`The warehouse streamed ${filled} bytes of node activity`, {
      code: 'SNAPSHOT_STREAM_INVALID',
      details: `Expected ${nodeCount} nodes × ${width} Float64 columns (${bytes.byteLength} bytes).`,
    });
  }
  return out;
}
