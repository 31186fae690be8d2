/**
 * Hive Gateway in front of the subgraphs (issue 10): an existing router serving the static
 * supergraph, shipped as configuration. It
 * - verifies the caller's bearer JWT (the same verifier and claims as our gateway);
 * - applies the same request limits as gateway/gateway.ts (GraphQL Armor's envelop plugins:
 *   depth 10, aliases 15, directives 20, tokens 3000, cost 100 000, no field suggestions);
 * - signs the subgraph identity token with ITS OWN key (`signingKey`), whose public half it
 *   publishes as a JWKS; the subgraphs trust that JWKS (GATEWAY_JWKS_URL / GATEWAY_JWKS) beside
 *   our gateway's key. Our gateway's private key never leaves our gateway.
 * Limits: one runtime serves one supergraph. It serves `schema/supergraph.graphql` (every role's
 * fields); the role-scoped schemas are not picked per request here (see README).
 */
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway';
import { GraphQLError } from 'graphql';
import type { CryptoKey } from 'jose';
import { createCallerVerifier, signGatewayToken, type CallerTokenOptions } from '../gateway/identity.js';
import type { Identity } from '../schema/identity.js';
import type { SubgraphName } from '../schema/subgraphs.js';

/** The same limits as our gateway (gateway/gateway.ts). */
export const REQUEST_LIMITS = {
  maxDepth: { n: 10, ignoreIntrospection: true },
  maxAliases: { n: 15 },
  maxDirectives: { n: 20 },
  maxTokens: { n: 3000 },
  costLimit: { maxCost: 100_000, ignoreIntrospection: true },
  blockFieldSuggestion: { enabled: true },
} as const;

export interface HiveRouterOptions {
  /** The supergraph SDL (schema/supergraph.graphql). */
  supergraph: string;
  /** Subgraph name → URL (the supergraph holds placeholders `http://<name>.subgraph.invalid/graphql`). */
  subgraphUrls: Record<SubgraphName, string>;
  /** How callers' tokens are verified (a JWKS URL in production). */
  callers: CallerTokenOptions;
  /** Hive Gateway's own signing key (its public key is in the subgraphs' JWKS). */
  signingKey: CryptoKey;
}

interface RouterContext {
  ipsIdentity?: Identity;
  params?: { operationName?: string | null };
}

export function createHiveRouter(options: HiveRouterOptions) {
  const verifyCaller = createCallerVerifier(options.callers);
  const armor = new EnvelopArmor(REQUEST_LIMITS).protect();
  const identityPlugin: GatewayPlugin<RouterContext> = {
    async onContextBuilding({ context, extendContext }) {
      const request = (context as { request?: Request }).request;
      try {
        extendContext({ ipsIdentity: await verifyCaller(request?.headers.get('authorization') ?? undefined) });
      } catch (error) {
        throw new GraphQLError((error as Error).message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
      }
    },
    async onFetch({ url, setURL, options: init, setOptions, context: fetchContext }) {
      const context = fetchContext as RouterContext;
      const name = /^https?:\/\/([a-z]+)\.subgraph\.invalid\//.exec(url)?.[1] as SubgraphName | undefined;
      if (name && options.subgraphUrls[name]) setURL(options.subgraphUrls[name]);
      const identity = context.ipsIdentity;
      if (!identity) return;
      const token = await signGatewayToken(identity, options.signingKey, context.params?.operationName ?? 'anonymous');
      setOptions({ ...init, headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` } });
    },
  };
  return createGatewayRuntime<RouterContext>({
    supergraph: options.supergraph,
    landingPage: false,
    graphiql: false,
    maskedErrors: true,
    plugins: () => [...(armor.plugins as GatewayPlugin<RouterContext>[]), identityPlugin],
  });
}
