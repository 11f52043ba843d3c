import { GraphQLError } from 'graphql';
import type { RiskAlert } from '../createRiskAlerts.js';
import type { SubscriptionResolvers } from '../generated/graphqlTypes.js';

/** The subscriptions (graphql-ws). */
export const subscriptionResolvers: SubscriptionResolvers = {
  riskAlerts: {
    subscribe: (_parent, { threshold }, { services }) => {
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new GraphQLError(`Invalid threshold ${threshold}: expected a score from 0 to 1`, {
          extensions: { code: 'BAD_USER_INPUT', argumentName: 'threshold' },
        });
      }
      return services.alerts.subscribe(threshold);
    },
    resolve: (alert: RiskAlert) => alert,
  },
};
