import { createPublicClient, createTestClient, createWalletClient, http, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTsProcess } from '../../../test/setup/spawnProcess.js';
import { type Devnet, defaultGenesisTime, startDevnet } from './startDevnet.js';

describe('startDevnet', () => {
  let devnet: Devnet;
  const rpc = <T>(method: string, params: unknown[] = []) =>
    devnet.provider.request({ method, params }) as Promise<T>;

  beforeAll(async () => {
    devnet = await startDevnet();
  });
  afterAll(() => devnet.stop());

  it('serves JSON-RPC on 127.0.0.1 with funded dev accounts and a fixed genesis', async () => {
    expect(devnet.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = createPublicClient({ transport: http(devnet.url, { retryCount: 0 }) });
    expect(await client.getChainId()).toBe(31337);
    const genesis = await client.getBlock({ blockNumber: 0n });
    expect(Number(genesis.timestamp)).toBe(defaultGenesisTime.getTime() / 1000);
    const other = await startDevnet();
    try {
      const otherGenesis = await createPublicClient({
        transport: http(other.url, { retryCount: 0 }),
      }).getBlock({ blockNumber: 0n });
      expect(otherGenesis.hash).toBe(genesis.hash);
    } finally {
      await other.stop();
    }
    const balance = await client.getBalance({ address: privateKeyToAccount(devnet.fundedKeys[0]!).address });
    expect(balance).toBe(parseEther('1000000'));
  });

  it('snapshots and reverts state (how tests make reorgs)', async () => {
    const account = privateKeyToAccount(devnet.fundedKeys[1]!);
    const wallet = createWalletClient({ account, transport: http(devnet.url, { retryCount: 0 }) });
    const test = createTestClient({ mode: 'hardhat', transport: http(devnet.url, { retryCount: 0 }) });
    const startBlock = await rpc<string>('eth_blockNumber');
    const snapshot = await test.snapshot();
    await wallet.sendTransaction({
      to: '0x000000000000000000000000000000000000dEaD',
      value: 1n,
      chain: null,
    });
    const forkedHash = (await rpc<{ hash: string }>('eth_getBlockByNumber', ['latest', false])).hash;
    expect(await rpc('eth_blockNumber')).not.toBe(startBlock);
    await test.revert({ id: snapshot });
    expect(await rpc('eth_blockNumber')).toBe(startBlock);
    await test.mine({ blocks: 1 });
    const replacement = (await rpc<{ hash: string }>('eth_getBlockByNumber', ['latest', false])).hash;
    expect(replacement).not.toBe(forkedHash);
  });

  it('lets the caller control mining: automine off, mine at a set time, mine N blocks', async () => {
    await rpc('evm_setAutomine', [false]);
    const account = privateKeyToAccount(devnet.fundedKeys[2]!);
    const wallet = createWalletClient({ account, transport: http(devnet.url, { retryCount: 0 }) });
    const before = Number(await rpc<string>('eth_blockNumber'));
    const hash = await wallet.sendTransaction({ to: account.address, value: 1n, chain: null });
    expect(Number(await rpc<string>('eth_blockNumber'))).toBe(before);
    const latest = await rpc<{ timestamp: string }>('eth_getBlockByNumber', ['latest', false]);
    const at = Number(latest.timestamp) + 3_600;
    await rpc('evm_mine', [at]);
    const mined = await rpc<{ timestamp: string; transactions: string[] }>('eth_getBlockByNumber', [
      'latest',
      false,
    ]);
    expect(Number(mined.timestamp)).toBe(at);
    expect(mined.transactions).toEqual([hash]);
    await rpc('hardhat_mine', ['0x5']);
    expect(Number(await rpc<string>('eth_blockNumber'))).toBe(before + 6);
    await rpc('evm_setAutomine', [true]);
  });

  it('refuses a port that is taken, saying which and what to do', async () => {
    await expect(startDevnet({ port: devnet.port })).rejects.toThrow(
      `Cannot start the devnet on 127.0.0.1:${devnet.port}`,
    );
  });

  it('`chaingnn devnet start` serves until SIGTERM, then exits cleanly', async () => {
    const proc = startTsProcess('src/cli/main.ts', ['devnet', 'start', '--port', '0']);
    const line = await new Promise<string>((resolve, reject) => {
      proc.child.stdout!.on('data', (chunk: Buffer) => {
        const match = /devnet listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(chunk.toString());
        if (match) resolve(match[1]!);
      });
      void proc.exited.then((r) => reject(new Error(`exited early: ${r.stderr}`)));
    });
    const reply = await fetch(line, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    });
    expect(await reply.json()).toMatchObject({ result: '0x7a69' });
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(143);
  });
});
