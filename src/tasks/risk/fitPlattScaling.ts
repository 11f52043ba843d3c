import { NonRetryableError } from '../../internal/errors.js';

/** A fitted calibration: probability = σ(a · margin + b), the margin being the model's log-odds ln(p1 / p0). */
export interface PlattScaling {
  method: 'platt';
  /** The inverse temperature (a ≥ 0: the ranking is kept) and the bias. */
  a: number;
  b: number;
}

/** The calibrated probability of a model margin (log-odds). */
export function applyPlattScaling(calibration: PlattScaling, margin: number): number {
  const f = calibration.a * margin + calibration.b;
  return f >= 0 ? 1 / (1 + Math.exp(-f)) : Math.exp(f) / (1 + Math.exp(f));
}

/**
 * Fits Platt scaling (a temperature and a bias on the model's log-odds) by Newton's method with a backtracking line
 * search on the log loss, with Platt's smoothed targets ((n₊ + 1)/(n₊ + 2) and 1/(n₋ + 2)) so that a separable
 * validation set does not send the temperature to zero (Lin, Lin and Weng 2007). A model that ranks the validation
 * nodes no better than chance gets a = 0: every node then gets the smoothed base rate.
 */
export function fitPlattScaling(margins: ArrayLike<number>, labels: ArrayLike<number>): PlattScaling {
  const n = margins.length;
  let positives = 0;
  for (let i = 0; i < n; i += 1) positives += labels[i] === 1 ? 1 : 0;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0 || labels.length !== n) {
    throw new NonRetryableError('Calibration needs both classes among the validation nodes', {
      code: 'RISK_CALIBRATION_UNDEFINED',
      details: `Got ${positives} positive and ${negatives} negative nodes (${labels.length} labels for ${n} margins).`,
    });
  }
  const high = (positives + 1) / (positives + 2);
  const low = 1 / (negatives + 2);
  const target = Float64Array.from({ length: n }, (_, i) => (labels[i] === 1 ? high : low));
  const loss = (a: number, b: number) => {
    let sum = 0;
    for (let i = 0; i < n; i += 1) {
      const f = a * margins[i]! + b;
      // −[t ln σ(f) + (1 − t) ln(1 − σ(f))] = ln(1 + e^f) − t f, computed without overflow.
      sum += (f > 0 ? f + Math.log1p(Math.exp(-f)) : Math.log1p(Math.exp(f))) - target[i]! * f;
    }
    return sum;
  };
  let a = 0;
  let b = Math.log((positives + 1) / (negatives + 1));
  let current = loss(a, b);
  for (let iteration = 0; iteration < 100; iteration += 1) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < n; i += 1) {
      const z = margins[i]!;
      const p = applyPlattScaling({ method: 'platt', a, b }, z);
      const d = p - target[i]!;
      const w = p * (1 - p);
      ga += d * z;
      gb += d;
      haa += w * z * z;
      hab += w * z;
      hbb += w;
    }
    if (Math.abs(ga) < 1e-7 && Math.abs(gb) < 1e-7) break;
    const det = haa * hbb - hab * hab;
    const da = -(hbb * ga - hab * gb) / det;
    const db = -(haa * gb - hab * ga) / det;
    let step = 1;
    let improved = false;
    while (step >= 1e-10) {
      const next = loss(a + step * da, b + step * db);
      if (next < current + 1e-4 * step * (ga * da + gb * db)) {
        a += step * da;
        b += step * db;
        current = next;
        improved = true;
        break;
      }
      step /= 2;
    }
    if (!improved) break;
  }
  if (!(a > 0)) return { method: 'platt', a: 0, b: Math.log((positives + 1) / (negatives + 1)) };
  return { method: 'platt', a, b };
}
