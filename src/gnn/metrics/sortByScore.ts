/** Indices of `scores` from the highest score to the lowest, ties in index order. */
export function sortByScore(scores: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i += 1) order[i] = i;
  return order.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/**
 * Walks the scores from the highest down, one group of tied scores at a time: the group's score, its sorted
 * positions [start, end) (so `end` scores are at or above it) and how many of its labels are positive.
 */
export function forEachTieGroup(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  visit: (score: number, start: number, end: number, positives: number) => void,
): void {
  const order = sortByScore(scores);
  for (let i = 0; i < order.length; ) {
    const score = scores[order[i]!]!;
    let positives = 0;
    let j = i;
    while (j < order.length && scores[order[j]!] === score) {
      positives += labels[order[j]!]!;
      j += 1;
    }
    visit(score, i, j, positives);
    i = j;
  }
}
