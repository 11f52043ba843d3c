const encoder = new TextEncoder();

/**
 * Builds rows in ClickHouse's RowBinary format, field by field in the insert's column order: fixed-width
 * numbers little-endian, strings (and LowCardinality strings) as a LEB128 length and their UTF-8 bytes, arrays as
 * a LEB128 count and their items. Typed arrays are copied as they lie in memory (little-endian on every machine
 * this runs on, as the snapshot file assumes too), so no number is formatted as text and parsed back.
 */
export class RowBinaryWriter {
  private bytes: Uint8Array;
  private view: DataView;
  private length = 0;

  constructor(initialBytes = 1 << 16) {
    this.bytes = new Uint8Array(initialBytes);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Appends a UInt32. */
  uint32(value: number): this {
    this.reserve(4).setUint32(this.length, value, true);
    this.length += 4;
    return this;
  }

  /** Appends a UInt64 (a safe integer or a bigint). */
  uint64(value: number | bigint): this {
    const view = this.reserve(8);
    if (typeof value === 'bigint') view.setBigUint64(this.length, value, true);
    else {
      view.setUint32(this.length, value % 2 ** 32, true);
      view.setUint32(this.length + 4, Math.floor(value / 2 ** 32), true);
    }
    this.length += 8;
    return this;
  }

  /** Appends a Float64. */
  float64(value: number): this {
    this.reserve(8).setFloat64(this.length, value, true);
    this.length += 8;
    return this;
  }

  /** Appends a String (or LowCardinality(String)). */
  string(value: string): this {
    // Encoded once, straight into the buffer after room for the longest length prefix, then moved back when the
    // prefix is shorter (one byte for up to 127 bytes of text: addresses, ids).
    this.reserve(10 + value.length * 3);
    const text = this.length + 10;
    const { written } = encoder.encodeInto(value, this.bytes.subarray(text));
    this.varUInt(written);
    this.bytes.copyWithin(this.length, text, text + written);
    this.length += written;
    return this;
  }

  /** Appends an Array(Float32) or Array(Float64), as the typed array's own type. */
  array(values: Float32Array | Float64Array): this {
    this.varUInt(values.length);
    this.append(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    return this;
  }

  /** The rows written so far (a view of the writer's buffer: copy it before writing more). */
  finish(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  private varUInt(value: number): void {
    this.reserve(10);
    let rest = value;
    while (rest >= 0x80) {
      this.bytes[this.length++] = (rest & 0x7f) | 0x80;
      rest = Math.floor(rest / 128);
    }
    this.bytes[this.length++] = rest;
  }

  private append(chunk: Uint8Array): void {
    this.reserve(chunk.length);
    this.bytes.set(chunk, this.length);
    this.length += chunk.length;
  }

  private reserve(extra: number): DataView {
    if (this.length + extra > this.bytes.length) {
      const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
      this.view = new DataView(grown.buffer);
    }
    return this.view;
  }
}
