import type { AirdropCampaignRow } from '../warehouse/airdropRows.js';

/** What an `AddressProfile` resolver starts from: the address; each field loads its part. */
export interface AddressProfileModel {
  address: string;
}

/** What a `Risk` resolver starts from: the score's fields, and its reasons when they were read with it. */
export interface RiskModel {
  address: string;
  score: number;
  category: string;
  modelVersion: number;
  architecture: string;
  snapshotId: string;
  scoredAt: string;
  /** Absent when the score came without them (the score cache keeps none): the field loads them. */
  reasons?: string[];
}

/** What an `AirdropCampaign` resolver starts from: its scalar fields, and the run's row for loading its targets. */
export interface AirdropCampaignModel {
  row: AirdropCampaignRow;
  id: string;
  name: string;
  snapshotId: string;
  snapshotBlock: number;
  tokenSymbol: string;
  tokenDecimals: number;
  budget: string;
  allocationRule: string;
  merkleRoot: string;
  createdAt: string;
  stats: { eligible: number; recipients: number; excluded: number; sybilClusters: number };
}
