import type { Logger } from 'pino';
import type { Warehouse } from '../warehouse/createWarehouse.js';
import { getRiskCrossings } from '../warehouse/getRiskCrossings.js';
import { getRiskScoredSnapshots } from '../warehouse/getRiskScoredSnapshots.js';
import { fromMillis } from './isoTime.js';

/** An address that crossed a risk threshold, as the `RiskAlert` GraphQL type sends it. */
export interface RiskAlert {
  address: string;
  score: number;
  previousScore: number | null;
  category: string;
  snapshotId: string;
  /** ISO 8601. */
  scoredAt: string;
  reasons: string[];
}

/** The risk alerts of this server: subscriptions by threshold, fed after every new scoring. */
export interface RiskAlerts {
  /** Alerts of addresses rising to `threshold` or above, until the iterator is returned. */
  subscribe(threshold: number): AsyncIterableIterator<RiskAlert>;
  /** Compares the newest scoring of `chainId` with the previous scored snapshot and sends each subscriber its alerts. */
  publish(chainId: number): Promise<void>;
  /** How many subscriptions are open. */
  readonly size: number;
  /** Resolves once at least `count` subscriptions are open. */
  whenSubscribed(count: number): Promise<void>;
}

/** Alerts queued for a subscriber that reads too slowly before the oldest are dropped. */
const maxQueued = 10_000;

interface Subscriber {
  threshold: number;
  push(alert: RiskAlert): void;
}

/**
 * Creates the alert hub. Each scoring version (snapshot, model version, time) is published once; its previous scored
 * snapshot is the newest other snapshot with scores, so a warehouse's first scoring alerts nothing.
 */
export function createRiskAlerts(warehouse: Warehouse, logger: Logger): RiskAlerts {
  const subscribers = new Set<Subscriber>();
  const waiting: { count: number; resolve: () => void }[] = [];
  let published: string | undefined;
  const wakeWaiting = () => {
    for (const waiter of waiting.filter((w) => subscribers.size >= w.count)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  return {
    whenSubscribed(count) {
      return new Promise((resolve) => {
        waiting.push({ count, resolve });
        wakeWaiting();
      });
    },
    get size() {
      return subscribers.size;
    },
    subscribe(threshold) {
      const queue: RiskAlert[] = [];
      let wake: ((result: IteratorResult<RiskAlert>) => void) | undefined;
      let done = false;
      const subscriber: Subscriber = {
        threshold,
        push(alert) {
          if (wake) {
            const resolve = wake;
            wake = undefined;
            resolve({ value: alert, done: false });
            return;
          }
          if (queue.length >= maxQueued) queue.shift();
          queue.push(alert);
        },
      };
      subscribers.add(subscriber);
      wakeWaiting();
      const finish = async (): Promise<IteratorResult<RiskAlert>> => {
        done = true;
        subscribers.delete(subscriber);
        wake?.({ value: undefined, done: true });
        wake = undefined;
        return { value: undefined, done: true };
      };
      return {
        next: () => {
          if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
          if (done) return Promise.resolve({ value: undefined, done: true });
          return new Promise((resolve) => {
            wake = resolve;
          });
        },
        return: finish,
        throw: async (error) => {
          await finish();
          throw error;
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    },
    async publish(chainId) {
      if (subscribers.size === 0) return;
      const scorings = await getRiskScoredSnapshots(warehouse, chainId);
      const latest = scorings[0];
      const previous = scorings.find((s) => latest && s.snapshotId !== latest.snapshotId);
      if (!latest || !previous) return;
      const version = `${latest.snapshotId}@${latest.modelVersion}@${latest.scoredAt}`;
      if (version === published) return;
      published = version;
      const threshold = Math.min(...[...subscribers].map((s) => s.threshold));
      const crossings = await getRiskCrossings(warehouse, {
        chainId,
        snapshotId: latest.snapshotId,
        previousSnapshotId: previous.snapshotId,
        threshold,
      });
      logger.info({ snapshotId: latest.snapshotId, crossings: crossings.length }, 'risk alerts published');
      for (const subscriber of subscribers) {
        for (const row of crossings) {
          if (row.score < subscriber.threshold) continue;
          if (row.previous_score !== null && row.previous_score >= subscriber.threshold) continue;
          subscriber.push({
            address: row.address,
            score: row.score,
            previousScore: row.previous_score,
            category: row.category,
            snapshotId: row.snapshot_id,
            scoredAt: fromMillis(row.scored_at),
            reasons: row.reasons,
          });
        }
      }
    },
  };
}
