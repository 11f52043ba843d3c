import type { Address } from 'viem';
import type { Rng } from '../../utils/createRng.js';
import type { TxRequest } from './createChainWriter.js';
import type { SimWorld } from './simWorld.js';

/** What an intent sees when its block comes: the world as of then, the block's time, and the schedule. */
export interface BlockContext {
  block: number;
  timestamp: number;
  world: SimWorld;
  /** Decisions taken at execution time draw from this stream, in schedule order. */
  rng: Rng;
  schedule: Schedule;
  /** Hidden fair value (ETH per token unit) of each token at this block. */
  fairValue: ReadonlyMap<Address, number>;
}

/** Something an actor will try to do in a given block; it decides the details when the block comes. */
export type Intent = (ctx: BlockContext) => TxRequest[];

/** Intents by block, run in the order they were scheduled (which is deterministic). */
export interface Schedule {
  /** Adds `intent` to `block` (a block already past is refused: planning bugs must not reorder history). */
  at(block: number, intent: Intent): void;
  /** Removes and returns the intents of `block`, in scheduling order. */
  take(block: number): Intent[];
  /** The last block that holds an intent. */
  readonly lastBlock: number;
}

/** Creates an empty schedule; `current` returns the block being executed. */
export function createSchedule(current: () => number): Schedule {
  const byBlock = new Map<number, Intent[]>();
  let lastBlock = 0;
  return {
    at(block, intent) {
      if (block <= current())
        throw new Error(`cannot schedule for block ${block}: block ${current()} is being written`);
      const list = byBlock.get(block);
      if (list) list.push(intent);
      else byBlock.set(block, [intent]);
      lastBlock = Math.max(lastBlock, block);
    },
    take(block) {
      const list = byBlock.get(block) ?? [];
      byBlock.delete(block);
      return list;
    },
    get lastBlock() {
      return lastBlock;
    },
  };
}
