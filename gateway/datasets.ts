/**
 * Files served beside the graph on the gateway's origin, each streamed from the subgraph that owns it:
 * `GET /datasets/<request id>.<file>` (an extract's files, R19: subgraphs/research/services/download.route.ts)
 * and `GET /claims/<period>.csv` (INAMI's CSV of a period's claims, R17:
 * subgraphs/billing/services/claim-export.route.ts). The caller's bearer token is verified exactly as
 * for the graph (the same CallerVerifier; 401 with the graph's error body without one), then the
 * request goes on to the owning subgraph with the same signed identity token the graph's subgraph
 * fetches carry. The subgraph decides from the policy (schema/policy.ts DOWNLOADS) and streams the
 * file; this pipes it through with back-pressure (the subgraph's stream is read only as fast as the
 * caller takes it) and cancels it if the caller goes.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { LANGUAGE_HEADER } from '../schema/headers.js';
import express, { type Router } from 'express';
import { GraphQLError } from 'graphql';
import type { CryptoKey } from 'jose';
import { NotFoundError, UnauthenticatedError } from '../schema/errors.js';
import type { Identity } from '../schema/identity.js';
import { logger } from '../runtime/logger.js';
import { signGatewayToken, type CallerVerifier } from './identity.js';

const FORWARDED_HEADERS = ['content-type', 'content-disposition', 'cache-control'] as const;

/** A kind of file: the gateway's path prefix, the subgraph that serves it, and what a missing one is called. */
export interface DownloadRoute {
  prefix: string;
  subgraphUrl: string | undefined;
  /** The operation named in the signed identity token (logged by the subgraph). */
  operation: string;
  missing: string;
}

export function downloadsRouter(options: {
  routes: readonly DownloadRoute[];
  verifyCaller: CallerVerifier;
  gatewayPrivateKey: CryptoKey;
  sendErrors: (response: express.Response, status: number, errors: GraphQLError[]) => void;
}): Router {
  const router = express.Router();
  for (const route of options.routes)
    router.get(`/${route.prefix}/:file`, (request, response) => void forward(route, request, response));

  async function forward(route: DownloadRoute, request: express.Request, response: express.Response): Promise<void> {
    let identity: Identity;
    try {
      identity = await options.verifyCaller(request.get('authorization'));
    } catch (error) {
      options.sendErrors(response, 401, [error instanceof GraphQLError ? error : new UnauthenticatedError()]);
      return;
    }
    if (!route.subgraphUrl) {
      options.sendErrors(response, 404, [new NotFoundError(route.missing)]);
      return;
    }
    const abort = new AbortController();
    response.once('close', () => abort.abort());
    try {
      const token = await signGatewayToken(identity, options.gatewayPrivateKey, route.operation);
      const upstream = await fetch(
        new URL(`${route.prefix}/${encodeURIComponent(String(request.params.file))}`, route.subgraphUrl),
        {
          headers: {
            authorization: `Bearer ${token}`,
            'x-request-id': String(response.locals.requestId ?? ''),
            [LANGUAGE_HEADER]: String(response.locals.language ?? 'en'),
          },
          signal: abort.signal,
        },
      );
      response.status(upstream.status);
      for (const name of FORWARDED_HEADERS) {
        const value = upstream.headers.get(name);
        if (value) response.setHeader(name, value);
      }
      if (!upstream.body) {
        response.end();
        return;
      }
      await pipeline(Readable.fromWeb(upstream.body as unknown as WebReadableStream<Uint8Array>), response);
    } catch (error) {
      if (abort.signal.aborted) return; // the caller went away: the subgraph's stream is cancelled with the fetch
      logger().warn({ component: 'gateway', err: error, prefix: route.prefix }, 'download failed');
      if (!response.headersSent)
        options.sendErrors(response, 502, [
          new GraphQLError('The subgraph did not answer', { extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
        ]);
      else response.destroy();
    }
  }
  return router;
}
