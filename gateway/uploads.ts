/**
 * `POST /uploads/<kind>` on the gateway's origin (schema/uploads.ts): the registers' monthly outcome files.
 * The caller's bearer token is verified exactly as for the graph (the same CallerVerifier; 401 with the
 * graph's error body without one); the body is then streamed on to the subgraph that owns the rows, with
 * the same signed identity token the graph's subgraph calls carry, and its answer streamed back. Nothing
 * is buffered here: the owning subgraph decides from the policy (ACTIONS) and reads the file as it comes.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import express, { type Router } from 'express';
import { GraphQLError } from 'graphql';
import type { CryptoKey } from 'jose';
import { BadRequestError, UnauthenticatedError, UnavailableError } from '../schema/errors.js';
import { LANGUAGE_HEADER } from '../schema/headers.js';
import type { Identity } from '../schema/identity.js';
import { MAX_UPLOAD_BYTES, UPLOAD_KEY_HEADER, UPLOAD_KINDS, type UploadKind } from '../schema/uploads.js';
import { logger, REQUEST_ID_HEADER } from '../runtime/logger.js';
import { signGatewayToken, type CallerVerifier } from './identity.js';

/** Headers of the caller's request the subgraph reads. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'content-length', 'transfer-encoding', UPLOAD_KEY_HEADER] as const;
/** How long one upload may take end to end (100 000 rows take seconds; a slow link takes longer). */
const UPLOAD_TIMEOUT_MS = 15 * 60 * 1000;
const RETRY_AFTER_S = 5;

export function uploadsRouter(options: {
  subgraphUrls: Record<string, string>;
  verifyCaller: CallerVerifier;
  gatewayPrivateKey: CryptoKey;
  sendErrors: (response: express.Response, status: number, errors: GraphQLError[]) => void;
}): Router {
  const router = express.Router();
  const kinds = new Map<string, UploadKind>(Object.values(UPLOAD_KINDS).map((kind) => [kind.path, kind]));
  router.post('/uploads/:kind', async (request, response) => {
    let identity: Identity;
    try {
      identity = await options.verifyCaller(request.get('authorization'));
    } catch (error) {
      options.sendErrors(response, 401, [error instanceof GraphQLError ? error : new UnauthenticatedError()]);
      return;
    }
    const kind = kinds.get(request.params.kind);
    const target = kind && options.subgraphUrls[kind.subgraph];
    if (!kind || !target) {
      options.sendErrors(response, 404, [
        new GraphQLError('Not found', {
          extensions: { code: 'NOT_FOUND', messageId: 'upload.unknown', messageParams: {} },
        }),
      ]);
      return;
    }
    if (Number(request.get('content-length') ?? 0) > MAX_UPLOAD_BYTES) {
      // Refused before a byte is read; the connection closes rather than taking in what was refused.
      response.setHeader('connection', 'close');
      options.sendErrors(response, 413, [
        new BadRequestError({ id: 'upload.tooLarge', params: { max: MAX_UPLOAD_BYTES } }),
      ]);
      return;
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${await signGatewayToken(identity, options.gatewayPrivateKey, kind.action)}`,
      [REQUEST_ID_HEADER]: String(response.locals.requestId ?? ''),
      [LANGUAGE_HEADER]: String(response.locals.language ?? 'en'),
    };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.get(name);
      if (value) headers[name] = value;
    }
    const url = new URL(`uploads/${kind.path}`, target);
    const upstream = httpRequest(url, { method: 'POST', headers, timeout: UPLOAD_TIMEOUT_MS });
    const answered = new Promise<IncomingMessage>((resolve, reject) => {
      upstream.once('response', resolve);
      upstream.once('error', reject);
      upstream.once('timeout', () => upstream.destroy(new Error('upload timed out')));
    });
    // The caller gone mid-file: the subgraph's transaction rolls back with the cut connection, nothing is stored.
    response.once('close', () => {
      if (!response.writableFinished) upstream.destroy();
    });
    // The subgraph may answer before the whole body is sent (a refusal): its answer is what counts, not the cut pipe.
    pipeline(request, upstream).catch(() => {});
    const started = performance.now();
    const logged = (status: number) =>
      logger().info(
        {
          component: 'gateway',
          requestId: response.locals.requestId,
          upload: kind.path,
          role: identity.role,
          status,
          ms: Math.round(performance.now() - started),
        },
        'upload',
      );
    try {
      const answer = await answered;
      response.status(answer.statusCode ?? 502);
      for (const name of ['content-type', 'cache-control', 'connection']) {
        const value = answer.headers[name];
        if (typeof value === 'string') response.setHeader(name, value);
      }
      await pipeline(answer, response);
      logged(answer.statusCode ?? 502);
    } catch (error) {
      if (response.destroyed) return;
      logger().warn({ component: 'gateway', err: error, upload: kind.path }, 'upload failed');
      if (!response.headersSent) {
        response.setHeader('retry-after', String(RETRY_AFTER_S));
        options.sendErrors(response, 503, [new UnavailableError({ id: 'unavailable.subgraph' }, RETRY_AFTER_S)]);
      } else response.destroy();
    }
  });
  return router;
}
