import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../internal/createLogger.js';
import { createTfBackend } from './createTfBackend.js';

/** A JSON logger at debug level and the lines it wrote so far. */
function captureLogger() {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const logger = createLogger({ level: 'debug', destination: out, pretty: false });
  const lines = () =>
    text
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}

describe('createTfBackend', () => {
  it('starts wasm with SIMD on one thread when tfjs-node is not installed, once however often it is called', async () => {
    const { logger, lines } = captureLogger();
    const [first, second] = await Promise.all([createTfBackend({ logger }), createTfBackend({ logger })]);
    const third = await createTfBackend({ logger });
    expect([first.backend, second.backend, third.backend]).toEqual(['wasm', 'wasm', 'wasm']);
    expect(first.tf.getBackend()).toBe('wasm');
    expect(await first.tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')).toBe(true);
    const choices = lines().filter((line) => line.level === 30);
    expect(choices).toEqual([
      expect.objectContaining({
        backend: 'wasm',
        simd: true,
        threads: 1,
        msg: 'TensorFlow.js backend: wasm (SIMD, 1 thread)',
      }),
    ]);
    expect(first.tf.matMul(first.tf.eye(2), first.tf.ones([2, 2])).arraySync()).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it('uses cpu only when forced, and goes back to wasm on auto', async () => {
    const { logger, lines } = captureLogger();
    expect((await createTfBackend({ logger, backend: 'cpu' })).tf.getBackend()).toBe('cpu');
    expect((await createTfBackend({ logger })).backend).toBe('wasm');
    expect(
      lines()
        .filter((line) => line.level === 30)
        .map((line) => line.backend),
    ).toEqual(['cpu', 'wasm']);
  });

  it('refuses a thread count the wasm build cannot run, naming the range', async () => {
    const { logger } = captureLogger();
    await expect(createTfBackend({ logger, threads: 9 })).rejects.toMatchObject({
      code: 'TF_BACKEND_UNAVAILABLE',
      shortMessage: 'TensorFlow.js cannot run on 9 threads',
      details: expect.stringContaining('from 1 to 8'),
    });
  });

  it('refuses a forced tensorflow backend that is not installed, saying what to do', async () => {
    const { logger } = captureLogger();
    await expect(createTfBackend({ logger, backend: 'tensorflow' })).rejects.toMatchObject({
      code: 'TF_BACKEND_UNAVAILABLE',
      shortMessage: 'The tensorflow backend (tfjs-node) was asked for but does not load',
      details: expect.stringContaining('use backend auto or wasm'),
    });
  });
});
