import type { Common } from '../internal/createCommon.js';
import type { Warehouse } from '../warehouse/createWarehouse.js';
import { type JobKind, type JobPayload, parseJobPayload } from './jobPayloads.js';

/** What a processor gets besides its payload: the process's configuration, its warehouse and a progress sink. */
export interface JobContext {
  common: Common;
  /** The warehouse, opened and migrated on first use and shared by every job of the process. */
  warehouse(): Promise<Warehouse>;
  /** Reports how far the job is (0..1) and what it is doing, as the CLI shows it. */
  progress(share: number, message: string): void;
}

/** Runs one job kind: calls its pipeline and returns a JSON summary of what it wrote. */
export type JobProcessor<K extends JobKind> = (
  payload: JobPayload<K>,
  context: JobContext,
) => Promise<Record<string, unknown>>;

/** The processor of each job kind: thin calls into the task pipelines (loaded when first used). */
export const jobProcessors: { [K in JobKind]: JobProcessor<K> } = {
  'ingest-range': async (payload, context) => {
    const { createRpcClient } = await import('../chain/rpc/createRpcClient.js');
    const { runIndexer } = await import('../tasks/indexer/runIndexer.js');
    const { logger } = context.common;
    const done = await runIndexer({
      rpc: createRpcClient({ url: payload.rpcUrl, logger }),
      warehouse: await context.warehouse(),
      logger,
      mode: payload.logsOnly ? 'logs' : 'full',
      to: payload.to,
      ...(payload.from === undefined ? {} : { from: payload.from }),
      ...(payload.minRowsPerWrite === undefined ? {} : { minRowsPerWrite: payload.minRowsPerWrite }),
      onProgress: (p) =>
        context.progress(p.target > 0 ? p.block / p.target : 0, `block ${p.block}/${p.target}`),
    });
    return { ...done };
  },
  'follow-head': async (payload, context) => {
    const { createRpcClient } = await import('../chain/rpc/createRpcClient.js');
    const { runIndexer } = await import('../tasks/indexer/runIndexer.js');
    const { logger } = context.common;
    const rpc = createRpcClient({ url: payload.rpcUrl, logger });
    const head = Number(await rpc.request<string>('eth_blockNumber'));
    const done = await runIndexer({
      rpc,
      warehouse: await context.warehouse(),
      logger,
      to: Math.max(0, head - payload.confirmations),
    });
    return { head, ...done };
  },
  'build-graph': async (payload, context) => {
    const { buildSnapshot } = await import('../tasks/graphs/buildSnapshot.js');
    const { getOnlyChain } = await import('../tasks/graphs/getOnlyChain.js');
    const warehouse = await context.warehouse();
    const built = await buildSnapshot({
      warehouse,
      logger: context.common.logger,
      dataDir: context.common.config.dataDir,
      chainId: payload.chainId ?? (await getOnlyChain(warehouse)),
      onProgress: (share, step) => context.progress(share, `graph ${step} done`),
      ...(payload.asOfBlock === undefined ? {} : { asOfBlock: payload.asOfBlock }),
      ...(payload.asOfTime === undefined ? {} : { asOfTime: payload.asOfTime }),
      ...(payload.windowDays === undefined ? {} : { windowDays: payload.windowDays }),
    });
    const { snapshot } = built;
    return {
      snapshotId: snapshot.id,
      nodes: snapshot.nodes.addresses.length,
      edges: snapshot.edges.src.length,
    };
  },
  'train-model': async (payload, context) => {
    const warehouse = await context.warehouse();
    const { config, logger } = context.common;
    const common = {
      warehouse,
      logger,
      dataDir: config.dataDir,
      backend: config.tfBackend,
      threads: config.tfThreads,
    };
    const onEpoch = (p: { epoch: number; epochs: number; architecture: string }) =>
      context.progress(p.epoch / p.epochs, `${p.architecture} epoch ${p.epoch}/${p.epochs}`);
    const settings = {
      ...(payload.epochs === undefined ? {} : { epochs: payload.epochs }),
      ...(payload.seed === undefined ? {} : { seed: payload.seed }),
    };
    if (payload.task === 'price') {
      const { trainPriceModel } = await import('../tasks/price/trainPriceModel.js');
      const trained = await trainPriceModel({
        ...common,
        windowSeconds: 3600,
        sequence: {
          ...settings,
          onEpoch: (epoch, epochs) => context.progress(epoch / epochs, `tcn epoch ${epoch}/${epochs}`),
        },
      });
      return { task: 'price', version: trained.version, metrics: trained.card.metrics };
    }
    if (payload.task === 'risk') {
      const { trainRiskModel } = await import('../tasks/risk/trainRiskModel.js');
      const { card } = await trainRiskModel({ ...common, ...settings, onEpoch });
      return { task: 'risk', version: card.version, metrics: card.metrics };
    }
    const { trainTask } = await import('../tasks/training/trainTask.js');
    const { card } = await trainTask({ ...common, task: payload.task, ...settings, onEpoch });
    return { task: payload.task, version: card.version, metrics: card.metrics };
  },
  score: async (payload, context) => {
    const { scoreRisk } = await import('../tasks/risk/scoreRisk.js');
    const { config, logger } = context.common;
    const result = await scoreRisk({
      warehouse: await context.warehouse(),
      logger,
      dataDir: config.dataDir,
      backend: config.tfBackend,
      threads: config.tfThreads,
      snapshotId: payload.snapshotId,
      incremental: payload.incremental,
      onProgress: (done, total) => context.progress(done / total, `scored ${done}/${total}`),
    });
    return { ...result };
  },
  refresh: async (payload, context) => {
    const graph = await jobProcessors['build-graph'](parseJobPayload('build-graph', {}), context);
    const trained = await jobProcessors['train-model'](
      parseJobPayload('train-model', { task: 'risk', ...payload }),
      context,
    );
    const scored = await jobProcessors.score(parseJobPayload('score', {}), context);
    return { graph, trained, scored };
  },
  'airdrop-run': async (payload, context) => {
    const { loadCampaign } = await import('../tasks/airdrop/loadCampaign.js');
    const { runAirdrop } = await import('../tasks/airdrop/runAirdrop.js');
    const { writeAirdropFiles } = await import('../tasks/airdrop/writeAirdropFiles.js');
    const { config, logger } = context.common;
    const run = await runAirdrop({
      campaign: loadCampaign(payload.campaignPath),
      warehouse: await context.warehouse(),
      logger,
      dataDir: config.dataDir,
      backend: config.tfBackend,
      threads: config.tfThreads,
    });
    const files = writeAirdropFiles(run, payload.outDir);
    return { campaignId: run.campaign.campaign_id, merkleRoot: run.campaign.merkle_root, files };
  },
  'price-predict': async (payload, context) => {
    const { predictPrices } = await import('../tasks/price/predictPrices.js');
    const { config, logger } = context.common;
    const run = await predictPrices({
      warehouse: await context.warehouse(),
      logger,
      dataDir: config.dataDir,
      backend: config.tfBackend,
      threads: config.tfThreads,
      modelVersion: payload.modelVersion,
    });
    return { modelVersion: run.modelVersion, forecasts: run.forecasts.length, resolved: run.resolved };
  },
};
