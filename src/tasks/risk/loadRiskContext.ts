import type { Logger } from 'pino';
import { createTfBackend, type TfBackendName } from '../../gnn/createTfBackend.js';
import type { Warehouse } from '../../warehouse/createWarehouse.js';
import { getAddressLabels } from '../../warehouse/getAddressLabels.js';
import { loadSnapshot } from '../graphs/loadSnapshot.js';
import { buildRiskInputs } from './buildRiskInputs.js';
import type { RiskExplainerContext } from './createRiskExplainer.js';
import { loadRiskModel } from './loadRiskModel.js';

/** Which snapshot and model {@link loadRiskContext} loads. */
export interface LoadRiskContextOptions {
  warehouse: Warehouse;
  logger: Logger;
  dataDir: string;
  /** Default: the latest snapshot of the chain. */
  snapshotId?: string | undefined;
  /** Default: the only chain in the warehouse. */
  chainId?: number | undefined;
  /** Default: the latest calibrated risk model. */
  modelVersion?: number | undefined;
  /** The TensorFlow.js backend (default auto). */
  backend?: 'auto' | TfBackendName | undefined;
  /** Threads of the wasm backend (default 1; see createTfBackend). */
  threads?: number | undefined;
}

/**
 * Everything scoring and explaining read: the snapshot, the risk model for its features (refused, naming the
 * differing features, when it was trained on others), the model's inputs from the snapshot, and the chain's labels.
 * The caller disposes the model.
 */
export async function loadRiskContext(options: LoadRiskContextOptions): Promise<RiskExplainerContext> {
  const { warehouse } = options;
  await createTfBackend({ logger: options.logger, backend: options.backend, threads: options.threads });
  const { content, path } = await loadSnapshot(warehouse, options.dataDir, options);
  const { model, card } = await loadRiskModel(options.dataDir, content.featureNames, options.modelVersion);
  try {
    return {
      model,
      card,
      content,
      snapshotPath: path,
      inputs: buildRiskInputs(content, card),
      labels: await getAddressLabels(warehouse, content.snapshot.point.chainId),
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}
