/**
 * Requests must be UTF-8 (RFC 8259 for JSON; URLs percent-encode UTF-8): a byte sequence that is not
 * would be decoded into U+FFFD replacement characters and stored as such, silently changing what the
 * client sent (a name, a note). The gateway and the subgraphs refuse it with 400 before anything runs.
 */
import { isUtf8 } from 'node:buffer';

/** Whether a body's bytes are valid UTF-8 (an empty body is). */
export function bodyIsUtf8(body: Uint8Array): boolean {
  return isUtf8(body);
}

/** Whether a URL's query string percent-decodes to valid UTF-8 (`%FF` does not; a stray `%` is left to the GraphQL parser). */
export function queryIsUtf8(url: string): boolean {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  if (!query.includes('%')) return true;
  const bytes: number[] = [];
  for (let i = 0; i < query.length;) {
    const escape = /^%[0-9a-f]{2}/i.exec(query.slice(i, i + 3));
    if (escape) {
      bytes.push(Number.parseInt(escape[0].slice(1), 16));
      i += 3;
    } else {
      bytes.push(...Buffer.from(query.charAt(i), 'latin1'));
      i += 1;
    }
  }
  return isUtf8(Uint8Array.from(bytes));
}
