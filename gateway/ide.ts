/**
 * The in-browser IDE: GraphiQL 3's UMD build and React 18's UMD builds, served by the gateway
 * itself from node_modules (no CDN, nothing fetched from outside: the page's Content-Security-Policy
 * allows only this origin). The header editor carries `Authorization: Bearer …`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/** The files the page loads, by the name it loads them under (`/ide/<name>`). */
const ASSETS: Record<string, { file: string; type: string }> = {
  'react.production.min.js': {
    file: join(packageDir('react'), 'umd/react.production.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'react-dom.production.min.js': {
    file: join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'graphiql.min.js': { file: join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript; charset=utf-8' },
  'graphiql.min.css': { file: join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css; charset=utf-8' },
  'start.js': { file: '', type: 'text/javascript; charset=utf-8' },
};

const START = `
const root = ReactDOM.createRoot(document.getElementById('graphiql'));
root.render(React.createElement(GraphiQL, {
  fetcher: GraphiQL.createFetcher({ url: new URL('/graphql', location.href).href }),
  defaultHeaders: JSON.stringify({ Authorization: 'Bearer <token from npm run token>' }, null, 2),
  defaultEditorToolsVisibility: 'headers',
  shouldPersistHeaders: false,
  defaultQuery: '# Put your token in the Headers tab below, then run:\\n{ __typename }\\n',
}));
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>IPS graph — GraphiQL</title>
<link rel="stylesheet" href="/ide/graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/ide/react.production.min.js"></script>
<script src="/ide/react-dom.production.min.js"></script>
<script src="/ide/graphiql.min.js"></script>
<script src="/ide/start.js"></script>
</body>
</html>
`;

/** Only this origin, for anything: the IDE cannot reach out even if a dependency tried. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Whether a request is a browser opening the graph's URL (GET, HTML preferred, no operation in the query string). */
export function wantsIde(request: express.Request): boolean {
  if (request.method !== 'GET' || request.query.query !== undefined) return false;
  return request.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

/** The IDE's page at / and /graphql (for a browser) and its assets under /ide/. */
export function ideRouter(): Router {
  const contents = new Map<string, Buffer>(
    Object.entries(ASSETS).map(([name, asset]) => [
      name,
      name === 'start.js' ? Buffer.from(START) : readFileSync(asset.file),
    ]),
  );
  const router = express.Router();
  router.get('/ide/:asset', (request, response, next) => {
    const name = request.params.asset;
    const asset = ASSETS[name];
    const body = contents.get(name);
    if (!asset || !body) {
      next();
      return;
    }
    response
      .set({ 'content-type': asset.type, 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' })
      .send(body);
  });
  router.get(['/', '/graphql'], (request, response, next) => {
    if (!wantsIde(request)) {
      next();
      return;
    }
    response
      .set({
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      })
      .send(PAGE);
  });
  return router;
}
