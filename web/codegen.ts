/**
 * The web pages' typed clients, generated the way an integrator generates theirs: from one role's
 * client (API) schema (`schema/roles/<ROLE>.client.graphql`, never a supergraph) and the page's own
 * operations (`web/<page>/*.graphql`). Each page gets one file, `web/generated/<page>.ts`:
 * one result and variables type per operation, and each operation as a
 * `TypedDocumentString` (the query text carrying its result and variables types), so the page
 * needs no GraphQL runtime in the browser. An operation asking for a field its role never sees
 * fails generation. `npm run build:web` runs it before Vite.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';
import { SCALARS } from '../codegen.js';

/** Each page and the role whose schema it is written against. */
export const PAGES = { dashboard: 'INTEGRATOR', questionnaire: 'PARTICIPANT', claim: 'SUPERVISOR' } as const;

/**
 * Other roles a page is written for: its operations are generated against their schemas too
 * (`web/generated/<page>.<ROLE>.ts`, not imported), so a field one of them never sees fails generation.
 */
export const ALSO_FOR: Partial<Record<keyof typeof PAGES, readonly string[]>> = { claim: ['INAMI'] };

const targets = Object.entries(PAGES).flatMap(([page, role]) => [
  [`web/generated/${page}.ts`, page, role] as const,
  ...(ALSO_FOR[page as keyof typeof PAGES] ?? []).map(
    (also) => [`web/generated/${page}.${also}.ts`, page, also] as const,
  ),
]);

const config: CodegenConfig = {
  overwrite: true,
  generates: Object.fromEntries(
    targets.map(([file, page, role]) => [
      file,
      {
        schema: `schema/roles/${role}.client.graphql`,
        documents: `web/${page}/**/*.graphql`,
        plugins: ['typescript-operations', 'typed-document-node'],
        config: {
          scalars: SCALARS,
          strictScalars: true,
          enumsAsTypes: true,
          useTypeImports: true,
          documentMode: 'string',
        },
      },
    ]),
  ),
};
export default config;
