/**
 * The platform's own web pages (web/, built by Vite into dist/web): `/dashboard/` (the integrators'
 * reference regional dashboard), `/questionnaire/` (the participant's questionnaire, R12) and `/claim/`
 * (a partner's claim of a month for its supervisors and INAMI, printable, R17),
 * with their hashed assets under `/assets/`. Static files on the gateway's own origin, under a
 * Content-Security-Policy that lets them load nothing and call nothing but this origin; the pages
 * call `/graphql` with the caller's bearer token like any other front end: the graph decides.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';

export const WEB_PAGES = ['dashboard', 'questionnaire', 'claim'] as const;

/** Scripts from this origin only; Observable Plot's SVG carries its own style element, hence inline styles. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";

/** dist/web of the project this module belongs to (from gateway/ in the sources or dist/gateway/ once built). */
export function defaultWebDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return join(dir, 'dist', 'web');
}

export function webRouter(webDir = defaultWebDir()): Router {
  // strict: '/dashboard' and '/dashboard/' are different routes (the first redirects to the second).
  const router = express.Router({ strict: true });
  const headers = {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  const statics = express.static(webDir, {
    index: 'index.html',
    redirect: true,
    fallthrough: true,
    setHeaders: (response, path) => {
      response.set(headers);
      // Hashed asset names never change content; the pages themselves are revalidated.
      response.set(
        'cache-control',
        path.includes(join(webDir, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  for (const page of WEB_PAGES) {
    router.get(`/${page}`, (_request, response) => response.redirect(301, `/${page}/`));
    router.use(`/${page}/`, (request, response, next) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        next();
        return;
      }
      if (!existsSync(join(webDir, page, 'index.html'))) {
        response.status(503).type('text/plain').send(`The ${page} page is not built: run npm run build:web\n`);
        return;
      }
      request.url = `/${page}${request.url}`;
      statics(request, response, next);
    });
  }
  router.use('/assets/', (request, response, next) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      next();
      return;
    }
    request.url = `/assets${request.url}`;
    statics(request, response, next);
  });
  return router;
}
