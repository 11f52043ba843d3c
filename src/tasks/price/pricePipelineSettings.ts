import { defaultTraderFlowSettings, type TraderFlowSettings } from './buildTraderFlowFeatures.js';

/** How every price command builds its features, with the defaults a model card records and predict reuses. */
export interface PricePipelineSettings {
  /** Window length in seconds (default 3600). */
  windowSeconds: number;
  /** Markets whose pool holds less quote than this are left out (default 10 quote units; see buildPriceSeries). */
  minQuoteReserve: number;
  traderFlow: TraderFlowSettings;
  /** Graph columns (PageRank- and embedding-weighted flow) from a snapshot (default false: on the development
   *  world, seed 1, they lowered both the linear and the tcn model's directional accuracy). */
  graph: boolean;
  /** Width of the traders' propagated embeddings (default 4). */
  embeddingDims: number;
}

/** The settings with every field not given taken from the defaults. */
export function withPricePipelineDefaults(given: Partial<PricePipelineSettings> = {}): PricePipelineSettings {
  return {
    windowSeconds: given.windowSeconds ?? 3600,
    minQuoteReserve: given.minQuoteReserve ?? 10,
    traderFlow: given.traderFlow ?? defaultTraderFlowSettings,
    graph: given.graph ?? false,
    embeddingDims: given.embeddingDims ?? 4,
  };
}
