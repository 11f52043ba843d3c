import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { datasetsDir } from './mainnetFixtures.js';

interface Call {
  id: unknown;
  method: string;
  params?: unknown[];
}

/** Every recorded reply under rpc-fixtures, keyed the way the files are named: `<method>_<params joined by _>`. */
function loadRecordedReplies(): Map<string, unknown> {
  const replies = new Map<string, unknown>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.startsWith('web3_response.') && name.endsWith('.json')) {
        const reply = JSON.parse(readFileSync(path, 'utf8')) as { result?: unknown };
        replies.set(name.slice('web3_response.'.length, -'.json'.length), reply.result ?? null);
      }
    }
  };
  walk(join(datasetsDir, 'rpc-fixtures'));
  return replies;
}

/**
 * A JSON-RPC server that replays ethereum-etl's recorded mainnet replies (../shared/datasets/rpc-fixtures):
 * like an old node, it has no eth_getBlockReceipts; a call with no recording is an error naming it.
 */
export async function startFixtureRpcServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const replies = loadRecordedReplies();
  const answer = (call: Call) => {
    const key = [call.method, ...(call.params ?? []).map(String)].join('_');
    if (call.method === 'eth_chainId') return { jsonrpc: '2.0', id: call.id, result: '0x1' };
    if (call.method === 'eth_getCode') return { jsonrpc: '2.0', id: call.id, result: '0x' };
    if (call.method === 'eth_getBlockReceipts') {
      return {
        jsonrpc: '2.0',
        id: call.id,
        error: { code: -32601, message: 'the method eth_getBlockReceipts does not exist/is not available' },
      };
    }
    if (!replies.has(key))
      return { jsonrpc: '2.0', id: call.id, error: { code: -32000, message: `no recording for ${key}` } };
    return { jsonrpc: '2.0', id: call.id, result: replies.get(key) };
  };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const parsed = JSON.parse(body) as Call | Call[];
      const reply = Array.isArray(parsed) ? parsed.map(answer) : answer(parsed);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
