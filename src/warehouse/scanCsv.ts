import { open } from 'node:fs/promises';

/**
 * Splitting delimited text files into records without parsing their fields: ClickHouse parses the fields
 * (its own CSV reader); this only finds where each record starts and ends, so that every record can be sent
 * tagged with its file and line (exact even when a quoted field spans lines) and so that large files travel
 * in bounded chunks.
 */

const quote = 0x22;
const newline = 0x0a;
const carriageReturn = 0x0d;
const readBytes = 8 << 20;

/** A batch of records ready to insert: each record is `<file><d><line><d><the record's bytes>\n`. */
export interface CsvChunk {
  body: Buffer;
  /** The file index of each record, in order. */
  files: number[];
  /** The (1-based) line each record starts on, in order. */
  lines: number[];
}

/** Raised when a file cannot be split into records (an unterminated quoted field). */
export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
  }
}

/** Collects records into chunks of about `chunkBytes` and hands each full chunk to `flush`. */
export interface CsvChunkWriter {
  /** Adds one record; returns true when the chunk is full and should be flushed. */
  add(file: number, line: number, source: Buffer, start: number, end: number): boolean;
  /** Sends the pending records (if any) to the flush callback. */
  flush(): Promise<void>;
}

/** Creates a {@link CsvChunkWriter} that prefixes every record with its file index and line. */
export function createCsvChunkWriter(options: {
  delimiter: string;
  chunkBytes?: number;
  flush: (chunk: CsvChunk) => Promise<void>;
}): CsvChunkWriter {
  const target = options.chunkBytes ?? 16 << 20;
  const d = options.delimiter;
  let out = Buffer.allocUnsafe(target + 1024);
  let used = 0;
  let files: number[] = [];
  let lines: number[] = [];
  return {
    add(file, line, source, start, end) {
      const prefix = `${file}${d}${line}${d}`;
      const needed = prefix.length + (end - start) + 1;
      if (used + needed > out.length) {
        // Only a single record larger than the buffer gets here with records already pending: grow.
        const grown = Buffer.allocUnsafe(Math.max(out.length * 2, used + needed));
        out.copy(grown, 0, 0, used);
        out = grown;
      }
      used += out.write(prefix, used, 'latin1');
      used += source.copy(out, used, start, end);
      out[used] = newline;
      used += 1;
      files.push(file);
      lines.push(line);
      return used >= target;
    },
    async flush() {
      if (files.length === 0) return;
      const chunk = { body: Buffer.from(out.subarray(0, used)), files, lines };
      used = 0;
      files = [];
      lines = [];
      await options.flush(chunk);
    },
  };
}

/** Splits one record (without its line ending) into fields, honouring quotes and doubled quotes. */
export function splitCsvRecord(record: string, delimiter = ','): string[] {
  const fields: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < record.length; i += 1) {
    const c = record[i]!;
    if (inQuotes) {
      if (c === '"' && record[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') inQuotes = false;
      else field += c;
    } else if (c === '"' && field === '') inQuotes = true;
    else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

/**
 * Reads the first record of a file (its header, when it has one) as fields, or null for an empty file.
 * A UTF-8 byte-order mark is dropped.
 */
export async function readFirstCsvRecord(path: string, delimiter = ','): Promise<string[] | null> {
  const found: string[][] = [];
  await scanCsvFile(path, {
    delimiter,
    onRecord: (fields) => {
      found.push(fields);
      return false;
    },
  });
  return found[0] ?? null;
}

/** Options for {@link scanCsvFile}. */
export interface ScanCsvOptions {
  delimiter: string;
  /**
   * Called with the first non-empty record as text; return false to stop scanning (reading a header), true
   * to treat it as the header and continue with the data records. Omitted: every record is data.
   */
  onRecord?: (fields: string[]) => boolean;
  /** Where data records go, tagged with `file` (omitted: only the first record is read). */
  writer?: CsvChunkWriter;
  file?: number;
  /** Bytes per read (default 8 MiB, less for smaller files). */
  readBytes?: number;
}

/**
 * Splits a file into records: a newline ends a record unless it is inside a quoted field (a quote opens a
 * field only at its start, `""` inside quotes is a literal quote). Blank lines are skipped; `\r\n` endings
 * are normalised to `\n`. Returns the number of data records.
 */
export async function scanCsvFile(path: string, options: ScanCsvOptions): Promise<number> {
  const delimiter = options.delimiter.charCodeAt(0);
  const handle = await open(path, 'r');
  // Small files (most CSV exports) get a buffer their size, not the full read size.
  const blockBytes =
    options.readBytes ?? Math.min(readBytes, Math.max(64 << 10, (await handle.stat()).size + 1));
  let records = 0;
  let headerPending = options.onRecord !== undefined;
  let pending = Buffer.alloc(0);
  let line = 1; // the line the current record starts on
  let inQuotes = false;
  let pos = 0; // scan position inside `pending`, relative to the current record's start (0)
  let eof = false;
  let first = true;
  try {
    while (!eof) {
      const block = Buffer.allocUnsafe(blockBytes);
      const { bytesRead } = await handle.read(block, 0, blockBytes, null);
      eof = bytesRead === 0;
      let buf = pending.length
        ? Buffer.concat([pending, block.subarray(0, bytesRead)])
        : block.subarray(0, bytesRead);
      if (first && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
        buf = buf.subarray(3);
      first = false;
      let start = 0;
      let cursor = pos;
      // The next quote at or after `cursor` (cached: most files have few quotes, and searching again for
      // every record would make the scan quadratic).
      let nextQuote = buf.indexOf(quote, cursor);
      const quoteFrom = (from: number) => {
        if (nextQuote !== -1 && nextQuote < from) nextQuote = buf.indexOf(quote, from);
        return nextQuote;
      };
      for (;;) {
        if (inQuotes) {
          const q = quoteFrom(cursor);
          if (q === -1 || (q === buf.length - 1 && !eof)) break; // need more bytes to decide
          if (buf[q + 1] === quote) cursor = q + 2;
          else {
            inQuotes = false;
            cursor = q + 1;
          }
          continue;
        }
        const nl = buf.indexOf(newline, cursor);
        const q = quoteFrom(cursor);
        if (q !== -1 && (nl === -1 || q < nl)) {
          if (q === start || buf[q - 1] === delimiter) inQuotes = true;
          cursor = q + 1;
          continue;
        }
        if (nl === -1 && (!eof || start >= buf.length)) break;
        const end = nl === -1 ? buf.length : nl;
        let recordEnd = end;
        if (recordEnd > start && buf[recordEnd - 1] === carriageReturn) recordEnd -= 1;
        let spanned = 0;
        for (let k = buf.indexOf(newline, start); k !== -1 && k < end; k = buf.indexOf(newline, k + 1)) {
          spanned += 1;
        }
        if (recordEnd > start) {
          if (headerPending) {
            headerPending = false;
            const text = buf.toString('utf8', start, recordEnd);
            if (!options.onRecord!(splitCsvRecord(text, options.delimiter))) return records;
          } else if (options.writer) {
            records += 1;
            if (options.writer.add(options.file ?? 0, line, buf, start, recordEnd))
              await options.writer.flush();
          } else return records;
        }
        line += spanned + 1;
        start = end + 1;
        cursor = start;
        if (nl === -1) break;
      }
      if (eof && inQuotes) {
        throw new CsvSyntaxError(
          'a quoted field is not closed before the end of the file (a truncated file, or a stray quote)',
          line,
        );
      }
      pending = start < buf.length ? Buffer.from(buf.subarray(start)) : Buffer.alloc(0);
      pos = cursor - start;
    }
    return records;
  } finally {
    await handle.close();
  }
}
