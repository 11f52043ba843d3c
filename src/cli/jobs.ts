import { Command, InvalidArgumentError } from 'commander';
import type { Common } from '../internal/createCommon.js';
import type { JobQueues, JobSummary } from '../jobs/createJobQueues.js';
import { type JobKind, jobKinds } from '../jobs/jobPayloads.js';
import { type JobStatus, jobStatuses } from '../jobs/jobQueueSettings.js';
import { formatTable } from '../utils/formatTable.js';
import { stringifyJson } from '../utils/stringifyJson.js';
import { parseWholeNumber } from './parseOptions.js';
import { requireRedisUrl } from './requireRedisUrl.js';
import { runCommand } from './runCommand.js';

/** `chaingnn jobs list|enqueue|retry|clean`: the job queues (in-process runs when REDIS_URL is unset). */
export function jobsCommand(): Command {
  const jobs = new Command('jobs').description(
    'job queues: enqueue work (run in-process when REDIS_URL is unset), list, retry and clean jobs',
  );
  jobs
    .command('enqueue')
    .description(`enqueue a job: ${jobKinds.join(', ')}; the same kind and payload twice is one job`)
    .argument('<kind>', 'the job kind', parseKind)
    .argument(
      '[payload]',
      'the payload as JSON (e.g. \'{"to": 2000, "rpcUrl": "http://127.0.0.1:8545"}\')',
      parseJson,
      {},
    )
    .option('--json', 'print as JSON')
    .action((kind: JobKind, payload: unknown, options: { json?: boolean }) =>
      runCommand(async (common) => {
        if (!common.config.redisUrl) {
          const { createJobContext } = await import('../jobs/createJobContext.js');
          const { runJob } = await import('../jobs/runJob.js');
          const result = await runJob(kind, payload, createJobContext(common));
          process.stdout.write(
            options.json
              ? `${stringifyJson({ kind, inProcess: true, result }, 2)}\n`
              : `ran ${kind} in-process (REDIS_URL is unset)\n${stringifyJson(result, 2)}\n`,
          );
          return;
        }
        await withQueues(common, async (queues) => {
          const queued = await queues.enqueue(kind, payload as never);
          process.stdout.write(
            options.json
              ? `${stringifyJson({ kind, ...queued }, 2)}\n`
              : `${queued.created ? 'enqueued' : 'already queued'} ${queued.id}\n`,
          );
        });
      }),
    );
  jobs
    .command('flow')
    .description('ingest a block range, snapshot it, train the risk model and score: one job after another')
    .requiredOption('--rpc <url>', 'the JSON-RPC node to ingest from')
    .requiredOption(
      '--to <block>',
      'the last block to ingest (the snapshot is taken as of it)',
      parseWholeNumber,
    )
    .option('--epochs <n>', 'most training epochs per model', parseWholeNumber)
    .option('--seed <n>', 'seeds the training', parseWholeNumber)
    .action((options: { rpc: string; to: number; epochs?: number; seed?: number }) =>
      runCommand(async (common) => {
        const { toPipelineSteps, runPipelineSteps } = await import('../jobs/pipelineFlow.js');
        const steps = toPipelineSteps({ rpcUrl: options.rpc, ...options });
        if (!common.config.redisUrl) {
          const { createJobContext } = await import('../jobs/createJobContext.js');
          await runPipelineSteps(steps, createJobContext(common), (step, result) =>
            process.stdout.write(`${step.kind}: ${stringifyJson(result)}\n`),
          );
          return;
        }
        await withQueues(common, async (queues) => {
          const ids = await queues.enqueueFlow(steps);
          process.stdout.write(`enqueued flow: ${ids.join(' -> ')}\n`);
        });
      }),
    );
  jobs
    .command('list')
    .description('jobs by state, oldest first')
    .option('--status <list>', `states, comma-separated (${jobStatuses.join(', ')})`, parseStatuses)
    .option('--kind <list>', 'job kinds, comma-separated', (value: string) => value.split(',').map(parseKind))
    .option('--json', 'print as JSON, with payloads and results')
    .action((options: { status?: JobStatus[]; kind?: JobKind[]; json?: boolean }) =>
      runCommand((common) =>
        withQueues(common, async (queues) => {
          const listed = await queues.list(options.status, options.kind);
          process.stdout.write(options.json ? `${stringifyJson(listed, 2)}\n` : `${formatJobs(listed)}\n`);
        }),
      ),
    );
  jobs
    .command('retry')
    .description('move a failed job back to waiting, its attempts reset')
    .argument('<id>', 'the job id (chaingnn jobs list shows it)')
    .action((id: string) =>
      runCommand((common) =>
        withQueues(common, async (queues) => {
          const job = await queues.retry(id);
          process.stdout.write(`retrying ${job.id}\n`);
        }),
      ),
    );
  jobs
    .command('clean')
    .description('remove completed (or failed) jobs finished more than --grace seconds ago')
    .option('--status <status>', 'completed or failed', parseCleanStatus, 'completed')
    .option('--grace <seconds>', 'keep jobs that finished this recently', parseWholeNumber, 0)
    .action((options: { status: 'completed' | 'failed'; grace: number }) =>
      runCommand((common) =>
        withQueues(common, async (queues) => {
          const removed = await queues.clean(options.status, options.grace * 1000);
          process.stdout.write(`removed ${removed} ${options.status} job(s)\n`);
        }),
      ),
    );
  return jobs;
}

/** Opens the queues on REDIS_URL for `use` and closes them after; a clear error when it is unset. */
async function withQueues(common: Common, use: (queues: JobQueues) => Promise<void>): Promise<void> {
  const redisUrl = requireRedisUrl(common, 'this command');
  const { createJobQueues } = await import('../jobs/createJobQueues.js');
  const queues = createJobQueues({ redisUrl });
  try {
    await use(queues);
  } finally {
    await queues.close();
  }
}

function formatJobs(jobs: readonly JobSummary[]): string {
  return formatTable(
    ['id', 'status', 'attempts', 'created', 'finished', 'reason'].map((name) => ({ name })),
    jobs.map((job) => [
      job.id,
      job.status,
      job.attemptsMade,
      job.createdAt,
      job.finishedAt,
      job.failedReason?.split('\n')[0] ?? null,
    ]),
  );
}

function parseKind(value: string): JobKind {
  if (jobKinds.includes(value as JobKind)) return value as JobKind;
  throw new InvalidArgumentError(`expected one of ${jobKinds.join(', ')}`);
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new InvalidArgumentError(`expected the payload as JSON (${(error as Error).message})`);
  }
}

function parseStatuses(value: string): JobStatus[] {
  const wanted = value.split(',').map((status) => status.trim());
  const unknown = wanted.filter((status) => !jobStatuses.includes(status as JobStatus));
  if (unknown.length > 0) throw new InvalidArgumentError(`expected some of ${jobStatuses.join(', ')}`);
  return wanted as JobStatus[];
}

function parseCleanStatus(value: string): 'completed' | 'failed' {
  if (value === 'completed' || value === 'failed') return value;
  throw new InvalidArgumentError('expected completed or failed');
}
