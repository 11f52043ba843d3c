/** The simulator's label names that `address_labels` may carry as categories (CSV imports), and their usual names. */
const categoryAliases: Readonly<Record<string, string>> = { poisoner: 'address_poisoning', rug: 'rug_pull' };

/** A category under its usual name (`poisoner` → `address_poisoning`, `rug` → `rug_pull`). */
export function toRiskCategory(category: string): string {
  return categoryAliases[category] ?? category;
}

/** A labelled address near the scored one: its categories and how many hops away it is (1 = a counterparty). */
export interface NearbyLabels {
  categories: readonly string[];
  hops: number;
}

/** The category of an address with no malicious label of its own and none nearby. */
export const unknownRiskCategory = 'unknown';

/**
 * The most likely malicious category of an address: its own malicious category when it is listed (the first in
 * `malicious` order when it has several); else the malicious category with the most weight among the labelled
 * addresses near it, each weighing 1 / hops (a counterparty 1, two hops away ½), ties going to the first in
 * `malicious` order; else `unknown`. Categories are compared under their usual names (see toRiskCategory).
 */
export function chooseRiskCategory(
  own: readonly string[],
  nearby: readonly NearbyLabels[],
  malicious: readonly string[],
): string {
  const order = [...new Set(malicious.map(toRiskCategory))];
  const ownNames = new Set(own.map(toRiskCategory));
  const listed = order.find((category) => ownNames.has(category));
  if (listed !== undefined) return listed;
  const weight = new Map<string, number>();
  for (const { categories, hops } of nearby) {
    for (const category of new Set(categories.map(toRiskCategory))) {
      if (order.includes(category)) weight.set(category, (weight.get(category) ?? 0) + 1 / hops);
    }
  }
  let best = unknownRiskCategory;
  let bestWeight = 0;
  for (const category of order) {
    const w = weight.get(category) ?? 0;
    if (w > bestWeight) {
      best = category;
      bestWeight = w;
    }
  }
  return best;
}
