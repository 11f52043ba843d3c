import { describe, expect, it } from 'vitest';
import type { PriceTraderFlow } from '../../warehouse/getPriceTraderFlows.js';
import type { PriceWindow } from '../../warehouse/getPriceWindows.js';
import { createTraderSkill } from './createTraderSkill.js';

const hour = 3600;
const window = (token: string, w: number, logReturn: number) =>
  ({ token, windowStart: w * hour, logReturn }) as PriceWindow;
const flow = (token: string, w: number, trader: string, netFlow: number) =>
  ({
    token,
    windowStart: w * hour,
    trader,
    netFlow,
    priorSwaps: 0,
    priorVolume: 0,
  }) satisfies PriceTraderFlow;

describe('createTraderSkill', () => {
  const windows = [
    window('a', 0, Number.NaN),
    window('a', 1, 0.1),
    window('a', 2, -0.1),
    window('a', 3, 0),
    window('b', 1, 0.2),
    window('b', 2, 0.3),
  ];
  const flows = [
    flow('a', 0, 'x', 1), // right (a rose in window 1), known from window 1
    flow('a', 1, 'y', -2), // right (a fell in window 2), known from window 2
    flow('a', 1, 'x', 3), // wrong (a fell in window 2), known from window 2
    flow('a', 2, 'x', 1), // not judged: a's window 3 did not move
    flow('a', 3, 'y', 1), // not judged: a has no window after 3
    flow('b', 2, 'z', 1), // not judged: b has no window after 2
  ];

  it('judges a flow by the next window of its token, from that window on and never earlier', () => {
    const skill = createTraderSkill(windows, flows);
    skill.advanceTo(0 * hour);
    expect(['x', 'y', 'z'].map((t) => skill.of(t))).toEqual([0, 0, 0]);
    skill.advanceTo(1 * hour);
    expect(['x', 'y'].map((t) => skill.of(t))).toEqual([1 / 6, 0]);
    skill.advanceTo(2 * hour);
    expect(['x', 'y'].map((t) => skill.of(t))).toEqual([0 / 7, 1 / 6]);
    skill.advanceTo(10 * hour);
    expect(['x', 'y', 'z'].map((t) => skill.of(t))).toEqual([0, 1 / 6, 0]);
  });

  it('gives the same skill at a window whatever happens after it', () => {
    const cut = (w: number) =>
      createTraderSkill(
        windows.filter((row) => row.windowStart <= w * hour),
        flows.filter((row) => row.windowStart <= w * hour),
      );
    for (const w of [0, 1, 2, 3]) {
      const full = createTraderSkill(windows, flows);
      const truncated = cut(w);
      full.advanceTo(w * hour);
      truncated.advanceTo(w * hour);
      for (const trader of ['x', 'y', 'z'])
        expect(truncated.of(trader), `${trader} at ${w}`).toBe(full.of(trader));
    }
  });
});
