// One row per Transfer of the simulated tokens and per Swap of the simulated pairs.
import { ponder } from 'ponder:registry';
import { swap, transfer } from 'ponder:schema';

ponder.on('Token:Transfer', async ({ event, context }) => {
  await context.db.insert(transfer).values({
    id: event.id,
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    token: event.log.address,
    from: event.args.from,
    to: event.args.to,
    value: event.args.value,
  });
});

ponder.on('Pair:Swap', async ({ event, context }) => {
  await context.db.insert(swap).values({
    id: event.id,
    blockNumber: event.block.number,
    logIndex: event.log.logIndex,
    pool: event.log.address,
    sender: event.args.sender,
    to: event.args.to,
    amount0In: event.args.amount0In,
    amount1In: event.args.amount1In,
    amount0Out: event.args.amount0Out,
    amount1Out: event.args.amount1Out,
  });
});
