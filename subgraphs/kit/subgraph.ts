/**
 * Builds and serves one federated subgraph from its TypeGraphQL resolvers:
 * SDL with federation and category tags → `@apollo/subgraph` schema → shield
 * → Apollo Server that refuses every request without a gateway token.
 */
import 'reflect-metadata';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { Constructor } from '@mikro-orm/core';
import type { Migration } from '@mikro-orm/migrations';
import type { MikroORM } from '@mikro-orm/postgresql';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import { ForbiddenError, formatError } from '../../schema/errors.js';
import { SQL_COUNT_HEADER } from '../../schema/headers.js';
import { PERSONAL_DATA_TYPES } from '../../schema/policy.js';
import type { SubgraphName } from '../../schema/subgraphs.js';
import { AccessLogCollector } from './access/access-log.js';
import { visibleOrNull } from './access/guard.js';
import { accessMigrations } from './access/migrations/index.js';
import { LoaderRegistry, type OwnerOf, type SubgraphContext } from './context.js';
import { verifyGatewayToken, type GatewayTrust } from './identity.js';
import { grantApplicationPrivileges } from './privileges.js';
import { forkForRequest, migrate, openOrm, SqlStatementCounter, withMigrationLock } from './orm.js';
import { assertSchemaCoveredByPolicy, mayResolveReference, shieldFromPolicy, tagCategories } from './policy.js';


/** Resolves `_entities` representations of one entity type; returns undefined when absent. */
export type ReferenceResolver = (representation: { id: string }, context: SubgraphContext) => Promise<object | null | undefined>;

/** Everything that makes a subgraph; each subgraph's index.ts exports one. */
export interface SubgraphDefinition {
  name: SubgraphName;
  resolvers: NonEmptyArray<Function>;
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type this subgraph owns. */
  references: Record<string, ReferenceResolver>;
  /** For each personal-data type of the subgraph: the participant a record belongs to. */
  owners: Record<string, OwnerOf>;
  entities: Constructor[];
  migrations: Constructor<Migration>[];
  /** Loads demo data when the subgraph's tables are empty (`npm start`); returns rows added. */
  seedDemo?: (orm: MikroORM) => Promise<number>;
}

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@tag", "@inaccessible"])';

export interface BuildOptions {
  /** false only to measure the policy's cost (bench/): no shield, no access log. */
  enforcePolicy?: boolean;
}

/** The executable subgraph schema, with the policy's shield applied. */
export async function buildFederatedSchema(definition: SubgraphDefinition, options: BuildOptions = {}): Promise<GraphQLSchema> {
  const typeGraphQLSchema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    skipCheck: true,
    validate: false,
  });
  assertSchemaCoveredByPolicy(typeGraphQLSchema);
  const unowned = Object.keys(PERSONAL_DATA_TYPES).filter((type) => typeGraphQLSchema.getType(type) && !definition.owners[type]);
  if (unowned.length > 0) throw new Error(`${definition.name}: personal-data types without an owner function: ${unowned.join(', ')}`);

  const typeDefs = tagCategories(parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(typeGraphQLSchema)}`));
  const resolvers = createResolversMap(typeGraphQLSchema) as GraphQLResolverMap<unknown>;
  for (const [typeName, resolve] of Object.entries(definition.references)) {
    const typeResolvers = (resolvers[typeName] ??= {}) as Record<string, unknown>;
    typeResolvers.__resolveReference = async (representation: { id: string }, context: SubgraphContext) => {
      // Shield does not wrap __resolveReference: authorize here too. Hidden and absent look alike (null).
      if (!mayResolveReference(context.identity.role, typeName)) throw new ForbiddenError();
      const record = await resolve(representation, context);
      return PERSONAL_DATA_TYPES[typeName] ? visibleOrNull(context, typeName, record) : (record ?? null);
    };
  }
  const schema = buildSubgraphSchema({ typeDefs, resolvers });
  return options.enforcePolicy === false ? schema : applyMiddleware(schema, shieldFromPolicy(schema, definition.owners));
}

/** The subgraph's SDL as composition sees it (committed as `subgraphs/<name>/schema.graphql`). */
export async function printFederatedSdl(definition: SubgraphDefinition): Promise<string> {
  return printSubgraphSchema(await buildFederatedSchema(definition));
}

export interface SubgraphRuntimeOptions extends BuildOptions {
  /** The application role's URL: requests are served on it. */
  databaseUrl: string;
  /** The owner role's URL: migrations run on it, then the application role gets its grants. Defaults to databaseUrl. */
  migrationUrl?: string;
  /** Whom identity tokens are accepted from: the gateway's public key, or a JWK set / JWKS URL of trusted signers. */
  gatewayKey: GatewayTrust;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Adds `extensions.sqlStatements` to responses when the gateway asks for it (tests, benchmarks). */
  exposeSqlCount?: boolean;
  runMigrations?: boolean;
}

export interface RunningSubgraph {
  name: SubgraphName;
  url: string;
  orm: MikroORM;
  stop(): Promise<void>;
}

export async function startSubgraph(definition: SubgraphDefinition, options: SubgraphRuntimeOptions): Promise<RunningSubgraph> {
  if (options.runMigrations ?? true) {
    const migrationUrl = options.migrationUrl ?? options.databaseUrl;
    await migrateSharedAccessSchema(migrationUrl);
    await migrateSchema(migrationUrl, definition.name, definition.entities, definition.migrations);
  }
  const orm = await openOrm({ schema: definition.name, databaseUrl: options.databaseUrl, entities: definition.entities, migrations: definition.migrations });
  try {
    const server = new ApolloServer<SubgraphContext>({
      schema: await buildFederatedSchema(definition, options),
      formatError,
      includeStacktraceInErrorResponses: false,
      plugins: [
        ApolloServerPluginLandingPageDisabled(),
        ApolloServerPluginInlineTraceDisabled(),
        responsePlugin(definition.name, options.exposeSqlCount ?? false),
      ],
    });
    const { url } = await startStandaloneServer(server, {
      listen: { host: options.host ?? '127.0.0.1', port: options.port ?? 0 },
      context: async ({ req }) => {
        const { identity, operation } = await verifyGatewayToken(req.headers.authorization, options.gatewayKey);
        const sqlCounter = new SqlStatementCounter();
        const context: SubgraphContext = {
          identity,
          operation,
          em: forkForRequest(orm, sqlCounter),
          sqlCounter,
          loaders: new LoaderRegistry(() => context),
          accessLog: new AccessLogCollector(),
          owners: definition.owners,
        };
        return context;
      },
    });
    return {
      name: definition.name,
      url,
      orm,
      stop: async () => {
        await server.stop();
        await orm.close();
      },
    };
  } catch (error) {
    await orm.close();
    throw error;
  }
}

/** The `access` schema (ledger and access log) that every subgraph reads; migrated once, under a lock. */
export async function migrateSharedAccessSchema(migrationUrl: string): Promise<void> {
  await migrateSchema(migrationUrl, 'access', [], accessMigrations);
}

/** Migrates one schema as the owner role, then grants the application role its DML there (kit/privileges.ts). */
async function migrateSchema(migrationUrl: string, schema: string, entities: Constructor[], migrations: Constructor<Migration>[]): Promise<void> {
  const orm = await openOrm({ schema, databaseUrl: migrationUrl, entities, migrations, poolMax: 1 });
  try {
    await withMigrationLock(migrationUrl, async (client) => {
      await migrate(orm);
      await grantApplicationPrivileges(client, schema);
    });
  } finally {
    await orm.close();
  }
}

/**
 * Before a response leaves: write the request's access log (no data goes out unlogged),
 * then, when asked, report the statements the request ran, the log write included.
 */
function responsePlugin(subgraph: SubgraphName, exposeSqlCount: boolean): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart({ request }) {
      const reportSql = exposeSqlCount && Boolean(request.http?.headers.get(SQL_COUNT_HEADER));
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          try {
            await contextValue.accessLog.flush(contextValue, contextValue.identity, contextValue.operation, subgraph);
          } catch (error) {
            console.error('[ips-graph] access log write failed; response withheld:', error);
            response.body.singleResult = { errors: [formatError(new GraphQLError('Internal server error'), undefined)] };
          }
          if (reportSql) {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: contextValue.sqlCounter.count };
          }
        },
      };
    },
  };
}
