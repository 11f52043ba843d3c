// GET /counts: the rows stored, read by the bench once /ready answers 200.

import { db } from 'ponder:api';
import { swap, transfer } from 'ponder:schema';
import { Hono } from 'hono';
import { count } from 'ponder';

const app = new Hono();

app.get('/counts', async (c) => {
  const [transfers] = await db.select({ n: count() }).from(transfer);
  const [swaps] = await db.select({ n: count() }).from(swap);
  return c.json({ transfers: transfers?.n ?? 0, swaps: swaps?.n ?? 0 });
});

export default app;
