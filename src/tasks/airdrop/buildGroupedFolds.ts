import { createRng } from '../../utils/createRng.js';

/**
 * Deals rows into `folds` folds keeping each group (a farm's wallets: one funding tree) whole, so a model is never
 * tested on wallets whose farm-mates it trained on. Groups go in a seeded random order, each to the fold with the
 * fewest positives so far (groups with positives) or the fewest negatives (groups without). Returns row indexes per
 * fold.
 */
export function buildGroupedFolds(
  groups: readonly number[] | Int32Array,
  targets: readonly number[] | Int32Array,
  folds: number,
  seed: number,
): Uint32Array[] {
  const members = new Map<number, number[]>();
  for (let row = 0; row < groups.length; row += 1) {
    const list = members.get(groups[row]!);
    if (list) list.push(row);
    else members.set(groups[row]!, [row]);
  }
  const rng = createRng(`buildGroupedFolds/${seed}`);
  const order = rng.shuffle([...members.keys()].sort((a, b) => a - b));
  const rows: number[][] = Array.from({ length: folds }, () => []);
  const counts = [new Array<number>(folds).fill(0), new Array<number>(folds).fill(0)];
  for (const group of order) {
    const list = members.get(group)!;
    const groupPositives = list.filter((row) => targets[row] === 1).length;
    // Groups with positives balance the positives, the others the negatives; ties go to the smaller fold.
    const balanced = counts[groupPositives ? 1 : 0]!;
    let best = 0;
    for (let f = 1; f < folds; f += 1) {
      if (
        balanced[f]! < balanced[best]! ||
        (balanced[f] === balanced[best] && rows[f]!.length < rows[best]!.length)
      ) {
        best = f;
      }
    }
    rows[best]!.push(...list);
    counts[1]![best]! += groupPositives;
    counts[0]![best]! += list.length - groupPositives;
  }
  return rows.map((list) => Uint32Array.from(list).sort());
}
