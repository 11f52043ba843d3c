import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { NonRetryableError } from '../../internal/errors.js';

/** A reply's status and its whole body as text. */
export interface PostReply {
  status: number;
  text: string;
}

/** Options for {@link createJsonPoster}. */
export interface JsonPosterOptions {
  /** Per-request timeout in milliseconds, from sending until the whole reply is in. */
  timeoutMs: number;
  /** Largest reply accepted, in bytes: a larger one is cancelled as soon as it is known to be larger. */
  maxResponseBytes: number;
}

/** Why a POST did not get a whole reply: the connection (or the timeout), or a reply over the size limit. */
export class PostError extends Error {
  constructor(
    message: string,
    readonly kind: 'connection' | 'too-large',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Creates a function that POSTs a JSON body to `url` over kept-alive connections and returns the reply text.
 * node:http rather than fetch: reading replies through web streams cost the indexer more CPU than decoding them.
 * Credentials in the URL (`https://user:key@host/…`) are sent as basic auth.
 */
export function createJsonPoster(
  url: string,
  options: JsonPosterOptions,
): (body: string) => Promise<PostReply> {
  const target = parseNodeUrl(url);
  const secure = target.protocol === 'https:';
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const send = secure ? httpsRequest : httpRequest;
  const auth =
    target.username || target.password
      ? `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`
      : undefined;
  const post = (body: string, attempt = 1): Promise<PostReply> =>
    new Promise<PostReply>((resolve, reject) => {
      const fail = (error: PostError) => {
        request.destroy();
        reject(error);
      };
      const request = send(
        {
          protocol: target.protocol,
          hostname: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: 'POST',
          agent,
          ...(auth ? { auth } : {}),
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          timeout: options.timeoutMs,
        },
        (response: IncomingMessage) => {
          const declared = Number(response.headers['content-length'] ?? Number.NaN);
          if (declared > options.maxResponseBytes) {
            fail(new PostError(`${declared} bytes`, 'too-large'));
            return;
          }
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.byteLength;
            if (size > options.maxResponseBytes) {
              fail(new PostError(`more than ${options.maxResponseBytes} bytes`, 'too-large'));
              return;
            }
            chunks.push(chunk);
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks, size).toString('utf8') }),
          );
          response.on('error', (cause) => reject(new PostError(cause.message, 'connection', { cause })));
        },
      );
      const timer = setTimeout(
        () => fail(new PostError(`no complete reply within ${options.timeoutMs} ms`, 'connection')),
        options.timeoutMs,
      );
      request.on('close', () => clearTimeout(timer));
      request.on('timeout', () =>
        fail(new PostError(`the connection was idle for ${options.timeoutMs} ms`, 'connection')),
      );
      request.on('error', (cause: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed as we reused it: the request never reached the server,
        // so sending it again on a new connection is safe (even for writes).
        if (
          request.reusedSocket &&
          attempt === 1 &&
          (cause.code === 'ECONNRESET' || cause.code === 'EPIPE')
        ) {
          clearTimeout(timer);
          post(body, 2).then(resolve, reject);
          return;
        }
        reject(new PostError(cause.message, 'connection', { cause }));
      });
      request.end(body);
    });
  return post;
}

/** `url` parsed, or a clear error unless it is an http(s) URL. */
function parseNodeUrl(url: string): URL {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') {
    throw new NonRetryableError(`Not a JSON-RPC endpoint URL: ${JSON.stringify(url)}`, {
      code: 'RPC_URL_INVALID',
      details: 'Expected an http:// or https:// URL, e.g. http://127.0.0.1:8545.',
    });
  }
  return parsed;
}
