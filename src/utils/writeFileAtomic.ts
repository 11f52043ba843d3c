import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `path` through a temporary file beside it, flushed to disk, and a rename, so readers never see half
 * a file and a crash leaves the previous version (or nothing). `content` may be given in pieces.
 */
export function writeFileAtomic(path: string, content: string | readonly Uint8Array[]): void {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    const fd = openSync(temporary, 'w');
    try {
      for (const piece of typeof content === 'string' ? [Buffer.from(content)] : content) {
        let written = 0;
        while (written < piece.byteLength) written += writeSync(fd, piece, written);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
