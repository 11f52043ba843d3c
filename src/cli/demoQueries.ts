/** One example query the demo prints, as a curl command against the served API. */
export interface DemoQuery {
  title: string;
  query: string;
  variables: Record<string, unknown>;
}

/** The demo's three example queries: the riskiest addresses, one planted phisher's profile, the airdrop's top claims. */
export function buildDemoQueries(phisher: string, campaignId: string): DemoQuery[] {
  return [
    {
      title: 'The five riskiest addresses, with the reasons for their scores',
      query: '{ riskiest(first: 5) { edges { node { address risk { score category reasons } } } } }',
      variables: {},
    },
    {
      title: 'A planted phishing address: its score, labels, community and busiest counterparties',
      query:
        'query ($a: Address!) { address(address: $a) { risk { score category } labels { label source } community { id size } counterparties(first: 3) { edges { node { address type count } } } } }',
      variables: { a: phisher },
    },
    {
      title: 'The airdrop: its Merkle root, and the top three claims with their proofs',
      query:
        'query ($id: ID!) { airdropCampaign(id: $id) { merkleRoot stats { recipients excluded sybilClusters } targets(first: 3) { edges { node { address amount rank proof } } } } }',
      variables: { id: campaignId },
    },
  ];
}

/** A demo query as a copy-paste curl command. */
export function toCurl(url: string, key: string, query: DemoQuery): string {
  const body = JSON.stringify({ query: query.query, variables: query.variables });
  return `curl -s ${url} -H 'Authorization: Bearer ${key}' -H 'content-type: application/json' -d '${body}'`;
}
