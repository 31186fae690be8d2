/**
 * Hive Gateway (from npm, `createGatewayRuntime`, router/hive.ts) in front of the real subgraphs of
 * startTestPlatform(): the subgraphs trust a JWK set of two signers — our gateway's key and Hive
 * Gateway's own — and both routers must give the same answers and refusals.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { roleClientSchemaPath } from '../platform/compose.js';
import { newKeyPair, publicJwks, type KeyPair } from '../gateway/keys.js';
import { SUBMIT_REFERRAL, newKey, referralInput } from './fixtures.js';
import { DEFAULT_IDENTITY, errorCodes, startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
import { ROLES, type Identity } from '../schema/identity.js';

let graph: TestPlatform;
let hive: KeyPair;
let server: Server;
let hiveUrl: string;
let participantId: string;

beforeAll(async () => {
  hive = await newKeyPair();
  // The subgraphs trust both signers; the harness's gateway key is made inside startTestPlatform,
  // so the set is a resolver over a JWK set filled in once both keys are known.
  const trusted = { keys: [] as object[] };
  graph = await startTestPlatform({ trustedGatewayKeys: trusted as never });
  trusted.keys.push(...(await publicJwks(graph.keys.gateway.publicKey, hive.publicKey)).keys);
  // Imported by a computed name, untyped: Hive Gateway's typings bring DOM fetch types that clash with
  // the Node ones the rest of the project is checked against (router/ has its own tsconfig).
  const specifier = '../router/hive.js';
  const { createHiveRouter } = (await import(specifier)) as {
    createHiveRouter(options: Record<string, unknown>): unknown;
  };
  const runtime = createHiveRouter({
    supergraph: readFileSync('schema/supergraph.graphql', 'utf8'),
    subgraphUrls: Object.fromEntries(graph.platform.subgraphs.map((s) => [s.name, s.url])),
    callers: { publicKey: graph.keys.caller.publicKey },
    signingKey: hive.privateKey,
    roleSchemas: Object.fromEntries(ROLES.map((role) => [role, readFileSync(roleClientSchemaPath(role), 'utf8')])),
  });
  server = createServer(runtime as never);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hiveUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const submitted = await graph.query<{ submitReferral: { participantId: string } }>(
    'MEDECIN_CONSEIL',
    SUBMIT_REFERRAL,
    { input: referralInput(), key: newKey() },
  );
  participantId = submitted.data!.submitReferral.participantId;
}, 120_000);
afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await graph?.stop();
});

async function viaHive(
  as: Identity | null,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLResponse> {
  const response = await fetch(hiveUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(as ? { authorization: `Bearer ${await graph.tokenFor(as)}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

it('answers an allowed read as our gateway does', async () => {
  const query = '{ conventions { code partner region } }';
  const ours = await graph.query('SRE', query);
  const theirs = await viaHive(DEFAULT_IDENTITY.SRE, query);
  expect(ours.errors).toBeUndefined();
  expect(theirs.errors).toBeUndefined();
  expect(theirs.data).toEqual(ours.data);
  const physician = await viaHive(
    DEFAULT_IDENTITY.MEDECIN_CONSEIL,
    'query($id: ID!) { participant(id: $id) { givenName familyName } }',
    { id: participantId },
  );
  expect(physician.data).toEqual(
    (
      await graph.query('MEDECIN_CONSEIL', 'query($id: ID!) { participant(id: $id) { givenName familyName } }', {
        id: participantId,
      })
    ).data,
  );
});

it('nulls a record the caller may not see, as our gateway does (the SRE of another region)', async () => {
  const sre: Identity = { role: 'SRE', organisation: 'VDAB', subject: 'vdab-1' };
  const query = 'query($id: ID!) { participant(id: $id) { givenName } }';
  expect((await viaHive(sre, query, { id: participantId })).data).toEqual({ participant: null });
  expect((await graph.query(sre, query, { id: participantId })).data).toEqual({ participant: null });
});

it("refuses a person to an integrator as ours does: the integrator's schema has no `participant` at all", async () => {
  const query = 'query($id: ID!) { participant(id: $id) { id } }';
  const theirs = await viaHive(DEFAULT_IDENTITY.INTEGRATOR, query, { id: participantId });
  expect(theirs.data ?? null).toBeNull();
  expect(errorCodes(theirs)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(JSON.stringify(theirs.errors)).not.toMatch(/Did you mean/);
  expect(errorCodes(await graph.query('INTEGRATOR', query, { id: participantId }))).toEqual([
    'GRAPHQL_VALIDATION_FAILED',
  ]);
  // A field outside the SRE's categories, behind Hive as at ours.
  expect(
    errorCodes(
      await viaHive(DEFAULT_IDENTITY.SRE, 'query($id: ID!) { participant(id: $id) { incapacityStatus } }', {
        id: participantId,
      }),
    ),
  ).toEqual(['GRAPHQL_VALIDATION_FAILED']);
});

it("answers introspection with the role's own schema, as ours does", async () => {
  const query = '{ __schema { queryType { fields { name } } } }';
  const names = (response: GraphQLResponse) =>
    (response.data as { __schema: { queryType: { fields: { name: string }[] } } }).__schema.queryType.fields
      .map((f) => f.name)
      .sort();
  const theirs = await viaHive(DEFAULT_IDENTITY.SRE, query);
  expect(names(theirs)).toEqual(names(await graph.query('SRE', query)));
  expect(names(theirs)).not.toContain('intakeQueue');
  expect(names(theirs)).not.toContain('unassignedPathways');
});

it('refuses a too-deep query and too many aliases before reaching a subgraph, as ours does', async () => {
  const deep = `query($id: ID!) { participant(id: $id) { ${'pathway { participant { '.repeat(6)} id ${'} } '.repeat(6)} } }`;
  const theirs = await viaHive(DEFAULT_IDENTITY.INAMI, deep, { id: participantId });
  expect(theirs.data ?? null).toBeNull();
  expect(theirs.errors?.[0]?.message).toMatch(/depth/i);
  expect(errorCodes(await graph.query('INAMI', deep, { id: participantId }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  const aliased = `{ ${Array.from({ length: 20 }, (_, i) => `c${i}: conventions { code }`).join(' ')} }`;
  expect((await viaHive(DEFAULT_IDENTITY.INAMI, aliased)).errors?.[0]?.message).toMatch(/alias/i);
});

it('refuses a request without a token (401), as ours does', async () => {
  const theirs = await viaHive(null, '{ conventions { code } }');
  expect(theirs.status).toBe(401);
  expect(theirs.data ?? null).toBeNull();
  expect((await graph.query(null, '{ conventions { code } }')).status).toBe(401);
});
