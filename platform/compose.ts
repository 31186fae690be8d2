/**
 * `npm run compose`: prints each subgraph's SDL into `subgraphs/<name>/schema.graphql`
 * and composes them with @apollo/composition into `schema/supergraph.graphql`,
 * one supergraph per role into `schema/roles/<ROLE>.supergraph.graphql` (platform/contracts.ts;
 * what a router serves to that role), that role's client (API) schema into
 * `schema/roles/<ROLE>.client.graphql` (what a partner generates its client from), and the
 * policy as a readable document into `schema/POLICY.md`.
 * `npm run compose -- --check` writes nothing and fails when a committed file is stale.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse, printSchema } from 'graphql';
import type { Role } from '../schema/identity.js';
import { printFederatedSdl } from '../subgraphs/kit/subgraph.js';
import { apiSchemaOf, composeRoleSupergraphs } from './contracts.js';
import { policyDocument } from './policy-document.js';
import { SUBGRAPHS } from './subgraphs.js';

export const SUPERGRAPH_PATH = 'schema/supergraph.graphql';

/** The supergraph the gateway serves to one role (its contract, with join__ directives and `@inaccessible`). */
export function roleSupergraphPath(role: Role): string {
  return `schema/roles/${role}.supergraph.graphql`;
}

/** The API schema one role's clients see: only what the role may ever see (for GraphQL Code Generator). */
export function roleClientSchemaPath(role: Role): string {
  return `schema/roles/${role}.client.graphql`;
}

export interface ComposedArtifacts {
  /** Relative path → content. */
  files: Record<string, string>;
}

/** The subgraph SDLs and the supergraph, as they should be committed. */
export async function composeArtifacts(): Promise<ComposedArtifacts> {
  const files: Record<string, string> = {};
  const services = [];
  for (const definition of Object.values(SUBGRAPHS)) {
    const sdl = await printFederatedSdl(definition);
    files[`subgraphs/${definition.name}/schema.graphql`] = `${sdl.trim()}\n`;
    // The URL is a placeholder: the gateway maps subgraph names to real URLs from its configuration.
    services.push({
      name: definition.name,
      url: `http://${definition.name}.subgraph.invalid/graphql`,
      typeDefs: parse(sdl),
    });
  }
  const result = composeServices(services);
  if (result.errors)
    throw new Error(`Composition failed:\n${result.errors.map((error) => `  - ${error.message}`).join('\n')}`);
  files[SUPERGRAPH_PATH] = `${result.supergraphSdl.trim()}\n`;
  for (const [role, sdl] of Object.entries(composeRoleSupergraphs(services, result.supergraphSdl))) {
    files[roleSupergraphPath(role as Role)] = `${sdl.trim()}\n`;
    files[roleClientSchemaPath(role as Role)] = `${printSchema(apiSchemaOf(sdl)).trim()}\n`;
  }
  files['schema/POLICY.md'] = policyDocument();
  return { files };
}

/** Paths whose committed content differs from what composition produces now. */
export async function staleArtifacts(root = process.cwd()): Promise<string[]> {
  const { files } = await composeArtifacts();
  return Object.entries(files)
    .filter(([path, content]) => readIfExists(resolve(root, path)) !== content)
    .map(([path]) => path);
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--check')) {
    const stale = await staleArtifacts();
    if (stale.length > 0) {
      console.error(
        `Stale schema files (run npm run compose and commit them):\n${stale.map((path) => `  - ${path}`).join('\n')}`,
      );
      process.exit(1);
    }
    console.log('Subgraph schemas, supergraph, role supergraphs and client schemas are up to date.');
    return;
  }
  const { files } = await composeArtifacts();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(resolve(path), content);
  }
  console.log(`Wrote ${Object.keys(files).join(', ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
