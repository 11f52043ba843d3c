// World simulator throughput (transactions per second, scale from BENCH_SCALE, default medium) against
// the floor of the same path: the node's own rate for the cheapest transactions (plain ETH transfers)
// signed, sent one by one and mined in blocks of the same average size, through the same writer.
import { privateKeyToAccount } from 'viem/accounts';
import { startDevnet } from '../../src/chain/devnet/startDevnet.js';
import { createChainWriter, type TxRequest } from '../../src/chain/simulator/createChainWriter.js';
import type { Scale } from '../../src/chain/simulator/scenarioParams.js';
import { simulate } from '../../src/chain/simulator/simulate.js';
import { report } from './report.js';

const scale = (process.env.BENCH_SCALE ?? 'medium') as Scale;

const devnet = await startDevnet();
const result = await simulate({ rpc: devnet.provider, seed: 1, scale });
await devnet.stop();
const simRate = result.transactions / result.seconds;

const floorNode = await startDevnet({ automine: false });
const writer = createChainWriter(floorNode.provider, floorNode.chainId);
const senders = floorNode.fundedKeys.map((key) => privateKeyToAccount(key));
const perBlock = Math.max(1, Math.round(result.transactions / result.lastBlock));
const total = Math.min(result.transactions, 20_000);
const nonces = new Map<string, number>();
const started = performance.now();
let timestamp = 1_704_067_200;
for (let sent = 0; sent < total; sent += perBlock) {
  const txs: TxRequest[] = [];
  for (let i = 0; i < Math.min(perBlock, total - sent); i += 1) {
    const from = senders[(sent + i) % senders.length]!;
    const nonce = nonces.get(from.address) ?? 0;
    nonces.set(from.address, nonce + 1);
    txs.push({ from, nonce, to: senders[(sent + i + 1) % senders.length]!.address, value: 1n, gas: 21_000n });
  }
  timestamp += 12;
  await writer.writeBlock(txs, timestamp);
}
const floorRate = total / ((performance.now() - started) / 1000);
await floorNode.stop();

report({
  bench: `simulator.${scale}.throughput`,
  value: Math.round(simRate),
  unit: 'tx/s',
  baseline: Math.round(floorRate),
  ratio: simRate / floorRate,
  transactions: result.transactions,
  blocks: result.lastBlock,
  accounts: result.labels.filter((l) => !l.isContract).length,
  seconds: Number(result.seconds.toFixed(1)),
  note: 'baseline = plain ETH transfers through the same sign/send/mine path (the floor of any scenario)',
});
