import { afterAll, beforeAll } from 'vitest';
import { type Devnet, startDevnet } from '../../src/chain/devnet/startDevnet.js';
import { type SimulateOptions, type SimulationResult, simulate } from '../../src/chain/simulator/simulate.js';

/** A fresh devnet for the test file with a simulated world mined into it, stopped after the file. */
export function useSimulatedWorld(
  options: Omit<SimulateOptions, 'rpc'>,
): () => { devnet: Devnet; world: SimulationResult } {
  let devnet: Devnet | undefined;
  let world: SimulationResult | undefined;
  beforeAll(async () => {
    devnet = await startDevnet();
    world = await simulate({ ...options, rpc: devnet.provider });
  });
  afterAll(() => devnet?.stop());
  return () => ({ devnet: devnet!, world: world! });
}
