import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './createLogger.js';

describe('createLogger', () => {
  it('writes JSON lines with level, message and fields when not on a terminal', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const logger = createLogger({ level: 'info', destination: out });
    logger.debug('hidden');
    logger.info({ table: 'blocks' }, 'migrated');
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: 'migrated', table: 'blocks', pid: process.pid });
  });

  it('writes human-readable lines when asked to be pretty', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    createLogger({ level: 'info', destination: out, pretty: true }).warn('disk almost full');
    expect(text).toContain('disk almost full');
    expect(() => JSON.parse(text)).toThrow();
  });
});
