/**
 * Raw SQL for what entities do not map: another subgraph's published views (the
 * contracts each subgraph declares in its migrations for others to read, never its
 * tables) and sequences.
 */
import type { EntityClass, EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { SqlStatementCounter } from './orm.js';

export interface SqlRunner {
  em: EntityManager;
  sqlCounter: SqlStatementCounter;
}

export async function queryRows<Row>(runner: SqlRunner, sql: string, params: unknown[]): Promise<Row[]> {
  // Raw statements do not inherit the fork's logger context: pass the counter so they count too.
  return runner.em.execute<Row[]>(sql, params, {
    method: 'all',
    loggerContext: { sqlCounter: runner.sqlCounter } as object,
  });
}

/**
 * The one row a statement always answers (`select exists …`, `insert … returning`, a row this
 * transaction just wrote): none is a fault of the code, never of the caller.
 */
export async function queryOneRow<Row>(runner: SqlRunner, sql: string, params: unknown[]): Promise<Row> {
  const [row] = await queryRows<Row>(runner, sql, params);
  if (!row) throw new Error('A statement that always answers one row answered none');
  return row;
}

/** Loads entities by ids in one statement, in the ids' order (raw SQL chose and ordered the page). */
export async function findInOrder<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  ids: string[],
): Promise<T[]> {
  const rows = (await em.find(entity, { id: { $in: ids } } as unknown as FilterQuery<T>)) as T[];
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => found.get(id) ?? []);
}
