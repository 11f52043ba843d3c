import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createJsonPoster, PostError } from './createJsonPoster.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A local HTTP server answering with `handle`; resolves to its base URL. */
async function serve(handle: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handle);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const limits = { timeoutMs: 5_000, maxResponseBytes: 1_000 };

describe('createJsonPoster', () => {
  it('posts the JSON body and returns status and text, with URL credentials as basic auth', async () => {
    const url = await serve((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        response.writeHead(201, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            got: Buffer.concat(chunks).toString(),
            type: request.headers['content-type'],
            auth: request.headers.authorization,
            path: request.url,
          }),
        );
      });
    });
    const post = createJsonPoster(url.replace('http://', 'http://user:k%40y@') + '/v2/abc?x=1', limits);
    const reply = await post('{"ü":1}');
    expect(reply.status).toBe(201);
    expect(JSON.parse(reply.text)).toEqual({
      got: '{"ü":1}',
      type: 'application/json',
      auth: `Basic ${Buffer.from('user:k@y').toString('base64')}`,
      path: '/v2/abc?x=1',
    });
  });

  it('refuses a reply over the size limit, declared or streamed', async () => {
    const declared = await serve((_, response) => {
      response.writeHead(200, { 'content-length': '5000' });
      response.end('x'.repeat(5000));
    });
    const streamed = await serve((_, response) => {
      response.writeHead(200);
      for (let i = 0; i < 10; i += 1) response.write('y'.repeat(500));
      response.end();
    });
    for (const url of [declared, streamed]) {
      const error = await createJsonPoster(url, limits)('{}').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PostError);
      expect((error as PostError).kind).toBe('too-large');
    }
  });

  it('gives up on a node that does not answer in time, and on a refused connection', async () => {
    const silent = await serve(() => {});
    const late = await createJsonPoster(silent, { ...limits, timeoutMs: 200 })('{}').catch((e: unknown) => e);
    expect(late).toMatchObject({ kind: 'connection', message: expect.stringMatching(/200 ms/) });
    const closed = await serve(() => {});
    const port = new URL(closed).port;
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    const refused = await createJsonPoster(`http://127.0.0.1:${port}`, limits)('{}').catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'connection', message: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('sends again on a new connection when the server dropped the kept-alive one being reused', async () => {
    const served = new WeakMap<object, number>();
    let dropped = 0;
    const url = await serve((request, response) => {
      const count = (served.get(request.socket) ?? 0) + 1;
      served.set(request.socket, count);
      if (count === 2) {
        dropped += 1;
        request.socket.destroy();
        return;
      }
      response.end('{"ok":true}');
    });
    const post = createJsonPoster(url, limits);
    expect((await post('{}')).text).toBe('{"ok":true}');
    expect((await post('{}')).text).toBe('{"ok":true}');
    expect(dropped).toBe(1);
  });

  it('refuses a URL that is not http(s), naming it', () => {
    expect(() => createJsonPoster('ws://127.0.0.1:8545', limits)).toThrow(
      /Not a JSON-RPC endpoint URL: "ws:/,
    );
    expect(() => createJsonPoster('localhost:8545', limits)).toThrow(/Expected an http/);
  });
});
