import { createReadStream, existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** A file of an installed package (found from its main entry: packages' `exports` hide their other files). */
function packageFile(name: string, file: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return join(dir, file);
}

/** The GraphiQL assets served from node_modules (nothing from a CDN), by their URL name. */
const assets: Record<string, { path: string; type: string }> = {
  'graphiql.min.css': { path: packageFile('graphiql', 'graphiql.min.css'), type: 'text/css' },
  'graphiql.min.js': { path: packageFile('graphiql', 'graphiql.min.js'), type: 'text/javascript' },
  'react.production.min.js': {
    path: packageFile('react', 'umd/react.production.min.js'),
    type: 'text/javascript',
  },
  'react-dom.production.min.js': {
    path: packageFile('react-dom', 'umd/react-dom.production.min.js'),
    type: 'text/javascript',
  },
};

const exampleQuery = `# Paste an API key into the Headers tab: {"Authorization": "Bearer cgn_..."}
query Riskiest {
  riskiest(first: 5) {
    edges { node { address risk { score category reasons } } }
  }
  indexerStatus { chainId indexedBlock head lag }
}
`;

/** The GraphiQL page: React and GraphiQL from /graphiql/assets, talking to `graphqlPath`. */
function renderPage(graphqlPath: string): string {
  const config = JSON.stringify({
    url: graphqlPath,
    query: exampleQuery,
    headers: JSON.stringify({ Authorization: 'Bearer <your API key>' }, null, 2),
  }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>chaingnn GraphiQL</title>
<link rel="stylesheet" href="/graphiql/assets/graphiql.min.css" />
<style>body { margin: 0; } #graphiql { height: 100vh; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/assets/react.production.min.js"></script>
<script src="/graphiql/assets/react-dom.production.min.js"></script>
<script src="/graphiql/assets/graphiql.min.js"></script>
<script>
const config = ${config};
const fetcher = GraphiQL.createFetcher({ url: config.url });
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: config.query,
    defaultHeaders: config.headers,
    headerEditorEnabled: true,
    shouldPersistHeaders: true,
  }),
);
</script>
</body>
</html>
`;
}

/** Serves the GraphiQL page at `/graphiql` and its assets below it; false when `path` is not one of them. */
export function serveGraphiql(path: string, res: ServerResponse, graphqlPath: string): boolean {
  if (path === '/graphiql' || path === '/graphiql/') {
    const page = renderPage(graphqlPath);
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(page),
    });
    res.end(page);
    return true;
  }
  const asset = path.startsWith('/graphiql/assets/')
    ? assets[path.slice('/graphiql/assets/'.length)]
    : undefined;
  if (!asset) return false;
  res.writeHead(200, {
    'content-type': `${asset.type}; charset=utf-8`,
    'cache-control': 'public, max-age=86400',
  });
  createReadStream(asset.path).pipe(res);
  return true;
}
