import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { NonRetryableError } from '../internal/errors.js';
import { writeFileAtomic } from './writeFileAtomic.js';

/** The typed arrays a file may hold. */
export type StoredArray = Uint8Array | Uint32Array | Int32Array | Float32Array | Float64Array;

const constructors = { Uint8Array, Uint32Array, Int32Array, Float32Array, Float64Array } as const;
type ArrayType = keyof typeof constructors;

const magic = 'CHAINGNN';
const formatVersion = 1;

/** Where an array sits in the data section, as the JSON header lists it. */
interface ArrayEntry {
  name: string;
  type: ArrayType;
  length: number;
  offset: number;
}

/**
 * Writes named typed arrays and JSON metadata to one file, atomically. Layout (little-endian): 8 bytes
 * "CHAINGNN", u32 format version, u32 header length H, H bytes of JSON header ({ meta, arrays: [{ name, type,
 * length, offset }], dataBytes, sha256 }), zero padding to a multiple of 8, then the data section: each array's
 * raw bytes at its offset (a multiple of 8). `sha256` covers the data section.
 */
export function writeTypedArrayFile(path: string, meta: unknown, arrays: Record<string, StoredArray>): void {
  const entries: ArrayEntry[] = [];
  const pieces: Uint8Array[] = [];
  const hash = createHash('sha256');
  let offset = 0;
  for (const [name, array] of Object.entries(arrays)) {
    const type = array.constructor.name as ArrayType;
    if (!(type in constructors)) throw new TypeError(`${name}: ${type} cannot be stored`);
    entries.push({ name, type, length: array.length, offset });
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    const padding = new Uint8Array((8 - (bytes.byteLength % 8)) % 8);
    pieces.push(bytes, padding);
    hash.update(bytes).update(padding);
    offset += bytes.byteLength + padding.byteLength;
  }
  const header = Buffer.from(
    JSON.stringify({ meta, arrays: entries, dataBytes: offset, sha256: hash.digest('hex') }),
  );
  const prefix = Buffer.alloc(16);
  prefix.write(magic, 0, 'latin1');
  prefix.writeUInt32LE(formatVersion, 8);
  prefix.writeUInt32LE(header.byteLength, 12);
  const headerPadding = new Uint8Array((8 - ((16 + header.byteLength) % 8)) % 8);
  writeFileAtomic(path, [prefix, header, headerPadding, ...pieces]);
}

/** Reads a file written by {@link writeTypedArrayFile}, checking its layout and checksum; names what is wrong. */
export function readTypedArrayFile<M>(path: string): { meta: M; arrays: Record<string, StoredArray> } {
  const fail = (problem: string) =>
    new NonRetryableError(`${path} is not a readable chaingnn array file: ${problem}`, {
      code: 'ARRAY_FILE_INVALID',
      details:
        'Expected a file written by chaingnn (format version 1). Rebuild it; it may be truncated or from another program.',
    });
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (error) {
    throw new NonRetryableError(`Cannot read ${path}: ${(error as Error).message}`, {
      code: 'ARRAY_FILE_MISSING',
      cause: error,
    });
  }
  if (file.byteLength < 16 || file.toString('latin1', 0, 8) !== magic)
    throw fail('it does not start with "CHAINGNN"');
  const version = file.readUInt32LE(8);
  if (version !== formatVersion) throw fail(`format version ${version}`);
  const headerLength = file.readUInt32LE(12);
  if (16 + headerLength > file.byteLength) throw fail('the header runs past the end of the file');
  let header: { meta: M; arrays: ArrayEntry[]; dataBytes: number; sha256: string };
  try {
    header = JSON.parse(file.toString('utf8', 16, 16 + headerLength));
  } catch {
    throw fail('its header is not JSON');
  }
  const dataStart = 16 + headerLength + ((8 - ((16 + headerLength) % 8)) % 8);
  if (file.byteLength !== dataStart + header.dataBytes) {
    throw fail(`it has ${file.byteLength} bytes, its header says ${dataStart + header.dataBytes}`);
  }
  const data = file.subarray(dataStart);
  if (createHash('sha256').update(data).digest('hex') !== header.sha256)
    throw fail('its checksum does not match');
  // Copy into an aligned buffer: typed-array views need offsets that are multiples of their element size.
  const aligned = new Uint8Array(data.byteLength);
  aligned.set(data);
  const arrays: Record<string, StoredArray> = {};
  for (const entry of header.arrays) {
    const Ctor = constructors[entry.type];
    if (!Ctor) throw fail(`array ${entry.name} has unknown type ${entry.type}`);
    if (entry.offset + entry.length * Ctor.BYTES_PER_ELEMENT > data.byteLength) {
      throw fail(`array ${entry.name} runs past the data section`);
    }
    arrays[entry.name] = new Ctor(aligned.buffer, entry.offset, entry.length);
  }
  return { meta: header.meta, arrays };
}
