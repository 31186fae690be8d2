/** HTTP headers the gateway and the subgraphs agree on. */

/** Asks a subgraph to report the SQL statements a request ran (`extensions.sqlStatements`); honoured only when enabled. */
export const SQL_COUNT_HEADER = 'x-ips-debug-sql';
