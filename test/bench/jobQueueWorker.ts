// A worker process for jobQueue.bench: serves the price-predict queue with a processor that does nothing, so the
// bench measures the queue itself. Args: REDIS_URL PREFIX.
import { createJobContext } from '../../src/jobs/createJobContext.js';
import { createJobWorkers } from '../../src/jobs/createJobWorkers.js';
import { jobProcessors } from '../../src/jobs/jobProcessors.js';
import { createTestCommon } from '../setup/testWarehouse.js';

const [redisUrl, prefix] = process.argv.slice(2) as [string, string];
const common = await createTestCommon('.tmp/bench-jobs');
const workers = createJobWorkers({
  redisUrl,
  prefix,
  queues: ['price-predict'],
  context: createJobContext(common),
  processors: { ...jobProcessors, 'price-predict': async (payload) => ({ done: payload.modelVersion ?? 0 }) },
});
await workers.ready();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void workers.close().then(() => process.exit(0));
});
