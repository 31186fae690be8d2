/**
 * GraphQL Code Generator, run against the gateway itself: the schema is what the gateway's
 * introspection answers to YOUR token — your role's schema, without the fields your role may never
 * see — and the operations are the `.graphql` files under src/. An operation that asks for a field
 * your role cannot see fails generation here, not in front of a user.
 *
 *   IPS_TOKEN=… [IPS_GATEWAY_URL=https://…/graphql] npm run codegen
 *
 * It writes src/gql/: each operation as a TypedDocumentNode (`RegionReferralsDocument`) carrying its
 * result and variables types, usable with any GraphQL client (this example's src/client.ts, Apollo
 * Client, urql, graphql-request).
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const gateway = process.env.IPS_GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
const token = process.env.IPS_TOKEN;
if (!token)
  throw new Error('Set IPS_TOKEN to your bearer token: the gateway describes its schema only to a caller it knows');

const config: CodegenConfig = {
  overwrite: true,
  schema: [{ [gateway]: { headers: { authorization: `Bearer ${token.replace(/^Bearer\s+/i, '')}` } } }],
  documents: ['src/**/*.graphql'],
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // How the graph's own scalars travel in JSON; strictScalars: a scalar added later fails generation instead of becoming `any`.
        scalars: { ID: 'string', DateTimeISO: 'string', LocalDate: 'string' },
        strictScalars: true,
        enumsAsTypes: true,
        useTypeImports: true,
        // Only the types your operations use.
        onlyOperationTypes: true,
      },
    },
  },
};
export default config;
