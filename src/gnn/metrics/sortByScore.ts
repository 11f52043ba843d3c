/** Indices of `scores` from the highest score to the lowest, ties in index order. */
export function sortByScore(scores: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i += 1) order[i] = i;
  return order.sort((a, b) => scores[b]! - scores[a]! || a - b);
}
