import type { AirdropCampaignRow } from '../warehouse/airdropRows.js';

/** What an `AddressProfile` resolver starts from: the address; each field loads its part. */
export interface AddressProfileModel {
  address: string;
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
