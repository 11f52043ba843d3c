import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A file being written under a temporary name beside its final path. */
export interface AtomicFile {
  write(bytes: Uint8Array): void;
  /** Flushes to disk, renames into place and returns the SHA-256 (hex) of everything written. */
  commit(): string;
  /** Removes the temporary file (after a failure). */
  abort(): void;
}

/** Opens `path` for an atomic write: readers see the old file (or none) until `commit`, never half a file. */
export function openAtomicFile(path: string): AtomicFile {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const fd = openSync(temporary, 'w');
  const hash = createHash('sha256');
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    write(bytes) {
      hash.update(bytes);
      let written = 0;
      while (written < bytes.byteLength) written += writeSync(fd, bytes, written);
    },
    commit() {
      fsyncSync(fd);
      close();
      renameSync(temporary, path);
      return hash.digest('hex');
    },
    abort() {
      close();
      rmSync(temporary, { force: true });
    },
  };
}

/** Writes `path` atomically (see openAtomicFile); `content` may be given in pieces. */
export function writeFileAtomic(path: string, content: string | readonly Uint8Array[]): void {
  const file = openAtomicFile(path);
  try {
    for (const piece of typeof content === 'string' ? [Buffer.from(content)] : content) file.write(piece);
    file.commit();
  } catch (error) {
    file.abort();
    throw error;
  }
}
