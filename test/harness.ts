/**
 * End-to-end harness: a fresh database on the test server, the four real subgraphs
 * and the real gateway on ephemeral loopback ports, callers with signed tokens.
 */
import { randomUUID } from 'node:crypto';
import type { CryptoKey } from 'jose';
import pg from 'pg';
import { signCallerToken } from '../gateway/identity.js';
import { ephemeralDevKeys, type DevKeys } from '../gateway/keys.js';
import { dropDatabase, provisionDatabase, withDatabase } from '../platform/database.js';
import { startPlatform, type Platform } from '../platform/launcher.js';
import type { Identity, Role } from '../schema/identity.js';
import type { SubgraphName } from '../schema/subgraphs.js';

export interface GraphQLResponse<TData = Record<string, unknown>> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export interface TestPlatform {
  platform: Platform;
  keys: DevKeys;
  databaseUrl: string;
  /** The owner role's URL, which the subgraphs migrate with. */
  migrationUrl: string;
  /** Queries the gateway as `identity` (a role alone gets a default subject and organisation). */
  query<TData = Record<string, unknown>>(as: Identity | Role | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<TData>>;
  /** Posts straight to a subgraph, with whatever authorization header is given. */
  querySubgraph(name: SubgraphName, query: string, authorization?: string, variables?: Record<string, unknown>): Promise<GraphQLResponse>;
  tokenFor(identity: Identity, key?: CryptoKey): Promise<string>;
  /** Runs SQL on the test database as its administrator (to count rows, inspect, try the forbidden). */
  sql<Row extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs SQL as the application role the subgraphs use (up to 20 connections at once). */
  appSql<Row extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  stop(): Promise<void>;
}

export const DEFAULT_IDENTITY: Record<Role, Identity> = {
  MEDECIN_CONSEIL: { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-dupont' },
  OA: { role: 'OA', organisation: 'OA-300', subject: 'oa-agent-1' },
  INAMI: { role: 'INAMI', organisation: 'INAMI', subject: 'inami-agent-1' },
  SRE: { role: 'SRE', organisation: 'FOREM', subject: 'forem-counsellor-1' },
  JOB_COACH: { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-1' },
  SUPERVISOR: { role: 'SUPERVISOR', organisation: 'ARTICLE-23', subject: 'supervisor-1' },
  RESEARCHER: { role: 'RESEARCHER', organisation: 'ULB', subject: 'researcher-1' },
  INTEGRATOR: { role: 'INTEGRATOR', organisation: 'DASHBOARD-WAL', subject: 'integrator-1' },
  PARTICIPANT: { role: 'PARTICIPANT', organisation: 'SELF', subject: '85073003328' },
};

export async function startTestPlatform(options: { seedDemo?: boolean; subgraphTimeoutMs?: number } = {}): Promise<TestPlatform> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set (jest globalSetup sets it)');
  const databaseName = `ips_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  // The subgraphs connect as the unprivileged application role, as in production; the tests'
  // own SQL (`sql`) runs as the administrator, to inspect and to try what the app cannot.
  const { appUrl: databaseUrl, ownerUrl: migrationUrl } = await provisionDatabase(serverUrl, databaseName);
  const adminDatabaseUrl = withDatabase(serverUrl, databaseName);
  const keys = await ephemeralDevKeys();
  const platform = await startPlatform({
    databaseUrl,
    migrationUrl,
    subgraphTimeoutMs: options.subgraphTimeoutMs,
    callerPublicKey: keys.caller.publicKey,
    gateway: keys.gateway,
    gatewayPort: 0,
    seedDemo: options.seedDemo ?? false,
    exposeSqlCount: true,
  });
  const pool = new pg.Pool({ connectionString: adminDatabaseUrl, max: 2 });
  const appPool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
  const tokenFor = (identity: Identity, key: CryptoKey = keys.caller.privateKey) => signCallerToken(identity, key, '5m');

  return {
    platform,
    keys,
    databaseUrl,
    migrationUrl,
    tokenFor,
    async query<TData>(as: Identity | Role | null, query: string, variables?: Record<string, unknown>) {
      const identity = typeof as === 'string' ? DEFAULT_IDENTITY[as] : as;
      const authorization = identity ? `Bearer ${await tokenFor(identity)}` : undefined;
      return (await post(`${platform.gateway.url}graphql`, query, variables, authorization)) as GraphQLResponse<TData>;
    },
    async querySubgraph(name, query, authorization, variables) {
      const subgraph = platform.subgraphs.find((s) => s.name === name);
      if (!subgraph) throw new Error(`no subgraph ${name}`);
      return post(subgraph.url, query, variables, authorization);
    },
    async sql(text, params) {
      return (await pool.query(text, params)).rows;
    },
    async appSql(text, params) {
      return (await appPool.query(text, params)).rows;
    },
    async stop() {
      await pool.end();
      await appPool.end();
      await platform.stop();
      await dropDatabase(serverUrl, databaseName);
    },
  };
}

async function post(url: string, query: string, variables?: Record<string, unknown>, authorization?: string): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
  return { status: response.status, ...body };
}

/** The error codes of a response, with the field each names (for BAD_USER_INPUT). */
export function errorCodes(response: GraphQLResponse): string[] {
  return (response.errors ?? []).map((error) => String(error.extensions?.code));
}
