import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { applyRoleDirectives } from './applyRoleDirectives.js';
import type { Resolvers } from './generated/graphqlTypes.js';
import { loadTypeDefs } from './loadTypeDefs.js';
import { addressResolvers } from './resolvers/addressResolvers.js';
import { airdropResolvers } from './resolvers/airdropResolvers.js';
import { mutationResolvers } from './resolvers/mutationResolvers.js';
import { queryResolvers } from './resolvers/queryResolvers.js';
import { riskResolvers } from './resolvers/riskResolvers.js';
import { subscriptionResolvers } from './resolvers/subscriptionResolvers.js';
import { addressScalar, bigIntScalar, dateTimeScalar, jsonScalar } from './scalars.js';

/** Every resolver of the API, typed from the SDL. */
export const apiResolvers: Resolvers = {
  Address: addressScalar,
  BigInt: bigIntScalar,
  DateTime: dateTimeScalar,
  JSON: jsonScalar,
  Query: queryResolvers,
  Mutation: mutationResolvers,
  Subscription: subscriptionResolvers,
  AddressProfile: addressResolvers,
  AirdropCampaign: airdropResolvers,
  Risk: riskResolvers,
};

/** The executable schema: the SDL of schema/graphql with its resolvers and role checks. */
export function createApiSchema(): GraphQLSchema {
  return applyRoleDirectives(
    makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers: apiResolvers as never }),
  );
}
