import { describe, expect, it } from 'vitest';
import { startTsProcess } from '../../test/setup/spawnProcess.js';
import { createLogger } from './createLogger.js';
import { createShutdown } from './createShutdown.js';

const silent = createLogger({ level: 'silent' });

describe('createShutdown', () => {
  it('closes resources newest first, each exactly once, however often close is called', async () => {
    const closed: string[] = [];
    const shutdown = createShutdown(silent);
    shutdown.register('warehouse', () => closed.push('warehouse'));
    shutdown.register('redis', async () => {
      await Promise.resolve();
      closed.push('redis');
    });
    shutdown.register('server', () => closed.push('server'));
    await Promise.all([shutdown.close(), shutdown.close()]);
    await shutdown.close();
    expect(closed).toEqual(['server', 'redis', 'warehouse']);
    expect(shutdown.closing).toBe(true);
  });

  it('keeps closing the rest when one resource fails to close', async () => {
    const closed: string[] = [];
    const shutdown = createShutdown(silent);
    shutdown.register('a', () => closed.push('a'));
    shutdown.register('b', () => {
      throw new Error('boom');
    });
    shutdown.register('c', () => closed.push('c'));
    await shutdown.close();
    expect(closed).toEqual(['c', 'a']);
  });

  it('does not close a resource that was unregistered', async () => {
    const closed: string[] = [];
    const shutdown = createShutdown(silent);
    const unregister = shutdown.register('a', () => closed.push('a'));
    shutdown.register('b', () => closed.push('b'));
    unregister();
    await shutdown.close();
    expect(closed).toEqual(['b']);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('on %s closes everything in reverse order and exits with %i', async (signal, exitCode) => {
    const proc = startTsProcess('test/fixtures/shutdownOnSignal.ts');
    await proc.waitForLine('ready');
    proc.child.kill(signal);
    const result = await proc.exited;
    expect(result.stdout).toBe('ready\nclosed third\nclosed second\nclosed first\n');
    expect(result.code).toBe(exitCode);
  });
});
