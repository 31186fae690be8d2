/**
 * The answers a file route (subgraph.ts `files`) gives besides its file, alike for every subgraph:
 * a record the caller may not fetch answers exactly as a missing one (404 NOT_FOUND, the graph's error
 * body), and a failure before the first byte tells nothing of its cause (500).
 */
import type { ServerResponse } from 'node:http';
import { NotFoundError } from '../../schema/errors.js';

export function sendNotFound(response: ServerResponse, what: string): void {
  const error = new NotFoundError(what);
  response.writeHead(404, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      errors: [{ message: error.message, extensions: { code: 'NOT_FOUND', messageId: 'error.notFound' } }],
    }),
  );
}

export function sendInternalError(response: ServerResponse): void {
  response
    .writeHead(500, { 'content-type': 'application/json' })
    .end(
      JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }),
    );
}
