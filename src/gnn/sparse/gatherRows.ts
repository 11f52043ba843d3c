/**
 * The plain typed-array row gather: out[i] = x[index[i]], times `rowScale[index[i]]` when given; `x` and `out`
 * are row-major with `width` columns. Writes every element of `out`.
 */
export function gatherRows(
  index: Uint32Array,
  x: Float32Array,
  width: number,
  out: Float32Array,
  rowScale?: Float32Array,
): void {
  for (let i = 0; i < index.length; i += 1) {
    const row = index[i]!;
    const s = row * width;
    const o = i * width;
    const scale = rowScale === undefined ? 1 : rowScale[row]!;
    for (let c = 0; c < width; c += 1) out[o + c] = scale * x[s + c]!;
  }
}
