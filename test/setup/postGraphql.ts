/** Response data, read field by field by the tests that check it against the warehouse. */
// biome-ignore lint/suspicious/noExplicitAny: the shape is the query's; tests assert it field by field.
type Data = Record<string, any>;

/** A GraphQL response as the API sends it: the HTTP status and the JSON body. */
export interface GraphqlReply {
  status: number;
  body: {
    data?: Data | null;
    errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
  };
}

/** POSTs a GraphQL operation to `url` with an API key (none when `key` is undefined). */
export async function postGraphql(
  url: string,
  key: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphqlReply> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as GraphqlReply['body'] };
}

/** The error codes of a reply, in order. */
export function errorCodes(reply: GraphqlReply): (string | undefined)[] {
  return (reply.body.errors ?? []).map((error) => error.extensions?.code);
}
