import { type Address, keccak256, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import type { Rng } from '../../utils/createRng.js';
import type { TxRequest } from './createChainWriter.js';
import type { HypedTokens, OrganicUser } from './planOrganic.js';
import { largestHolding } from './planOrganic.js';
import { type PlanContext, tokenSupply, toWei } from './planSetup.js';
import { type Actor, gasLimits, type SimWorld } from './simWorld.js';

const maxUint256 = 2n ** 256n - 1n;

/**
 * Phishing campaigns. A scammer (funded from an exchange) deploys a drainer; victims, organic users holding
 * tokens, approve it (and some pay its bait `claimReward`); the scammer drains each approval to a collector,
 * which sells the loot and launders the ETH through a chain of fresh addresses into an exchange deposit,
 * splitting it on the way.
 */
export function planPhishing(
  { cast, schedule, params, from, to }: PlanContext,
  rng: Rng,
  users: readonly OrganicUser[],
): void {
  for (let c = 0; c < params.phishingCampaigns; c += 1) {
    const clusterId = `phish-${c}`;
    const scammer = cast.newActor('phishing', clusterId);
    const collector = cast.newActor('phishing', clusterId);
    const hops = Array.from({ length: rng.int(params.launderHops[0], params.launderHops[1]) }, () =>
      cast.newActor('launderer', clusterId),
    );
    const exchange = rng.pick(cast.exchanges);
    const start = from + Math.floor((0.3 + 0.5 * rng.next()) * (to - from - 60));
    const victimCount = rng.int(params.phishingVictims[0], params.phishingVictims[1]);
    let drainer: Address | undefined;
    const budget = toWei(0.5 + rng.next());
    schedule.at(start, ({ world }) => world.transferEth(exchange, scammer.address, budget));
    schedule.at(start + 1, ({ world }) => {
      const deployed = world.deploy(scammer, world.artifacts.Drainer, [scammer.address]);
      drainer = deployed.address;
      world.label(deployed.address, 'drainer', clusterId, true);
      return [deployed.tx];
    });
    const victims: { actor: Actor; token?: Address }[] = [];
    schedule.at(start + 2, ({ world, rng: r }) => {
      const holders = users.filter(
        (u) => u.actor.label === 'organic' && largestHolding(world, u.actor.address),
      );
      for (const user of r.shuffle(holders).slice(0, victimCount)) victims.push({ actor: user.actor });
      return [];
    });
    for (let v = 0; v < params.phishingVictims[1]; v += 1) {
      schedule.at(start + 3 + v, ({ world, rng: r }) => {
        const victim = victims[v];
        if (!victim || !drainer) return [];
        const token = largestHolding(world, victim.actor.address);
        if (!token) return [];
        victim.token = token;
        const txs = world.call(
          victim.actor,
          token,
          world.artifacts.SimToken.abi,
          'approve',
          [drainer, maxUint256],
          gasLimits.approve,
        );
        const bait = r.chance(0.3) ? toWei(0.01 + 0.04 * r.next()) : 0n;
        const baitTx =
          bait > 0n
            ? world.call(
                victim.actor,
                drainer,
                world.artifacts.Drainer.abi,
                'claimReward',
                [],
                gasLimits.bait,
                bait,
              )
            : undefined;
        if (baitTx) world.creditEth(drainer, bait);
        return [txs, baitTx].filter((tx): tx is TxRequest => tx !== undefined);
      });
    }
    const drainAt = start + 4 + params.phishingVictims[1];
    schedule.at(drainAt, ({ world }) => {
      const txs: TxRequest[] = [];
      for (const victim of victims) {
        if (!victim.token || !drainer) continue;
        const amount = world.tokenOf(victim.token, victim.actor.address);
        const tx = world.call(
          scammer,
          drainer,
          world.artifacts.Drainer.abi,
          'drain',
          [victim.token, victim.actor.address, collector.address],
          gasLimits.drain,
        );
        if (!tx) continue;
        world.credit(victim.token, victim.actor.address, -amount);
        world.credit(victim.token, collector.address, amount);
        txs.push(tx);
      }
      const loot = drainer ? world.ethOf(drainer) : 0n;
      const sweep =
        drainer && loot > 0n
          ? world.call(
              scammer,
              drainer,
              world.artifacts.Drainer.abi,
              'sweep',
              [scammer.address],
              gasLimits.call,
            )
          : undefined;
      if (sweep && drainer) {
        world.debitEth(drainer, loot);
        world.creditEth(scammer.address, loot);
        txs.push(sweep);
      }
      // The collector needs gas money to sell the loot: the scammer sends it.
      txs.push(...world.transferEth(scammer, collector.address, world.spendableEth(scammer.address) / 2n));
      return txs;
    });
    schedule.at(drainAt + 2, ({ world }) =>
      [...world.tokenSymbols.keys()].flatMap((token) =>
        world.sellToken(collector, token, world.tokenOf(token, collector.address)),
      ),
    );
    // Laundering: collector → hop → … → exchange, the first hop splitting off a side branch.
    let payer = collector;
    for (const [h, hop] of hops.entries()) {
      const from_ = payer;
      schedule.at(drainAt + 4 + h * rng.int(1, 3), ({ world }) =>
        world.transferEth(from_, hop.address, (world.spendableEth(from_.address) * 97n) / 100n),
      );
      payer = hop;
    }
    const last = payer;
    schedule.at(drainAt + 8 + hops.length * 3, ({ world }) =>
      world.transferEth(last, exchange.address, world.spendableEth(last.address)),
    );
  }
}

/**
 * Address poisoning: a poisoner watches victims' last token payments, creates a look-alike of each
 * recipient (same first and last hex character), and plants a zero-value `transferFrom(victim, lookalike, 0)`
 * in the victim's history. Some victims then copy the wrong address and pay the look-alike, which forwards
 * the tokens to the poisoner.
 */
export function planPoisoning({ cast, schedule, params, from, to, seed }: PlanContext, rng: Rng): void {
  for (let p = 0; p < params.poisoners; p += 1) {
    const clusterId = `poison-${p}`;
    const poisoner = cast.newActor('poisoner', clusterId);
    const exchange = rng.pick(cast.exchanges);
    const start = from + Math.floor((0.4 + 0.4 * rng.next()) * (to - from - 40));
    schedule.at(start, ({ world }) => world.transferEth(exchange, poisoner.address, toWei(0.3)));
    schedule.at(start + 1, ({ world, rng: r }) => {
      const txs: TxRequest[] = [];
      const candidates = [...world.lastTransfer.entries()].filter(
        ([victim]) => world.labels.get(victim)?.label === 'organic',
      );
      for (const [victim, { token, to: payee }] of r.shuffle(candidates).slice(0, params.poisonTargets)) {
        const lookalike = lookalikeOf(payee, `${seed}/${clusterId}/${victim}`, clusterId, world);
        const tx = world.call(
          poisoner,
          token,
          world.artifacts.SimToken.abi,
          'transferFrom',
          [victim, lookalike.address, 0n],
          gasLimits.tokenTransfer,
        );
        if (tx) txs.push(tx);
        if (!r.chance(params.poisonFooledShare)) continue;
        const fooledAt = start + 3 + r.int(1, 15);
        const victimActor = world.actor(victim);
        schedule.at(fooledAt, ({ world: w }) =>
          w.transferToken(victimActor, token, lookalike.address, w.tokenOf(token, victim) / 3n),
        );
        schedule.at(fooledAt + 1, ({ world: w }) => w.transferEth(poisoner, lookalike.address, toWei(0.002)));
        schedule.at(fooledAt + 3, ({ world: w }) =>
          w.transferToken(lookalike, token, poisoner.address, w.tokenOf(token, lookalike.address)),
        );
      }
      return txs;
    });
  }
}

/** Grinds keys until the address shares `target`'s first and last hex characters (a 1-in-256 search). */
function lookalikeOf(target: Address, seed: string, clusterId: string, world: SimWorld): Actor {
  const want = target.toLowerCase();
  for (let attempt = 0; ; attempt += 1) {
    const account = privateKeyToAccount(keccak256(toHex(`${seed}/${attempt}`)));
    const got = account.address.toLowerCase();
    if (got[2] === want[2] && got[41] === want[41]) return world.addActor(account, 'poisoner', clusterId);
  }
}

/**
 * Rug pulls: a creator deploys a token, seeds a WETH pool with most of the supply and some ETH, lets
 * organic buyers pile in during a hype window, then removes all the liquidity and moves the ETH away.
 */
export function planRugPulls({ cast, schedule, params, from, to }: PlanContext, rng: Rng): HypedTokens {
  const windows: { token?: Address; start: number; end: number }[] = [];
  for (let r = 0; r < params.rugPulls; r += 1) {
    const clusterId = `rug-${r}`;
    const rugger = cast.newActor('rug', clusterId);
    const exit = cast.newActor('rug', clusterId);
    const exchange = rng.pick(cast.exchanges);
    const start = from + Math.floor((0.2 + 0.5 * rng.next()) * (to - from - 80));
    const hype = rng.int(20, 50);
    const seedEth = 5 + 20 * rng.next();
    const window: (typeof windows)[number] = { start: start + 4, end: start + 4 + hype };
    windows.push(window);
    schedule.at(start, ({ world }) => world.transferEth(exchange, rugger.address, toWei(seedEth + 1)));
    schedule.at(start + 1, ({ world }) => {
      const deployed = world.deploy(rugger, world.artifacts.SimToken, [
        `Moon Coin ${r}`,
        `MOON${r}`,
        18,
        rugger.address,
      ]);
      window.token = deployed.address;
      world.tokenSymbols.set(deployed.address, `MOON${r}`);
      world.label(deployed.address, 'rug', clusterId, true);
      return [deployed.tx];
    });
    schedule.at(start + 2, ({ world }) =>
      window.token ? world.mintToken(rugger, window.token, rugger.address, tokenSupply) : [],
    );
    schedule.at(start + 3, ({ world }) =>
      window.token
        ? world.addLiquidityEth(rugger, window.token, (tokenSupply * 8n) / 10n, toWei(seedEth))
        : [],
    );
    schedule.at(window.end, ({ world }) => {
      const pool = window.token && world.pool(window.token, world.weth);
      return pool && window.token
        ? world.removeLiquidityEth(rugger, window.token, world.lpOf(pool, rugger.address))
        : [];
    });
    schedule.at(window.end + rng.int(2, 6), ({ world }) =>
      world.transferEth(rugger, exit.address, world.spendableEth(rugger.address)),
    );
  }
  return {
    active: (block) =>
      windows.filter((w) => w.token && block >= w.start && block < w.end).map((w) => w.token!),
  };
}
