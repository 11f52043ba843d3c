/** The smallest probability a margin is taken of (a float32 softmax underflows to 0 past log-odds of about 100). */
const floor = 1e-30;

/** Each node's log-odds ln(p₁ / p₀) from a binary model's class probabilities ([nodes, 2], row-major). */
export function toRiskMargins(probabilities: Float32Array): Float64Array {
  return Float64Array.from(
    { length: probabilities.length / 2 },
    (_, v) =>
      Math.log(Math.max(probabilities[2 * v + 1]!, floor)) - Math.log(Math.max(probabilities[2 * v]!, floor)),
  );
}
