import DataLoader from 'dataloader';
import type { AirdropTargetRow } from '../warehouse/airdropRows.js';
import type { AddressActivity } from '../warehouse/getAddressActivity.js';
import type { AddressCommunity } from '../warehouse/getAddressCommunities.js';
import type { AddressFeatureRow } from '../warehouse/getAddressFeatures.js';
import type { AddressLabel } from '../warehouse/getAddressLabels.js';
import { getRiskReasons } from '../warehouse/getRiskScores.js';
import type { RiskModel } from './apiModels.js';
import type { ApiServices } from './createApiServices.js';
import type { ReadCoalescer } from './createReadCoalescer.js';

/**
 * One request's batching loaders: each turns the addresses a query touches into one read, which the services'
 * cross-request readers share with the reads concurrent requests ask meanwhile (the reasons excepted).
 */
export interface ApiLoaders {
  risk: DataLoader<string, RiskModel | undefined>;
  /** The reasons of scores, by snapshot and address (asked only by queries that select them). */
  riskReasons: DataLoader<{ snapshotId: string; address: string }, string[]>;
  labels: DataLoader<string, AddressLabel[]>;
  sybil: DataLoader<string, AirdropTargetRow | undefined>;
  community: DataLoader<string, (AddressCommunity & { snapshotId: string }) | undefined>;
  features: DataLoader<string, (AddressFeatureRow & { featureNames: readonly string[] }) | undefined>;
  activity: DataLoader<string, AddressActivity | undefined>;
}

/** A request's loader over a cross-request reader: each address's value, or `none` where it has none. */
function loaderOf<V, N>(reader: ReadCoalescer<V>, none: N): DataLoader<string, V | N> {
  return new DataLoader(async (addresses) => {
    const found = await reader.load(addresses);
    return addresses.map((address) => found.get(address) ?? none);
  });
}

/**
 * Creates the loaders of one request (DataLoader caches per request; the services cache across requests). Each is
 * made when a resolver first asks for it: most requests use one or two of the seven.
 */
export function createApiLoaders(services: ApiServices): ApiLoaders {
  return new RequestLoaders(services);
}

/** The loaders of one request, each made on first use. */
class RequestLoaders implements ApiLoaders {
  readonly #services: ApiServices;
  #risk: ApiLoaders['risk'] | undefined;
  #riskReasons: ApiLoaders['riskReasons'] | undefined;
  #labels: ApiLoaders['labels'] | undefined;
  #sybil: ApiLoaders['sybil'] | undefined;
  #community: ApiLoaders['community'] | undefined;
  #features: ApiLoaders['features'] | undefined;
  #activity: ApiLoaders['activity'] | undefined;

  constructor(services: ApiServices) {
    this.#services = services;
  }

  get risk(): ApiLoaders['risk'] {
    const services = this.#services;
    this.#risk ??= new DataLoader((addresses) => services.riskScores(addresses));
    return this.#risk;
  }

  get riskReasons(): ApiLoaders['riskReasons'] {
    this.#riskReasons ??= riskReasonsLoader(this.#services);
    return this.#riskReasons;
  }

  get labels(): ApiLoaders['labels'] {
    this.#labels ??= loaderOf(this.#services.addressReads.labels, []);
    return this.#labels;
  }

  get sybil(): ApiLoaders['sybil'] {
    this.#sybil ??= loaderOf(this.#services.addressReads.sybil, undefined);
    return this.#sybil;
  }

  get community(): ApiLoaders['community'] {
    this.#community ??= loaderOf(this.#services.addressReads.community, undefined);
    return this.#community;
  }

  get features(): ApiLoaders['features'] {
    this.#features ??= loaderOf(this.#services.addressReads.features, undefined);
    return this.#features;
  }

  get activity(): ApiLoaders['activity'] {
    this.#activity ??= loaderOf(this.#services.addressReads.activity, undefined);
    return this.#activity;
  }
}

/** A request's loader of score reasons: one read per snapshot asked. */
function riskReasonsLoader(services: ApiServices): ApiLoaders['riskReasons'] {
  return new DataLoader(
    async (keys) => {
      const chainId = await services.chainId();
      const reasons = new Map<string, string[]>();
      for (const snapshotId of new Set(keys.map((key) => key.snapshotId))) {
        const addresses = keys.filter((key) => key.snapshotId === snapshotId).map((key) => key.address);
        for (const row of await getRiskReasons(services.warehouse, chainId, snapshotId, addresses))
          reasons.set(`${snapshotId}/${row.address}`, row.reasons);
      }
      return keys.map(({ snapshotId, address }) => reasons.get(`${snapshotId}/${address}`) ?? []);
    },
    { cacheKeyFn: ({ snapshotId, address }) => `${snapshotId}/${address}` },
  );
}
