import type { SnapshotContent } from '../../graph/snapshotFile.js';

/**
 * The features with one raw value over every node of a snapshot, by name, with that value: a feature group the data
 * behind the snapshot lacked (gas and failures without receipts, token transfers without logs, …).
 */
export function findConstantFeatures(
  content: Pick<SnapshotContent, 'featureNames' | 'rawFeatures'>,
): Record<string, number> {
  const width = content.featureNames.length;
  const rows = content.rawFeatures.length / width;
  const constant: Record<string, number> = {};
  for (const [j, name] of content.featureNames.entries()) {
    const first = content.rawFeatures[j];
    let same = rows > 0;
    for (let i = 1; i < rows && same; i += 1) same = content.rawFeatures[i * width + j] === first;
    if (same) constant[name] = first!;
  }
  return constant;
}
