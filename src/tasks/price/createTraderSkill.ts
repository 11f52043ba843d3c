import type { PriceTraderFlow } from '../../warehouse/getPriceTraderFlows.js';
import type { PriceWindow } from '../../warehouse/getPriceWindows.js';

/** Each trader's record of calling the next window's direction, as known at a given window. */
export interface TraderSkill {
  /** Takes in every outcome known by the end of the window starting at `windowStart` (call in ascending order). */
  advanceTo(windowStart: number): void;
  /** (right calls − wrong calls) / (calls + prior): in (−1, 1), 0 for a trader with no known outcome. */
  of(trader: string): number;
}

/** Outcomes a trader's skill starts from: `prior` imaginary calls that were neither right nor wrong. */
const prior = 5;

/**
 * Tracks how often each trader's net flow in a token's window pointed the way the token's next window went. A flow
 * in window s is judged by the return of the token's next window, which is known at that window's end: it counts
 * from that window on (advanceTo(next window's start)), never earlier. Windows without a return are not judged.
 */
export function createTraderSkill(
  windows: readonly PriceWindow[],
  flows: readonly PriceTraderFlow[],
): TraderSkill {
  const key = (token: string, windowStart: number) => `${token}/${windowStart}`;
  const next = new Map<string, PriceWindow>();
  for (let i = 0; i + 1 < windows.length; i += 1) {
    const [window, following] = [windows[i]!, windows[i + 1]!];
    if (following.token === window.token) next.set(key(window.token, window.windowStart), following);
  }
  const outcomes = flows
    .flatMap((flow) => {
      const following = next.get(key(flow.token, flow.windowStart));
      const call = Math.sign(flow.netFlow) * Math.sign(following?.logReturn ?? Number.NaN);
      return following && Number.isFinite(call) && call !== 0
        ? [{ trader: flow.trader, call, knownFrom: following.windowStart }]
        : [];
    })
    .sort((a, b) => a.knownFrom - b.knownFrom);
  const record = new Map<string, { net: number; calls: number }>();
  let applied = 0;
  return {
    advanceTo(windowStart) {
      for (; applied < outcomes.length && outcomes[applied]!.knownFrom <= windowStart; applied += 1) {
        const { trader, call } = outcomes[applied]!;
        const own = record.get(trader) ?? { net: 0, calls: 0 };
        record.set(trader, { net: own.net + call, calls: own.calls + 1 });
      }
    },
    of(trader) {
      const own = record.get(trader);
      return own ? own.net / (own.calls + prior) : 0;
    },
  };
}
