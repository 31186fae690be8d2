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
import { parse, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import { LoaderRegistry, type SubgraphContext } from './context.js';
import { ForbiddenError, formatError } from '../../schema/errors.js';
import { SQL_COUNT_HEADER } from '../../schema/headers.js';
import { verifyGatewayToken, type VerificationKey } from './identity.js';
import { forkForRequest, migrate, openOrm, SqlStatementCounter } from './orm.js';
import { assertSchemaCoveredByPolicy, mayResolveReference, shieldFromPolicy, tagCategories } from './policy.js';

export const SUBGRAPH_NAMES = ['participants', 'pathways', 'research', 'billing'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

/** Resolves `_entities` representations of one entity type; returns undefined when absent. */
export type ReferenceResolver = (representation: { id: string }, context: SubgraphContext) => Promise<unknown>;

/** Everything that makes a subgraph; each subgraph's index.ts exports one. */
export interface SubgraphDefinition {
  name: SubgraphName;
  resolvers: NonEmptyArray<Function>;
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type this subgraph owns. */
  references: Record<string, ReferenceResolver>;
  entities: Constructor[];
  migrations: Constructor<Migration>[];
  /** Loads demo data when the subgraph's tables are empty (`npm start`); returns rows added. */
  seedDemo?: (orm: MikroORM) => Promise<number>;
}

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@tag", "@inaccessible"])';

/** The executable subgraph schema, with the policy's shield applied. */
export async function buildFederatedSchema(definition: SubgraphDefinition): Promise<GraphQLSchema> {
  const typeGraphQLSchema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    skipCheck: true,
    validate: false,
  });
  assertSchemaCoveredByPolicy(typeGraphQLSchema);
  const typeDefs = tagCategories(parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(typeGraphQLSchema)}`));
  const resolvers = createResolversMap(typeGraphQLSchema) as GraphQLResolverMap<unknown>;
  for (const [typeName, resolve] of Object.entries(definition.references)) {
    const typeResolvers = (resolvers[typeName] ??= {}) as Record<string, unknown>;
    typeResolvers.__resolveReference = async (representation: { id: string }, context: SubgraphContext) => {
      // Shield does not wrap __resolveReference: authorize here too.
      if (!mayResolveReference(context.identity.role, typeName)) throw new ForbiddenError();
      return (await resolve(representation, context)) ?? null;
    };
  }
  const schema = buildSubgraphSchema({ typeDefs, resolvers });
  return applyMiddleware(schema, shieldFromPolicy(schema));
}

/** The subgraph's SDL as composition sees it (committed as `subgraphs/<name>/schema.graphql`). */
export async function printFederatedSdl(definition: SubgraphDefinition): Promise<string> {
  return printSubgraphSchema(await buildFederatedSchema(definition));
}

export interface SubgraphRuntimeOptions {
  databaseUrl: string;
  /** The gateway's public key: only tokens it signed are accepted. */
  gatewayKey: VerificationKey;
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
  const orm = await openOrm({ schema: definition.name, databaseUrl: options.databaseUrl, entities: definition.entities, migrations: definition.migrations });
  try {
    if (options.runMigrations ?? true) await migrate(orm);
    const server = new ApolloServer<SubgraphContext>({
      schema: await buildFederatedSchema(definition),
      formatError,
      includeStacktraceInErrorResponses: false,
      plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginInlineTraceDisabled(), ...(options.exposeSqlCount ? [sqlCountPlugin()] : [])],
    });
    const { url } = await startStandaloneServer(server, {
      listen: { host: options.host ?? '127.0.0.1', port: options.port ?? 0 },
      context: async ({ req }) => {
        const identity = await verifyGatewayToken(req.headers.authorization, options.gatewayKey);
        const sqlCounter = new SqlStatementCounter();
        const context: SubgraphContext = {
          identity,
          em: forkForRequest(orm, sqlCounter),
          sqlCounter,
          loaders: new LoaderRegistry(() => context),
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

function sqlCountPlugin(): ApolloServerPlugin<SubgraphContext> {
  return {
    async requestDidStart({ request }) {
      if (!request.http?.headers.get(SQL_COUNT_HEADER)) return;
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, sqlStatements: contextValue.sqlCounter.count };
          }
        },
      };
    },
  };
}
