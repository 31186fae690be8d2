/**
 * One shape for every list: Relay cursor connections (https://relay.dev/graphql/connections.htm),
 * typed against the `graphql-relay` package's spec types, paginated by keyset in SQL.
 *
 * Every list is ordered newest first by a sort key (a timestamp or a date) and the record's id.
 * A cursor is the opaque encoding of that pair; the next page is
 * `where (key, id) < (cursor.key, cursor.id) order by key desc, id desc limit first + 1`,
 * which an index on (key desc, id desc) answers by a seek: a page deep in the list costs what
 * the first one does (bench/connection-cost.ts). `last/before` walks the same index backwards.
 * `totalCount` is one count query, run only when asked for.
 *
 * Edges of personal records are personal-data types in the policy (`CONNECTIONS` in
 * schema/policy.ts): an edge belongs to the participant its node belongs to, and its cursor
 * carries the record's sort key (administrative). Connections and PageInfo carry no person.
 */
import 'reflect-metadata';
import type { ClassType } from 'type-graphql';
import { ArgsType, Directive, Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import type {
  Connection as RelayConnection,
  ConnectionArguments,
  Edge as RelayEdge,
  PageInfo as RelayPageInfo,
} from 'graphql-relay';
import { InvalidInputError } from '../../schema/errors.js';
import { queryRows, type SqlRunner } from './raw-sql.js';

export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;
const CURSOR_VERSION = 'k1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The position of one record in its list: its sort key (as PostgreSQL prints it) and its id. */
export interface Keyset {
  key: string;
  id: string;
}

export function encodeCursor(position: Keyset): string {
  return Buffer.from(JSON.stringify([CURSOR_VERSION, position.key, position.id]), 'utf8').toString('base64url');
}

/** Reads a cursor this kit made; anything else is BAD_USER_INPUT naming the argument. */
export function decodeCursor(argument: string, cursor: string): Keyset {
  const bad = () => new InvalidInputError(argument, { id: 'input.notACursor' });
  if (cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== CURSOR_VERSION) throw bad();
  const [, key, id] = parsed as unknown[];
  if (
    typeof key !== 'string' ||
    typeof id !== 'string' ||
    !UUID.test(id) ||
    key.length > 40 ||
    Number.isNaN(Date.parse(key))
  )
    throw bad();
  return { key, id: id.toLowerCase() };
}

/** first/after or last/before, checked: which way to read, how many, from where. */
export interface PageWindow {
  size: number;
  backward: boolean;
  from?: Keyset;
  /** A cursor was given on the side the page starts from (there are edges before it). */
  hasCursor: boolean;
}

export function pageWindow(args: ConnectionArguments): PageWindow {
  const { first, after, last, before } = args;
  const checkSize = (name: string, value: number) => {
    if (!Number.isInteger(value) || value < 1 || value > MAX_PAGE)
      throw new InvalidInputError(name, { id: 'input.pageSize', params: { max: MAX_PAGE } });
    return value;
  };
  if ((last != null || before != null) && (first != null || after != null)) {
    throw new InvalidInputError(last != null ? 'last' : 'before', { id: 'input.pageDirection' });
  }
  if (last != null || before != null) {
    return {
      size: checkSize('last', last ?? DEFAULT_PAGE),
      backward: true,
      from: before != null ? decodeCursor('before', before) : undefined,
      hasCursor: before != null,
    };
  }
  return {
    size: checkSize('first', first ?? DEFAULT_PAGE),
    backward: false,
    from: after != null ? decodeCursor('after', after) : undefined,
    hasCursor: after != null,
  };
}

/**
 * A list as SQL: `from` (with its joins), the conditions — the policy's access condition
 * (kit/access/decide.ts accessCondition) and the list's filters — and the sort key and id columns.
 */
export interface KeysetSource {
  from: string;
  where: string[];
  params: unknown[];
  /** A timestamptz or date column, e.g. `p.created_at`; with `id`, the index's columns. */
  key: string;
  keyType: 'timestamptz' | 'date';
  id: string;
  /** More columns for the page's rows (`x as "name"`). */
  select?: string;
  /**
   * The same rows counted from fewer tables, when the list's joins add no row and remove none (e.g. a
   * person's ledger row for a list of people): `totalCount` reads these instead of `from` and `where`.
   */
  count?: { from: string; where: string[]; params: unknown[] };
}

export interface KeysetRow {
  id: string;
  sortKey: string;
}

export interface KeysetPage<Row extends KeysetRow> {
  rows: Row[];
  pageInfo: PageInfo;
}

/** One statement: the page plus one row, to tell whether more follow. */
export async function keysetPage<Row extends KeysetRow>(
  runner: SqlRunner,
  source: KeysetSource,
  window: PageWindow,
): Promise<KeysetPage<Row>> {
  const where = [...source.where];
  const params = [...source.params];
  if (window.from) {
    where.push(`(${source.key}, ${source.id}) ${window.backward ? '>' : '<'} (?::${source.keyType}, ?::uuid)`);
    params.push(window.from.key, window.from.id);
  }
  const direction = window.backward ? 'asc' : 'desc';
  const rows = await queryRows<Row>(
    runner,
    `select ${source.id} as "id", ${source.key}::text as "sortKey"${source.select ? `, ${source.select}` : ''}
     from ${source.from} ${where.length ? `where ${where.join(' and ')}` : ''}
     order by ${source.key} ${direction}, ${source.id} ${direction} limit ?`,
    [...params, window.size + 1],
  );
  const more = rows.length > window.size;
  const page = rows.slice(0, window.size);
  if (window.backward) page.reverse();
  const cursorOf = (row: Row | undefined) => (row ? encodeCursor({ key: row.sortKey, id: row.id }) : null);
  return {
    rows: page,
    pageInfo: {
      hasNextPage: window.backward ? window.hasCursor : more,
      hasPreviousPage: window.backward ? more : window.hasCursor,
      startCursor: cursorOf(page[0]),
      endCursor: cursorOf(page[page.length - 1]),
    },
  };
}

/** The number of records of the list (every page), in one statement. */
export async function keysetCount(runner: SqlRunner, source: KeysetSource): Promise<number> {
  const { from, where, params } = source.count ?? source;
  const [row] = await queryRows<{ count: string | number }>(
    runner,
    `select count(*) as "count" from ${from} ${where.length ? `where ${where.join(' and ')}` : ''}`,
    params,
  );
  return Number(row?.count ?? 0);
}

/** What a list resolver returns: edges in page order, the page's info and a lazy total. */
export interface ConnectionValue<Node> extends Omit<RelayConnection<Node>, 'edges' | 'pageInfo'> {
  edges: EdgeValue<Node>[];
  pageInfo: PageInfo;
  count: () => Promise<number>;
}

export interface EdgeValue<Node> extends RelayEdge<Node> {
  /** The participant the node belongs to (the edge's owner in the policy); none for non-personal nodes. */
  participantId?: string;
}

/**
 * Runs a list: the page (one statement), then its nodes in page order (`nodesOf`, one batched
 * statement), and `totalCount` on demand (one statement).
 */
export async function connection<Row extends KeysetRow, Node>(
  runner: SqlRunner,
  source: KeysetSource,
  args: ConnectionArguments,
  nodesOf: (rows: Row[]) => Promise<Node[]> | Node[],
  participantOf?: (node: Node) => string | undefined,
  /** Flags the edge repeats from its node, e.g. a notice's (NOTICES: the edge of a notice is read as the notice is). */
  flagsOf?: (node: Node) => Record<string, unknown>,
): Promise<ConnectionValue<Node>> {
  const window = pageWindow(args);
  const { rows, pageInfo } = await keysetPage<Row>(runner, source, window);
  const nodes = rows.length ? await nodesOf(rows) : [];
  let total: Promise<number> | undefined;
  return {
    edges: rows.flatMap((row, index) => {
      const node = nodes[index];
      return node === undefined
        ? []
        : [
            {
              ...flagsOf?.(node),
              cursor: encodeCursor({ key: row.sortKey, id: row.id }),
              node,
              participantId: participantOf?.(node),
            },
          ];
    }),
    pageInfo,
    count: () => (total ??= keysetCount(runner, source)),
  };
}

@Directive('@shareable')
@ObjectType('PageInfo', { description: 'Where a page of a connection sits in its list (Relay cursor connections).' })
export class PageInfo implements RelayPageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/**
 * The GraphQL types of one list: `<Name>Edge { cursor node }` and
 * `<Name>Connection { edges pageInfo totalCount }`, and the resolver of its total.
 */
export function connectionTypes<Node extends object>(name: string, node: ClassType<Node>, description: string) {
  @ObjectType(`${name}Edge`, { description: `One ${name} of a list, with its cursor.` })
  class Edge {
    @Field({ description: 'Opaque: pass it as `after` (or `before`) to read on from here.' })
    cursor!: string;

    @Field(() => node, { nullable: true })
    node!: Node;
  }

  @ObjectType(`${name}Connection`, { description })
  class Connection {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }

  @Resolver(() => Connection)
  class TotalResolver {
    @FieldResolver(() => Int, { description: 'How many records the whole list holds (every page), counted once.' })
    totalCount(@Root() value: ConnectionValue<Node>): Promise<number> {
      return value.count();
    }
  }

  return { Edge, Connection, TotalResolver };
}

/** first/after (and last/before) of every list, as the Relay spec names them. */
@ArgsType()
export class ConnectionArgs implements ConnectionArguments {
  @Field(() => Int, {
    nullable: true,
    description: `How many, from the start or from \`after\` (1 to ${MAX_PAGE}; ${DEFAULT_PAGE} by default).`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'A cursor of this list: the page after that edge.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `How many, from the end or from \`before\` (1 to ${MAX_PAGE}).` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'A cursor of this list: the page before that edge.' })
  before?: string | null;
}
