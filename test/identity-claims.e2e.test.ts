/**
 * A token's claims must fit together: the person is their NISS only when logged in as SELF
 * (RELATIONS.self), and the gateway refuses a role paired with an organisation it cannot belong to
 * (schema/organisations.ts). The subgraphs decide the same on their own, so a gateway-signed token
 * with such claims (a router that skipped the check) still reads nothing of the person.
 */
import { signGatewayToken } from '../gateway/identity.js';
import type { Identity, Role } from '../schema/identity.js';
import { newKey, referralInput, SUBMIT_REFERRAL } from './fixtures.js';
import { DEFAULT_IDENTITY, errorCodes, startTestPlatform, type TestPlatform } from './harness.js';

let graph: TestPlatform;
let participantId: string;
let niss: string;
beforeAll(async () => {
  graph = await startTestPlatform();
  const input = referralInput();
  niss = input.person.niss;
  const submitted = await graph.query<{ submitReferral: { participantId: string } }>(
    'MEDECIN_CONSEIL',
    SUBMIT_REFERRAL,
    { input, key: newKey() },
  );
  participantId = submitted.data!.submitReferral.participantId;
});
afterAll(async () => {
  await graph?.stop();
});

/** What the person reads of themself: `me` at the gateway; at the subgraph, `me` and the gateway's entity fetch. */
const READ_ME = '{ me { id niss } }';
const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Participant { id niss } } }';
/** The person's NISS under another organisation than SELF: a namesake of the person, not the person. */
const namesake = (organisation: string): Identity => ({ role: 'PARTICIPANT', organisation, subject: niss });

describe('self is the person logged in as SELF, never a NISS under another organisation', () => {
  it('lets the person read their own record as SELF', async () => {
    const own = await graph.query<{ me: { id: string; niss: string } | null }>(namesake('SELF'), READ_ME);
    expect(own.errors).toBeUndefined();
    expect(own.data).toEqual({ me: { id: participantId, niss } });
    const token = `Bearer ${await signGatewayToken(namesake('SELF'), graph.keys.gateway.privateKey)}`;
    expect((await graph.querySubgraph('participants', READ_ME, token)).data).toEqual({
      me: { id: participantId, niss },
    });
    const entities = await graph.querySubgraph('participants', ENTITIES, token, {
      r: [{ __typename: 'Participant', id: participantId }],
    });
    expect(entities.data).toEqual({ _entities: [{ id: participantId, niss }] });
  });

  it.each(['OTHER', 'OA-300', 'ARTICLE-23'])(
    'refuses at the gateway a participant token of organisation %s, reading nothing',
    async (organisation) => {
      const response = await graph.query(namesake(organisation), READ_ME);
      expect(response.status).toBe(401);
      expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
      expect(response.data).toBeUndefined();
    },
  );

  it.each(['OTHER', 'OA-300', 'ARTICLE-23'])(
    'reads nothing of the person at the subgraph with a gateway-signed participant token of organisation %s',
    async (organisation) => {
      const token = `Bearer ${await signGatewayToken(namesake(organisation), graph.keys.gateway.privateKey)}`;
      // Exactly as a person who does not exist: null, no NISS anywhere in the answer.
      const direct = await graph.querySubgraph('participants', READ_ME, token);
      expect(direct.data).toEqual({ me: null });
      const entities = await graph.querySubgraph('participants', ENTITIES, token, {
        r: [{ __typename: 'Participant', id: participantId }],
      });
      expect(entities.data).toEqual({ _entities: [null] });
      expect(JSON.stringify([direct, entities])).not.toContain(niss);
    },
  );
});

describe('the gateway refuses a token whose role and organisation do not fit together', () => {
  const inconsistent: [Role, string][] = [
    ['PARTICIPANT', 'OTHER'], // the person is SELF
    ['INAMI', 'OA-100'], // INAMI's role belongs to INAMI
    ['MEDECIN_CONSEIL', 'FOREM'], // an advising physician works for a health insurer (STAFF_FUNCTIONS)
    ['MEDECIN_CONSEIL', 'ARTICLE-23'], // every health insurer is known: an unknown code is none
    ['OA', 'INAMI'],
    ['SRE', 'ARTICLE-23'], // an SRE is VDAB, FOREM or ACTIRIS
    ['JOB_COACH', 'FOREM'], // a coach works for an IPS partner, not an employment service
    ['SUPERVISOR', 'OA-300'],
    ['RESEARCHER', 'OA-200'], // a research team, not a health insurer
    ['INTEGRATOR', 'SELF'], // SELF is the person's alone
  ];

  it.each(inconsistent)('refuses %s of %s with UNAUTHENTICATED, before anything runs', async (role, organisation) => {
    const response = await graph.query(
      { role, organisation, subject: `claims-${role.toLowerCase()}` },
      '{ conventions { code } }',
    );
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
    expect(response.errors?.[0]?.extensions?.messageId).toBe('auth.tokenClaimsInconsistent');
    expect(response.data).toBeUndefined();
  });

  it("answers every role's usual token, and organisations the directory alone can tell (IPS partners, research teams)", async () => {
    const consistent: Identity[] = [
      ...Object.values(DEFAULT_IDENTITY),
      { role: 'JOB_COACH', organisation: 'VDAB-GTB', subject: 'claims-coach' },
      { role: 'RESEARCHER', organisation: 'KU-LEUVEN', subject: 'claims-researcher' },
      { role: 'SRE', organisation: 'ACTIRIS', subject: 'claims-sre' },
      { role: 'OA', organisation: 'OA-900', subject: 'claims-oa' },
    ];
    for (const identity of consistent) {
      const response = await graph.query(identity, '{ conventions { code } }');
      expect([identity.role, identity.organisation, response.status, errorCodes(response)]).toEqual([
        identity.role,
        identity.organisation,
        200,
        [],
      ]);
    }
  });
});
