import { NonRetryableError } from '../../internal/errors.js';
import type { NodeModel } from '../models/NodeModel.js';
import type { NodeInputs } from './NodeDataset.js';

/**
 * Throws a NonRetryableError saying what was expected unless `inputs` fit `model`: a whole graph, one row of
 * inChannels features per node, and (for a model that reads them) one row of edgeChannels per edge.
 */
export function checkNodeInputs(model: NodeModel, inputs: NodeInputs): void {
  const { graph, features, edgeFeatures } = inputs;
  const { inChannels, edgeChannels, architecture } = model.config;
  const fail = (shortMessage: string, details: string) => {
    throw new NonRetryableError(shortMessage, { code: 'GNN_SHAPE_MISMATCH', details });
  };
  if (graph.numSources !== graph.numDestinations) {
    fail(
      `The graph has ${graph.numSources} sources and ${graph.numDestinations} destinations`,
      'Expected the whole graph, whose sources and destinations are the same nodes.',
    );
  }
  if (features.channels !== inChannels || features.values.length !== graph.numDestinations * inChannels) {
    fail(
      `The node features are ${features.values.length} values of ${features.channels} channels`,
      `Expected [numNodes, inChannels] = [${graph.numDestinations}, ${inChannels}] (the model's inChannels).`,
    );
  }
  if (!model.readsEdgeFeatures) return;
  if (
    edgeFeatures === undefined ||
    edgeFeatures.channels !== edgeChannels ||
    edgeFeatures.values.length !== graph.numEdges * edgeChannels
  ) {
    const got =
      edgeFeatures === undefined
        ? 'none'
        : `${edgeFeatures.values.length} values of ${edgeFeatures.channels} channels`;
    fail(
      `A ${architecture} model needs edge features; got ${got}`,
      `Expected [numEdges, edgeChannels] = [${graph.numEdges}, ${edgeChannels}] (the model's edgeChannels).`,
    );
  }
}
