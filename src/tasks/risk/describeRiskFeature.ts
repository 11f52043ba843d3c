import { edgeTypes } from '../../types/graph.js';

/** How a feature's value reads. */
type Unit = 'count' | 'share' | 'eth' | 'seconds' | 'number' | 'gwei' | 'bytes' | 'flag' | 'depth';

/** What each node feature (README, Interaction graphs) means, in words, and its unit. */
const features: Readonly<Record<string, readonly [string, Unit]>> = {
  tx_sent: ['transactions sent', 'count'],
  tx_failed_share: ['share of its transactions that failed', 'share'],
  tx_received: ['transactions received', 'count'],
  eth_out: ['ETH sent in total', 'eth'],
  eth_in: ['ETH received in total', 'eth'],
  eth_out_max: ['largest ETH payment sent', 'eth'],
  eth_in_max: ['largest ETH payment received', 'eth'],
  token_transfers_out: ['token transfers sent', 'count'],
  token_transfers_in: ['token transfers received', 'count'],
  active_span: ['time from its first to its last activity', 'seconds'],
  age: ['time since its first activity', 'seconds'],
  burstiness: ['burstiness of its activity (-1 regular, 1 bursty)', 'number'],
  hour_entropy: ['spread of its activity over the hours of the day (bits, 4.58 = even)', 'number'],
  gas_used_mean: ['mean gas used by its transactions', 'count'],
  gas_price_mean: ['mean gas price it paid', 'gwei'],
  is_contract: ['whether it is a contract', 'flag'],
  code_size: ['its code size', 'bytes'],
  ...Object.fromEntries(
    edgeTypes.flatMap((type) => [
      [`out_degree_${type}`, [`outgoing ${type} links (one per counterparty and token)`, 'count']],
      [`in_degree_${type}`, [`incoming ${type} links (one per counterparty and token)`, 'count']],
    ]),
  ),
  counterparties: ['distinct counterparties', 'count'],
  top_contract_share: ['share of its calls to the 20 most-called contracts', 'share'],
  funding_depth: ['funding hops from the nearest large funder', 'depth'],
  funder_fan_out: ['addresses its first funder funded', 'count'],
  neighbour_degree_mean: ['mean links of its counterparties', 'number'],
  neighbour_counterparties_mean: ['mean counterparties of its counterparties', 'number'],
  neighbour_funding_depth_mean: ['mean funding depth of its counterparties', 'number'],
};

/** The funding depth of an address no large funder reaches. */
const noFunder = 32;

/**
 * A sentence on one feature's contribution to a risk score: what the feature is, the address's value against a
 * typical address's (the median the normalizer was fitted with), and the log-odds it adds (gradient × input).
 */
export function describeRiskFeature(
  name: string,
  value: number,
  typical: number,
  contribution: number,
): string {
  const [what, unit] = features[name] ?? [name, 'number'];
  const sign = contribution >= 0 ? '+' : '-';
  return (
    `${what}: ${formatValue(value, unit)}, against ${formatValue(typical, unit)} for a typical address; ` +
    `${contribution >= 0 ? 'raises' : 'lowers'} the risk (${sign}${Math.abs(contribution).toFixed(2)} log-odds)`
  );
}

/** A number with about three significant digits, whole numbers from 1,000 on with thousands separators. */
export function formatAmount(x: number): string {
  if (x === 0) return '0';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  if (Math.abs(x) < 1e-3) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}

function formatValue(x: number, unit: Unit): string {
  switch (unit) {
    case 'count':
      return formatAmount(Math.round(x * 100) / 100);
    case 'share':
      return `${formatAmount(100 * x)}%`;
    case 'eth':
      return `${formatAmount(x)} ETH`;
    case 'gwei':
      return `${formatAmount(x)} gwei`;
    case 'bytes':
      return `${formatAmount(x)} bytes`;
    case 'flag':
      return x >= 0.5 ? 'yes' : 'no';
    case 'depth':
      return x >= noFunder ? 'none reaches it' : formatAmount(x);
    case 'seconds':
      return formatDuration(x);
    case 'number':
      return formatAmount(x);
  }
}

function formatDuration(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'days'],
    [3_600, 'hours'],
    [60, 'minutes'],
  ];
  for (const [size, name] of units)
    if (Math.abs(seconds) >= size) return `${formatAmount(seconds / size)} ${name}`;
  return `${formatAmount(seconds)} s`;
}
