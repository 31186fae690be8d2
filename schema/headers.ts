/** HTTP headers the gateway and the subgraphs agree on. */

/** Asks a subgraph to report the SQL statements a request ran (`extensions.sqlStatements`); honoured only when enabled. */
export const SQL_COUNT_HEADER = 'x-ips-debug-sql';

/** The caller's language as the gateway negotiated it from Accept-Language (schema/i18n): en, fr or nl. */
export const LANGUAGE_HEADER = 'x-ips-language';

/** How long (ms) the gateway waits for a subgraph's answer: a subgraph's retries after a lost connection end before it. */
export const DEADLINE_HEADER = 'x-ips-deadline-ms';
