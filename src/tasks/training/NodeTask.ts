import type { Warehouse } from '../../warehouse/createWarehouse.js';

/** What a task's targets are derived from: the warehouse, and the snapshot's chain and nodes. */
export interface TaskLabelInput {
  warehouse: Warehouse;
  chainId: number;
  /** The snapshot's node addresses (node `i` is `addresses[i]`, lower-case). */
  addresses: readonly string[];
  /** Only labels from these `address_labels` sources (default: every source). */
  sources?: readonly string[] | undefined;
  /** Whether nodes without a label count as negatives (default: they are left out). */
  unlabelledAsNegative?: boolean | undefined;
}

/** How a binary task's labels were derived, and how many of each there are: what a model card states. */
export interface BinaryLabelSummary {
  kind: 'binary';
  /** In words: what makes a node positive, and what negative. */
  positive: string;
  negative: string;
  positiveCategories: string[];
  /** Categories that make an address neither positive nor negative (it is left out). */
  excludedCategories: string[];
  /** `address_labels` sources read ('all' = every source). */
  sources: string[] | 'all';
  /** Whether unlabelled nodes were used as negatives (assumed clean, which some may not be). */
  unlabelledAsNegative: boolean;
  /** Snapshot nodes: all of them, positives, labelled and unlabelled negatives, labelled but left out (excluded categories). */
  nodes: number;
  positives: number;
  labelledNegatives: number;
  unlabelledNegatives: number;
  excluded: number;
  /** Labelled addresses (from the sources read) that are not nodes of the snapshot (no activity by its block). */
  labelledNotInSnapshot: number;
  /** Nodes per category among positives and labelled negatives (a node counts once under each of its categories). */
  categories: { positive: Record<string, number>; negative: Record<string, number> };
}

/** A task's targets for every node of a snapshot, and how they were derived. */
export interface TaskLabels {
  /** Per node: 1 positive, 0 negative, -1 not used (unlabelled, or an excluded category). */
  targets: Int32Array;
  summary: BinaryLabelSummary;
}

/**
 * A learning task on the nodes of a graph snapshot: its name (the model registry's task directory), what it
 * predicts, and how node targets are derived from the snapshot and the warehouse. Binary classification for now;
 * a regression task (the price task) adds `kind: 'regression'` with per-node values and regression metrics.
 */
export interface NodeTask {
  name: string;
  description: string;
  kind: 'binary';
  /** The node targets of a snapshot. */
  deriveLabels(input: TaskLabelInput): Promise<TaskLabels>;
}
