import { join } from 'node:path';
import { GraphQLError } from 'graphql';
import { type JobKind, jobKinds } from '../../jobs/jobPayloads.js';
import { parseCampaign } from '../../tasks/airdrop/campaignSchema.js';
import { writeFileAtomic } from '../../utils/writeFileAtomic.js';
import { insertRows } from '../../warehouse/insertRows.js';
import type { MutationResolvers } from '../generated/graphqlTypes.js';
import { toJob } from './toApiTypes.js';

const sourcePattern = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/** The admin mutations: each validates fully before it stores or enqueues anything. */
export const mutationResolvers: MutationResolvers = {
  createAirdropCampaign: async (_parent, { campaign }, { services }) => {
    const { dataDir } = services.common.config;
    const parsed = parseCampaign(campaign, 'createAirdropCampaign(campaign)', { baseDir: dataDir });
    const campaignPath = join(dataDir, 'campaigns', `${parsed.id}.json`);
    writeFileAtomic(campaignPath, `${JSON.stringify(campaign, null, 2)}\n`);
    return toJob(
      await services.jobs.enqueue('airdrop-run', {
        campaignPath,
        outDir: join(dataDir, 'airdrops', parsed.id),
      }),
    );
  },
  enqueueJob: async (_parent, { kind, payload }, { services }) => {
    if (!jobKinds.includes(kind as JobKind)) {
      throw new GraphQLError(`Unknown job kind "${kind}": expected one of ${jobKinds.join(', ')}`, {
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'kind' },
      });
    }
    return toJob(await services.jobs.enqueue(kind as JobKind, (payload ?? {}) as never));
  },
  addLabels: async (_parent, { source, labels }, { services }) => {
    if (!sourcePattern.test(source)) {
      throw new GraphQLError(
        `Invalid source "${source.slice(0, 80)}": expected 1–64 lower-case letters, digits, "_", "." or "-"`,
        { extensions: { code: 'BAD_USER_INPUT', argumentName: 'source' } },
      );
    }
    labels.forEach((label, i) => {
      const confidence = label.confidence ?? 1;
      if (!label.label.trim() || !label.category.trim() || !(confidence >= 0 && confidence <= 1)) {
        throw new GraphQLError(
          `Invalid labels[${i}]: expected a non-empty label and category and a confidence in [0, 1]`,
          { extensions: { code: 'BAD_USER_INPUT', argumentName: 'labels' } },
        );
      }
    });
    const chainId = await services.chainId();
    const addedAt = Date.now();
    await insertRows(
      services.warehouse,
      'address_labels',
      labels.map((label) => ({
        chain_id: chainId,
        address: label.address,
        label: label.label.trim(),
        category: label.category.trim().toLowerCase(),
        source,
        confidence: label.confidence ?? 1,
        added_at: addedAt,
      })),
    );
    return { added: labels.length, source };
  },
};
