/**
 * Raw SQL for what entities do not map: another subgraph's published views (the
 * contracts each subgraph declares in its migrations for others to read, never its
 * tables) and sequences.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SqlStatementCounter } from './orm.js';

export interface SqlRunner {
  em: EntityManager;
  sqlCounter: SqlStatementCounter;
}

export async function queryRows<Row>(runner: SqlRunner, sql: string, params: unknown[]): Promise<Row[]> {
  // Raw statements do not inherit the fork's logger context: pass the counter so they count too.
  return runner.em.execute<Row[]>(sql, params, { method: 'all', loggerContext: { sqlCounter: runner.sqlCounter } as object });
}
