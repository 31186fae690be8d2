/**
 * GraphQL Code Generator: a typed client per role, generated from that role's client (API)
 * schema `schema/roles/<ROLE>.client.graphql` — never from a role supergraph, which still holds
 * the fields the role cannot see (as `@inaccessible`) and the join__ machinery.
 *
 *   npm run codegen              every role
 *   npm run codegen -- SRE OA    some roles
 *   IPS_CODEGEN_OUT=src/ips IPS_CODEGEN_DOCUMENTS='src/**\/*.graphql' npm run codegen -- SRE
 *
 * For each role it writes `clients/<ROLE>/schema.ts`, the schema's types (`typescript`), and
 * `clients/<ROLE>/operations.ts`, one result and variables type per operation found in
 * `clients/<ROLE>/**\/*.graphql` (`typescript-operations`, which carries its own enums and inputs).
 * An operation that asks for a field the role never sees fails generation (validated against
 * the role's schema). Custom scalars are mapped (`strictScalars`: a new scalar without a mapping
 * fails generation instead of becoming `any`).
 */
import { existsSync, readdirSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';

/** How each scalar of the role schemas travels in JSON. */
export const SCALARS = {
  ID: 'string',
  DateTimeISO: 'string', // ISO 8601 instant, e.g. 2026-11-02T09:30:00.000Z
  LocalDate: 'string', // calendar day, YYYY-MM-DD
} as const;

export const ROLE_SCHEMA_DIR = 'schema/roles';

/** The roles that have a client schema checked in. */
export function rolesWithClientSchema(dir = ROLE_SCHEMA_DIR): string[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.client.graphql'))
    .map((file) => file.slice(0, -'.client.graphql'.length))
    .sort();
}

export interface ClientCodegenOptions {
  roles: string[];
  /** Folder of the generated files: `<outDir>/<ROLE>/schema.ts` and `operations.ts`. */
  outDir?: string;
  /** Operations per role (a glob); `{role}` is replaced by the role. */
  documents?: string;
  /** Folder of the client schemas. */
  schemaDir?: string;
}

export function clientCodegenConfig(options: ClientCodegenOptions): CodegenConfig {
  const outDir = options.outDir ?? 'clients';
  const documents = options.documents ?? `${outDir}/{role}/**/*.graphql`;
  const schemaDir = options.schemaDir ?? ROLE_SCHEMA_DIR;
  return {
    overwrite: true,
    ignoreNoDocuments: true,
    generates: Object.fromEntries(
      options.roles.flatMap((role): [string, CodegenConfig['generates'][string]][] => {
        const schema = `${schemaDir}/${role}.client.graphql`;
        if (!existsSync(schema))
          throw new Error(
            `No client schema for role ${role} (${schema}); roles: ${rolesWithClientSchema(schemaDir).join(', ')}`,
          );
        const config = { scalars: SCALARS, strictScalars: true, enumsAsTypes: true, useTypeImports: true };
        return [
          // The role's whole schema as types (what a client may ever ask for).
          [`${outDir}/${role}/schema.ts`, { schema, plugins: ['typescript'], config }],
          // One result and variables type per operation, validated against the role's schema.
          [
            `${outDir}/${role}/operations.ts`,
            { schema, documents: documents.replaceAll('{role}', role), plugins: ['typescript-operations'], config },
          ],
        ];
      }),
    ),
  };
}

// `graphql-codegen --config codegen.ts [ROLE…]`: role names among the command line's arguments pick the roles.
const known = rolesWithClientSchema();
const asked = process.argv.filter((argument) => known.includes(argument));
// IPS_CODEGEN_OUT and IPS_CODEGEN_DOCUMENTS (a glob, `{role}` replaced) move the output and the operations.
const config = clientCodegenConfig({
  roles: asked.length > 0 ? asked : known,
  outDir: process.env.IPS_CODEGEN_OUT,
  documents: process.env.IPS_CODEGEN_DOCUMENTS,
});
export default config;
