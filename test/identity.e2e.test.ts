/**
 * Identity and access at the doors: the gateway accepts only valid caller tokens,
 * subgraphs only gateway-signed ones (`_service` and `_entities` included), and the
 * shield answers FORBIDDEN, not data, to a role the policy does not allow.
 */
import { SignJWT } from 'jose';
import { signGatewayToken } from '../gateway/identity.js';
import { newKeyPair } from '../gateway/keys.js';
import { GATEWAY_TOKEN, type Identity } from '../schema/identity.js';
import { SUBGRAPH_NAMES } from '../schema/subgraphs.js';
import { newKey, referralInput, SUBMIT_REFERRAL } from './fixtures.js';
import { DEFAULT_IDENTITY, errorCodes, startTestPlatform, type TestPlatform } from './harness.js';

let graph: TestPlatform;
let participantId: string;
beforeAll(async () => {
  graph = await startTestPlatform();
  const submitted = await graph.query<{ submitReferral: { participantId: string } }>(
    'MEDECIN_CONSEIL',
    SUBMIT_REFERRAL,
    { input: referralInput(), key: newKey() },
  );
  participantId = submitted.data!.submitReferral.participantId;
});
afterAll(async () => {
  await graph?.stop();
});

const gatewayPost = (authorization?: string) =>
  fetch(`${graph.platform.gateway.url}graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query: '{ conventions { code } }' }),
  }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] },
  }));

describe('the gateway verifies every caller', () => {
  it('answers a caller with a valid token', async () => {
    const { status, body } = await gatewayPost(`Bearer ${await graph.tokenFor(DEFAULT_IDENTITY.SRE)}`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  const refusals: [string, () => Promise<string | undefined>][] = [
    ['no token', async () => undefined],
    ['a malformed token', async () => 'Bearer not.a.jwt'],
    [
      'a token signed with another key',
      async () => `Bearer ${await graph.tokenFor(DEFAULT_IDENTITY.SRE, (await newKeyPair()).privateKey)}`,
    ],
    [
      'an expired token',
      async () =>
        `Bearer ${await new SignJWT({ role: 'SRE', org: 'FOREM' })
          .setProtectedHeader({ alg: 'ES256' })
          .setSubject('x')
          .setIssuer('ips-graph-dev-idp')
          .setAudience('ips-graph')
          .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
          .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
          .sign(graph.keys.caller.privateKey)}`,
    ],
    [
      'an unknown role',
      async () =>
        `Bearer ${await graph.tokenFor({ role: 'ADMIN', organisation: 'X', subject: 'x' } as unknown as Identity)}`,
    ],
    [
      'a gateway token presented to the gateway',
      async () => `Bearer ${await signGatewayToken(DEFAULT_IDENTITY.INAMI, graph.keys.gateway.privateKey)}`,
    ],
  ];

  it.each(refusals)('refuses %s with UNAUTHENTICATED', async (_name, authorization) => {
    const { status, body } = await gatewayPost(await authorization());
    expect(status).toBe(401);
    expect(body.data).toBeUndefined();
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('subgraphs refuse anything that did not come through the gateway', () => {
  const probes = [
    ['{ _service { sdl } }', undefined],
    [
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Participant { id } } }',
      { r: [{ __typename: 'Participant', id: '7d1c0c55-3b7e-4a47-9d0c-4b1f5f9c0a11' }] },
    ],
    ['{ __typename }', undefined],
  ] as const;

  const cases = SUBGRAPH_NAMES.flatMap((name) => probes.map(([query, variables]) => [name, query, variables] as const));

  it.each(cases)('%s refuses %s without a gateway token', async (name, query, variables) => {
    const response = await graph.querySubgraph(name, query, undefined, variables);
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.data).toBeUndefined();
  });

  it.each(SUBGRAPH_NAMES)(
    '%s refuses a caller token, an expired gateway token and one signed by another key',
    async (name) => {
      const callerToken = await graph.tokenFor(DEFAULT_IDENTITY.INAMI);
      const expired = await new SignJWT({ role: 'INAMI', org: 'INAMI' })
        .setProtectedHeader({ alg: 'ES256' })
        .setSubject('inami')
        .setIssuer(GATEWAY_TOKEN.issuer)
        .setAudience(GATEWAY_TOKEN.audience)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
        .sign(graph.keys.gateway.privateKey);
      const forged = await signGatewayToken(DEFAULT_IDENTITY.INAMI, (await newKeyPair()).privateKey);
      for (const token of [callerToken, expired, forged]) {
        const response = await graph.querySubgraph(name, '{ _service { sdl } }', `Bearer ${token}`);
        expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
      }
    },
  );

  it('answers `_service` and `_entities` to the gateway token', async () => {
    const token = `Bearer ${await signGatewayToken(DEFAULT_IDENTITY.INAMI, graph.keys.gateway.privateKey)}`;
    const sdl = await graph.querySubgraph('participants', '{ _service { sdl } }', token);
    expect(sdl.errors).toBeUndefined();
    const entities = await graph.querySubgraph(
      'participants',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Participant { id region } } }',
      token,
      { r: [{ __typename: 'Participant', id: participantId }] },
    );
    expect(entities.errors).toBeUndefined();
    expect(entities.data).toEqual({ _entities: [{ id: participantId, region: 'WALLONIA' }] });
  });

  it('refuses `_entities` for a type the role may not see at all', async () => {
    const token = `Bearer ${await signGatewayToken(DEFAULT_IDENTITY.INTEGRATOR, graph.keys.gateway.privateKey)}`;
    const entities = await graph.querySubgraph(
      'participants',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Participant { id niss } } }',
      token,
      {
        r: [{ __typename: 'Participant', id: participantId }],
      },
    );
    expect(errorCodes(entities)).toContain('FORBIDDEN');
    expect(JSON.stringify(entities.data)).not.toContain('niss":"');
  });
});

describe('each role gets its own schema, and the shield denies by default behind it', () => {
  const asSubgraph = async (role: keyof typeof DEFAULT_IDENTITY) =>
    `Bearer ${await signGatewayToken(DEFAULT_IDENTITY[role], graph.keys.gateway.privateKey)}`;

  it("fails validation, without hints, when a researcher asks for the registry: it is not in the researcher's schema (R19)", async () => {
    const response = await graph.query('RESEARCHER', '{ participants(first: 5) { id niss } }');
    expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.data).toBeUndefined();
    expect(JSON.stringify(response.errors)).not.toMatch(/Did you mean/);
  });

  it('answers FORBIDDEN, not data, when a researcher reaches the subgraph itself', async () => {
    const response = await graph.querySubgraph(
      'participants',
      '{ participants(first: 5) { id niss } }',
      await asSubgraph('RESEARCHER'),
    );
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    expect(response.data).toEqual({ participants: null });
  });

  it('refuses a referral from any role but the advising physician, at the gateway and at the subgraph, writing nothing', async () => {
    const [before] = await graph.sql<{ n: string }>('select count(*) as n from participants.referral');
    for (const role of ['SRE', 'INAMI', 'JOB_COACH', 'PARTICIPANT', 'RESEARCHER'] as const) {
      const variables = { input: referralInput(), key: newKey() };
      expect([...new Set(errorCodes(await graph.query(role, SUBMIT_REFERRAL, variables)))]).toEqual([
        'GRAPHQL_VALIDATION_FAILED',
      ]);
      const direct = await graph.querySubgraph(
        'participants',
        'mutation($input: SubmitReferralInput!, $key: String!) { submitReferral(input: $input, idempotencyKey: $key) { referralId } }',
        await asSubgraph(role),
        variables,
      );
      expect(errorCodes(direct)).toEqual(['FORBIDDEN']);
    }
    const [after] = await graph.sql<{ n: string }>('select count(*) as n from participants.referral');
    expect(after).toEqual(before);
  });

  it('nulls a field with FORBIDDEN at its path when the role may see it but not for this person (the SRE of another region)', async () => {
    const response = await graph.query(
      { role: 'SRE', organisation: 'VDAB', subject: 'vdab-1' },
      'query($id: ID!) { participant(id: $id) { givenName } }',
      { id: participantId },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ participant: null }); // outside the circle: as if there were no such person
    const direct = await graph.querySubgraph(
      'participants',
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Participant { givenName } } }',
      `Bearer ${await signGatewayToken({ role: 'SRE', organisation: 'VDAB', subject: 'vdab-1' }, graph.keys.gateway.privateKey)}`,
      {
        r: [{ __typename: 'Participant', id: participantId }],
      },
    );
    expect(direct.data).toEqual({ _entities: [null] });
  });

  it('lets an integrator read aggregates but no person', async () => {
    const aggregate = await graph.query<{ pilotAggregates: { measure: string } }>(
      'INTEGRATOR',
      '{ pilotAggregates(measure: REFERRALS) { measure } }',
    );
    expect(aggregate.errors).toBeUndefined();
    expect(aggregate.data!.pilotAggregates.measure).toBe('REFERRALS');
    // Exact counts are the trial's own readers': an integrator's every count goes through the disclosure rule.
    for (const exact of ['{ allocationBalance { region ips } }', '{ registryCounts { pathways } }']) {
      expect(errorCodes(await graph.query('INTEGRATOR', exact))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    }
    expect(
      errorCodes(
        await graph.query('INTEGRATOR', 'query($id: ID!) { participant(id: $id) { id } }', { id: participantId }),
      ),
    ).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const direct = await graph.querySubgraph(
      'participants',
      'query($id: ID!) { participant(id: $id) { id } }',
      await asSubgraph('INTEGRATOR'),
      { id: participantId },
    );
    expect(errorCodes(direct)).toEqual(['FORBIDDEN']);
  });

  it('refuses abusive queries before planning: too deep (the graph has cycles) or too many aliases', async () => {
    const deep = `query($id: ID!) { participant(id: $id) { ${'pathway { participant { '.repeat(6)} id ${'} } '.repeat(6)} } }`;
    expect(errorCodes(await graph.query('INAMI', deep, { id: participantId }))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const aliased = `{ ${Array.from({ length: 20 }, (_, i) => `c${i}: conventions { code }`).join(' ')} }`;
    expect(errorCodes(await graph.query('INAMI', aliased))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('never sends a stack trace or an internal message to a client', async () => {
    const response = await graph.query('INAMI', '{ participant(id: "not-a-uuid") { id } }');
    expect(response.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'id',
      messageId: 'input.invalidId',
    }); // code, field and the catalogue's id: nothing internal
    expect(JSON.stringify(response)).not.toMatch(/stacktrace|node_modules|\.ts:\d+/);
  });
});
