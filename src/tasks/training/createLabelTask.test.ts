import { describe, expect, it } from 'vitest';
import { useTestWarehouse } from '../../../test/setup/testWarehouse.js';
import type { AddressLabelRow } from '../../types/tableRows.js';
import { insertRows } from '../../warehouse/insertRows.js';
import { nodeTasks } from './nodeTasks.js';

/** The address of forty copies of one hex digit. */
const a = (digit: string) => `0x${digit.repeat(40)}`;
const [A, B, C, D, E, F, G] = [a('a'), a('b'), a('c'), a('d'), a('e'), a('f'), a('1')] as const;
// A to F are the snapshot's nodes; G is labelled but not among them.
const addresses = [A, B, C, D, E, F];
const label = (address: string, category: string, source: string, extra: Partial<AddressLabelRow> = {}) => ({
  chain_id: 1,
  address,
  label: category,
  category,
  source,
  confidence: 1,
  added_at: 1,
  ...extra,
});

describe('the risk task from address_labels', () => {
  const warehouse = useTestWarehouse();

  it('makes malicious addresses positive whatever else they carry, leaves sybils and withdrawn labels out', async () => {
    await insertRows(warehouse(), 'address_labels', [
      label(A, 'phishing', 'reports'),
      label(A, 'organic', 'simulation'),
      label(B, 'organic', 'simulation'),
      label(C, 'sybil', 'simulation'),
      label(D, 'sybil', 'simulation'),
      label(D, 'drainer', 'reports'),
      label(F, 'phishing', 'reports'),
      label(F, 'phishing', 'reports', { added_at: 2, is_deleted: 1 }),
      label(G, 'phishing', 'reports'),
      { ...label(A, 'phishing', 'reports'), chain_id: 2, address: E },
    ]);
    const { targets, summary } = await nodeTasks.risk!.deriveLabels({
      warehouse: warehouse(),
      chainId: 1,
      addresses,
    });
    expect(Array.from(targets)).toEqual([1, 0, -1, 1, -1, -1]);
    expect(summary).toMatchObject({
      kind: 'binary',
      nodes: 6,
      positives: 2,
      labelledNegatives: 1,
      unlabelledNegatives: 0,
      excluded: 1,
      labelledNotInSnapshot: 1,
      unlabelledAsNegative: false,
      sources: 'all',
      categories: {
        positive: { phishing: 1, organic: 1, drainer: 1, sybil: 1 },
        negative: { organic: 1 },
      },
    });
    expect(summary.negative).not.toMatch(/no label/);

    // Unlabelled nodes as negatives, and only one source: the card says both.
    const some = await nodeTasks.risk!.deriveLabels({
      warehouse: warehouse(),
      chainId: 1,
      addresses,
      sources: ['simulation'],
      unlabelledAsNegative: true,
    });
    expect(Array.from(some.targets)).toEqual([0, 0, -1, -1, 0, 0]);
    expect(some.summary).toMatchObject({
      positives: 0,
      labelledNegatives: 2,
      unlabelledNegatives: 2,
      excluded: 2,
      sources: ['simulation'],
      unlabelledAsNegative: true,
    });
    expect(some.summary.negative).toMatch(/or with no label at all \(assumed clean\)/);
  });

  it('makes sybils positive for the sybil task, and every other labelled address negative', async () => {
    await insertRows(warehouse(), 'address_labels', [
      label(A, 'phishing', 'reports'),
      label(C, 'sybil', 'simulation'),
      label(D, 'organic', 'simulation'),
    ]);
    const { targets } = await nodeTasks.sybil!.deriveLabels({
      warehouse: warehouse(),
      chainId: 1,
      addresses,
    });
    expect(Array.from(targets)).toEqual([0, -1, 1, 0, -1, -1]);
  });
});
