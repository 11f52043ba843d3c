import { NonRetryableError } from '../../internal/errors.js';
import { createLabelTask } from './createLabelTask.js';
import type { NodeTask } from './NodeTask.js';

/**
 * `address_labels` categories that mean an address steals, defrauds or launders: as the simulator inserts them
 * (`--insert-labels`), as phishing-eth1 imports them, as schema/clickhouse/README.md lists them, and the
 * simulator's label names for poisoners and rug pulls (what `--labels` CSV files imported as-is carry).
 */
export const maliciousCategories = [
  'phishing',
  'drainer',
  'scam',
  'scam_token',
  'launderer',
  'address_poisoning',
  'poisoner',
  'rug_pull',
  'rug',
  'sanctioned',
] as const;

/** The tasks `chaingnn train` knows, by name. */
export const nodeTasks: Readonly<Record<string, NodeTask>> = {
  risk: createLabelTask({
    name: 'risk',
    description:
      'malicious addresses (phishing, drainers, scams, laundering, poisoning, rug pulls, sanctions)',
    positiveCategories: maliciousCategories,
    // Sybil farmers abuse airdrops but steal from no one: neither malicious nor clean for this task.
    excludedCategories: ['sybil'],
  }),
  sybil: createLabelTask({
    name: 'sybil',
    description: 'airdrop-farming (sybil) wallets, their funders and collectors',
    positiveCategories: ['sybil'],
  }),
};

/** The task called `name`; a clear error listing the known tasks otherwise. */
export function getNodeTask(name: string): NodeTask {
  const task = Object.hasOwn(nodeTasks, name) ? nodeTasks[name] : undefined;
  if (task) return task;
  throw new NonRetryableError(`Unknown task "${name}"`, {
    code: 'TASK_UNKNOWN',
    details: `Expected one of: ${Object.values(nodeTasks)
      .map((t) => `${t.name} (${t.description})`)
      .join('; ')}.`,
  });
}
