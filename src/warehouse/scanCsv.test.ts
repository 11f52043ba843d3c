import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/setup/testWarehouse.js';
import {
  type CsvChunk,
  CsvSyntaxError,
  createCsvChunkWriter,
  readFirstCsvRecord,
  scanCsvFile,
  splitCsvRecord,
} from './scanCsv.js';

/** Scans `text` as a file and returns the records as sent (prefix included) and the header seen. */
async function scan(
  dir: string,
  text: string | Buffer,
  options: { header?: boolean; chunkBytes?: number; file?: number; readBytes?: number } = {},
) {
  const path = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(path, text);
  const chunks: CsvChunk[] = [];
  const headers: string[][] = [];
  const writer = createCsvChunkWriter({
    delimiter: ',',
    ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
    flush: async (chunk) => {
      chunks.push(chunk);
    },
  });
  const records = await scanCsvFile(path, {
    delimiter: ',',
    ...(options.header ? { onRecord: (fields: string[]) => headers.push(fields) > 0 } : {}),
    writer,
    file: options.file ?? 0,
    ...(options.readBytes ? { readBytes: options.readBytes } : {}),
  });
  await writer.flush();
  const body = chunks.map((c) => c.body.toString('utf8')).join('');
  return { records, headers, chunks, lines: chunks.flatMap((c) => c.lines), body };
}

describe('scanCsvFile', () => {
  const tmp = useTempDir('chaingnn-scan-');

  it('tags each record with its file and the line it starts on, across quoted newlines, CRLF and blank lines', async () => {
    const text = '\ufeffa,b\r\n1,"x\ny"\r\n\r\n2,"say ""hi"""\n3,ab"c\n4,end';
    const result = await scan(tmp(), text, { header: true, file: 7 });
    expect(result.headers).toEqual([['a', 'b']]);
    expect(result.records).toBe(4);
    expect(result.lines).toEqual([2, 5, 6, 7]);
    expect(result.body).toBe('7,2,1,"x\ny"\n7,5,2,"say ""hi"""\n7,6,3,ab"c\n7,7,4,end\n');
  });

  it('refuses an unterminated quoted field, naming the line the record starts on', async () => {
    const error = await scan(tmp(), 'a,b\n1,x\n2,"never closed\n3,z\n').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect((error as CsvSyntaxError).line).toBe(3);
  });

  it('splits a large file into bounded chunks of whole records, with every line accounted for', async () => {
    const rows = Array.from(
      { length: 120_000 },
      (_, i) => `${i},"${i % 7 === 0 ? 'with, comma' : 'plain'}",0x${i.toString(16)}`,
    );
    const text = `n,s,h\n${rows.join('\n')}\n`;
    const result = await scan(tmp(), text, { header: true, chunkBytes: 256 << 10 });
    expect(result.records).toBe(rows.length);
    expect(result.chunks.length).toBeGreaterThan(5);
    for (const chunk of result.chunks) expect(chunk.body.toString('utf8').endsWith('\n')).toBe(true);
    expect(result.lines).toEqual(rows.map((_, i) => i + 2));
    expect(result.body).toBe(rows.map((row, i) => `0,${i + 2},${row}\n`).join(''));
  });

  it('carries records, quoted newlines and doubled quotes across read boundaries', async () => {
    const rows = Array.from({ length: 3_000 }, (_, i) =>
      i % 5 === 0 ? `${i},"multi\nline ""quoted"" ${'x'.repeat(i % 37)}"` : `${i},"a ""b"""`,
    );
    const text = `n,s\n${rows.join('\n')}`;
    let line = 2;
    const starts = rows.map((row) => {
      const start = line;
      line += row.split('\n').length;
      return start;
    });
    for (const readBytes of [7, 64, 1000]) {
      const result = await scan(tmp(), text, { header: true, readBytes });
      expect(result.lines).toEqual(starts);
      expect(result.body).toBe(rows.map((row, i) => `0,${starts[i]},${row}\n`).join(''));
    }
  });

  it('reads the first record only, and splits fields with quotes', async () => {
    const path = join(tmp(), 'header.csv');
    writeFileSync(path, 'address,"label, long",category\n0x01,a,b\n');
    expect(await readFirstCsvRecord(path)).toEqual(['address', 'label, long', 'category']);
    writeFileSync(path, '');
    expect(await readFirstCsvRecord(path)).toBeNull();
    expect(splitCsvRecord('0x01 "two words" 1', ' ')).toEqual(['0x01', 'two words', '1']);
  });
});
