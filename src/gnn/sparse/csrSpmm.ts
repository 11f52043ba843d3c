/** Per-edge weights for {@link csrSpmm}: head `h` of edge `e` is `values[e * heads + h]`. */
export interface SlotWeights {
  values: Float32Array;
  heads: number;
  /** The edge id of each CSR slot, to look its weight up. */
  edges: Uint32Array;
}

/** The operands of {@link csrSpmm}; `x` and `out` are row-major with `width` columns. */
export interface CsrSpmmInput {
  /** Row `r` sums the slots `offsets[r]..offsets[r + 1]` (so `out` has `offsets.length - 1` rows). */
  offsets: Uint32Array;
  /** The row of `x` each slot reads. */
  gather: Uint32Array;
  x: Float32Array;
  width: number;
  out: Float32Array;
  /** Scales each slot's row by its edge's weight (per head: head `h` owns columns `h * width / heads` on). */
  weights?: SlotWeights | undefined;
  /** Scales each slot's row by a factor of the row it reads: `gatherScale[gather[j]]`. */
  gatherScale?: Float32Array | undefined;
  /** Scales each output row `r` by `rowScale[r]`. */
  rowScale?: Float32Array | undefined;
}

/**
 * The plain typed-array SpMM: out[r] = rowScale[r] · Σ over row r's slots j of w(j) · gatherScale[gather[j]] ·
 * x[gather[j]] (each factor 1 when absent); also a segment sum when `gather` holds edge ids. Writes every element of
 * `out`. Columns go in blocks of 8 summed in locals, which runs about 3x faster in V8 than accumulating into `out`.
 */
export function csrSpmm(input: CsrSpmmInput): void {
  const { offsets, gather, x, width, out, weights, gatherScale, rowScale } = input;
  const heads = weights?.heads ?? 1;
  const headWidth = width / heads;
  const values = weights?.values;
  const edges = weights?.edges ?? gather; // unread without weights
  const rows = offsets.length - 1;
  for (let r = 0; r < rows; r += 1) {
    const begin = offsets[r]!;
    const end = offsets[r + 1]!;
    const o = r * width;
    const scale = rowScale === undefined ? 1 : rowScale[r]!;
    for (let h = 0; h < heads; h += 1) {
      const headEnd = (h + 1) * headWidth;
      let c = h * headWidth;
      for (; c + 8 <= headEnd; c += 8) {
        let a0 = 0;
        let a1 = 0;
        let a2 = 0;
        let a3 = 0;
        let a4 = 0;
        let a5 = 0;
        let a6 = 0;
        let a7 = 0;
        for (let j = begin; j < end; j += 1) {
          const t = gather[j]!;
          const s = t * width + c;
          let w = values === undefined ? 1 : values[edges[j]! * heads + h]!;
          if (gatherScale !== undefined) w *= gatherScale[t]!;
          a0 += w * x[s]!;
          a1 += w * x[s + 1]!;
          a2 += w * x[s + 2]!;
          a3 += w * x[s + 3]!;
          a4 += w * x[s + 4]!;
          a5 += w * x[s + 5]!;
          a6 += w * x[s + 6]!;
          a7 += w * x[s + 7]!;
        }
        out[o + c] = a0 * scale;
        out[o + c + 1] = a1 * scale;
        out[o + c + 2] = a2 * scale;
        out[o + c + 3] = a3 * scale;
        out[o + c + 4] = a4 * scale;
        out[o + c + 5] = a5 * scale;
        out[o + c + 6] = a6 * scale;
        out[o + c + 7] = a7 * scale;
      }
      for (; c < headEnd; c += 1) {
        let a = 0;
        for (let j = begin; j < end; j += 1) {
          const t = gather[j]!;
          let w = values === undefined ? 1 : values[edges[j]! * heads + h]!;
          if (gatherScale !== undefined) w *= gatherScale[t]!;
          a += w * x[t * width + c]!;
        }
        out[o + c] = a * scale;
      }
    }
  }
}
