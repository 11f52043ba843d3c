/** The whole rows a chunk of a fixed-width row stream completes: byte ranges of views, and how many rows in all. */
export interface RowChunk {
  spans: { view: DataView; from: number; to: number }[];
  rows: number;
}

/**
 * Cuts a stream of fixed-width rows (RowBinary) into the whole rows each chunk completes: a row split across chunks
 * is joined in a reused buffer and comes first (valid until the next chunk is taken). Bytes left over after the
 * last chunk throw `stray(bytes)`.
 */
export async function* toRowChunks(
  chunks: AsyncIterable<Uint8Array>,
  rowBytes: number,
  stray: (bytes: number) => Error,
): AsyncGenerator<RowChunk> {
  const carry = new Uint8Array(rowBytes);
  let carried = 0;
  for await (const chunk of chunks) {
    const spans: RowChunk['spans'] = [];
    let at = 0;
    if (carried > 0) {
      at = Math.min(rowBytes - carried, chunk.byteLength);
      carry.set(chunk.subarray(0, at), carried);
      carried += at;
      if (carried < rowBytes) continue;
      spans.push({ view: new DataView(carry.buffer), from: 0, to: rowBytes });
      carried = 0;
    }
    const whole = at + Math.floor((chunk.byteLength - at) / rowBytes) * rowBytes;
    spans.push({ view: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength), from: at, to: whole });
    const rows = spans.reduce((sum, span) => sum + (span.to - span.from) / rowBytes, 0);
    yield { spans, rows };
    carried = chunk.byteLength - whole;
    carry.set(chunk.subarray(whole), 0);
  }
  if (carried > 0) throw stray(carried);
}
