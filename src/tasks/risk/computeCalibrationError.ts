/** One bin of a reliability diagram: the scores in [from, to), how many, their mean and the share of positives. */
export interface ReliabilityBin {
  from: number;
  to: number;
  count: number;
  meanScore: number;
  positiveRate: number;
}

/** How well probabilities match outcomes. */
export interface CalibrationReport {
  /** Expected calibration error: Σ over bins of (bin share) · |mean score − positive rate|. */
  ece: number;
  /** Mean squared difference between score and outcome. */
  brier: number;
  /** The non-empty bins of equal width (the last one includes 1). */
  bins: ReliabilityBin[];
}

/** The expected calibration error, Brier score and reliability bins of probabilities against 0/1 labels. */
export function computeCalibrationError(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  bins = 10,
): CalibrationReport {
  const count = new Float64Array(bins);
  const scoreSum = new Float64Array(bins);
  const positives = new Float64Array(bins);
  let brier = 0;
  for (let i = 0; i < scores.length; i += 1) {
    const score = scores[i]!;
    const label = labels[i] === 1 ? 1 : 0;
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(score * bins)));
    count[bin]! += 1;
    scoreSum[bin]! += score;
    positives[bin]! += label;
    brier += (score - label) ** 2;
  }
  const n = scores.length;
  const report: ReliabilityBin[] = [];
  let ece = 0;
  for (let bin = 0; bin < bins; bin += 1) {
    if (count[bin] === 0) continue;
    const meanScore = scoreSum[bin]! / count[bin]!;
    const positiveRate = positives[bin]! / count[bin]!;
    ece += (count[bin]! / n) * Math.abs(meanScore - positiveRate);
    report.push({ from: bin / bins, to: (bin + 1) / bins, count: count[bin]!, meanScore, positiveRate });
  }
  return { ece: n === 0 ? Number.NaN : ece, brier: n === 0 ? Number.NaN : brier / n, bins: report };
}
