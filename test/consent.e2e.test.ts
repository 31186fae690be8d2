/**
 * Consent as data (R1e, R1f, R18): narrowing and withdrawal take effect on the very
 * next request in every subgraph; changes are validated, audited and never lost; each
 * role sees its own schema; the access log records every read and cannot be altered.
 */
import { signGatewayToken } from '../gateway/identity.js';
import { type Identity } from '../schema/identity.js';
import { CONSENT_SCOPE, PERSONAL_DATA_TYPES, ROLE_SCOPE } from '../schema/policy.js';
import { errorCodes, startTestPlatform, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial();
});
afterAll(async () => {
  await graph?.stop();
});

const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-consent' };
const SRE: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-counsellor' };

/** A referred Walloon person with a registered pathway and an allocation row. */
function referredPerson() {
  return seed(graph).person().referredBy(PHYSICIAN).registered({ convention: 'ISPPC' }).randomised().build();
}

const subgraphToken = async (identity: Identity) =>
  `Bearer ${await signGatewayToken(identity, graph.keys.gateway.privateKey)}`;

/** What the SRE gets from each subgraph for this person, asked directly (as the gateway would). */
async function sreReads(participantId: string, pathwayId: string) {
  const token = await subgraphToken(SRE);
  const entity = (fields: string) => ({
    query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Participant { ${fields} } } }`,
    variables: { r: [{ __typename: 'Participant', id: participantId }] },
  });
  const participants = await graph.querySubgraph(
    'participants',
    entity('niss givenName').query,
    token,
    entity('').variables,
  );
  const pathways = await graph.querySubgraph(
    'pathways',
    entity('pathway { registryNumber }').query,
    token,
    entity('').variables,
  );
  const research = await graph.querySubgraph(
    'research',
    entity('allocation { arm }').query,
    token,
    entity('').variables,
  );
  const gateway = await graph.query(
    SRE,
    'query($id: ID!, $p: ID!) { participant(id: $id) { niss pathway { registryNumber } allocation { arm } } pathway(id: $p) { registryNumber } }',
    { id: participantId, p: pathwayId },
  );
  return { participants, pathways, research, gateway };
}

describe('withdrawing consent (R18)', () => {
  it('stops every subgraph from answering the withdrawn recipient on the very next request', async () => {
    const { participantId, pathwayId, self, arm } = await referredPerson();
    const before = await sreReads(participantId, pathwayId);
    expect(before.participants.data).toEqual({ _entities: [{ niss: expect.any(String), givenName: 'Camille' }] });
    expect(before.pathways.data).toEqual({
      _entities: [{ pathway: { registryNumber: expect.stringMatching(/^IPS-/) } }],
    });
    expect(before.research.data).toEqual({ _entities: [{ allocation: { arm } }] });
    expect(before.gateway.errors).toBeUndefined();

    const withdrawn = await graph.query(
      self,
      'mutation($id: ID!) { withdrawInformationSharingConsent(participantId: $id) { participantId recordedBy } }',
      { id: participantId },
    );
    expect(withdrawn.data).toEqual({ withdrawInformationSharingConsent: { participantId, recordedBy: self.subject } });

    const after = await sreReads(participantId, pathwayId);
    expect(after.participants.data).toEqual({ _entities: [null] }); // the record itself is gone for the SRE
    expect(after.pathways.data).toEqual({ _entities: [{ pathway: null }] });
    expect(errorCodes(after.pathways)).toEqual(['FORBIDDEN']);
    expect(after.research.data).toEqual({ _entities: [{ allocation: null }] });
    expect(errorCodes(after.research)).toEqual(['FORBIDDEN']);
    expect(after.gateway.data).toEqual({ participant: null, pathway: null });

    // The person still sees everything of their own.
    const own = await graph.query(
      self,
      '{ me { niss pathway { registryNumber } allocation { arm } consentGrants { recipient } } }',
    );
    expect(own.errors).toBeUndefined();
    expect(own.data).toMatchObject({
      me: { pathway: { registryNumber: expect.any(String) }, allocation: { arm }, consentGrants: [] },
    });
  });

  it('narrows one category for one recipient and leaves the rest in force', async () => {
    const { participantId, self } = await referredPerson();
    const narrowed = await graph.query(
      self,
      'mutation($id: ID!) { narrowInformationSharingConsent(participantId: $id, revoke: [{ recipient: SRE, categories: [IDENTITY] }]) { participantId } }',
      { id: participantId },
    );
    expect(narrowed.errors).toBeUndefined();
    const read = await graph.query(
      SRE,
      'query($id: ID!) { participant(id: $id) { region niss givenName pathway { status } } }',
      { id: participantId },
    );
    expect(read.data).toEqual({
      participant: { region: 'WALLONIA', niss: null, givenName: null, pathway: { status: 'OPEN' } },
    });
    expect(read.errors?.map((e) => [e.extensions?.code, e.path?.join('.')])).toEqual([
      ['FORBIDDEN', 'participant.niss'],
      ['FORBIDDEN', 'participant.givenName'],
    ]);
    // INAMI's grants are untouched.
    const inami = await graph.query('INAMI', 'query($id: ID!) { participant(id: $id) { givenName } }', {
      id: participantId,
    });
    expect(inami.data).toEqual({ participant: { givenName: 'Camille' } });
  });

  it('keeps the whole history: revoked grants stay, with who and when, and the database refuses to erase them', async () => {
    const { participantId, self } = await referredPerson();
    await graph.query(
      self,
      'mutation($id: ID!) { withdrawInformationSharingConsent(participantId: $id) { participantId } }',
      { id: participantId },
    );
    const rows = await graph.sql<{ total: string; revoked: string; by: string }>(
      'select count(*) as total, count(revoked_at) as revoked, max(revoked_by) as by from participants.consent_grant where participant_id = $1',
      [participantId],
    );
    const granted = Object.values(CONSENT_SCOPE).reduce((sum, categories) => sum + categories.length, 0);
    expect(rows[0]).toEqual({ total: String(granted), revoked: String(granted), by: self.subject });
    await expect(
      graph.sql('delete from participants.consent_grant where participant_id = $1', [participantId]),
    ).rejects.toThrow(/never deleted/);
    await expect(
      graph.sql('update participants.consent_grant set revoked_at = null where participant_id = $1', [participantId]),
    ).rejects.toThrow(/only be revoked, once/);
    const [ledger] = await graph.sql<{ consent_grants: string[] }>(
      'select consent_grants from access.ledger where participant_id = $1',
      [participantId],
    );
    expect(ledger!.consent_grants).toEqual([]);
  });

  it("lets the physician of record act on the person's behalf only with the signed form, and no one else at all", async () => {
    const { participantId } = await referredPerson();
    const withoutForm = await graph.query(
      PHYSICIAN,
      'mutation($id: ID!) { withdrawResearchConsent(participantId: $id) { participantId } }',
      { id: participantId },
    );
    expect(withoutForm.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'signedFormReference' });
    const otherPhysician = await graph.query(
      { ...PHYSICIAN, subject: 'dr-elsewhere' },
      'mutation($id: ID!) { withdrawResearchConsent(participantId: $id, signedFormReference: "F-1") { participantId } }',
      { id: participantId },
    );
    expect(errorCodes(otherPhysician)).toEqual(['NOT_FOUND']);
    const withForm = await graph.query(
      PHYSICIAN,
      'mutation($id: ID!) { withdrawResearchConsent(participantId: $id, signedFormReference: "RESEARCH-WITHDRAWAL-7") { participantId } }',
      { id: participantId },
    );
    expect(withForm.errors).toBeUndefined();
    const [ledger] = await graph.sql<{ research_consent: boolean }>(
      'select research_consent from access.ledger where participant_id = $1',
      [participantId],
    );
    expect(ledger!.research_consent).toBe(false);
  });

  it.each([
    [
      'a category the recipient may never receive (R18)',
      '[{ recipient: SRE, categories: [HEALTH] }]',
      '"F-2"',
      'grants.0.categories',
    ],
    ['an empty list of categories', '[{ recipient: INAMI, categories: [] }]', '"F-2"', 'grants.0.categories'],
    ['no recipient at all', '[]', '"F-2"', 'grants'],
    ['no signed form reference', '[{ recipient: INAMI, categories: [IDENTITY] }]', '" "', 'signedFormReference'],
  ])('refuses to give consent with %s, writing nothing', async (_name, grants, form, field) => {
    const { participantId, self } = await referredPerson();
    const before = await graph.sql('select count(*) as n from participants.consent_grant where participant_id = $1', [
      participantId,
    ]);
    const response = await graph.query(
      self,
      `mutation($id: ID!) { giveInformationSharingConsent(participantId: $id, grants: ${grants}, signedFormReference: ${form}) { participantId } }`,
      { id: participantId },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(
      await graph.sql('select count(*) as n from participants.consent_grant where participant_id = $1', [
        participantId,
      ]),
    ).toEqual(before);
  });
});

describe('role-scoped schemas', () => {
  const INTROSPECTION = '{ __schema { types { name kind fields { name } } } }';

  it('shows a researcher and an SRE different schemas, neither with a field its role can never see', async () => {
    const schemas: Record<string, Map<string, string[]>> = {};
    for (const role of ['RESEARCHER', 'SRE'] as const) {
      const response = await graph.query<{
        __schema: { types: { name: string; fields: { name: string }[] | null }[] };
      }>(role, INTROSPECTION);
      expect(response.errors).toBeUndefined();
      const types = new Map(
        response.data!.__schema.types.map((type) => [type.name, (type.fields ?? []).map((field) => field.name)]),
      );
      schemas[role] = types;
      for (const [typeName, fields] of types) {
        for (const field of fields) {
          const category = PERSONAL_DATA_TYPES[typeName]?.[field];
          if (category)
            expect({ role, field: `${typeName}.${field}`, allowed: ROLE_SCOPE[role].includes(category) }).toEqual({
              role,
              field: `${typeName}.${field}`,
              allowed: true,
            });
        }
      }
    }
    expect(schemas.RESEARCHER!.has('Participant')).toBe(false); // R19: not even the type
    expect(schemas.RESEARCHER!.has('SubmitReferralInput')).toBe(false); // no input shape leaks either
    expect(schemas.SRE!.get('Participant')).toEqual(expect.arrayContaining(['niss', 'postcode', 'pathway']));
    expect(schemas.SRE!.get('Participant')).not.toContain('incapacityStatus'); // benefits: not the SRE's
    expect(schemas.SRE!.get('ReferralEligibility')).toEqual([
      'needsVocationalRehabilitation',
      'needsIntensiveSupport',
      'wantsToReturnToWork',
      'consentsToInformationSharing',
      'consentsToResearch',
    ]);
    expect([...schemas.RESEARCHER!.keys()].sort()).not.toEqual([...schemas.SRE!.keys()].sort());
  });

  it('refuses introspection without a token', async () => {
    const response = await graph.query(null, INTROSPECTION);
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('the access log', () => {
  it('records who read which categories of whose data, through which operation, and shows it to the person alone', async () => {
    const { participantId, self } = await referredPerson();
    await graph.query(
      SRE,
      'query SreFollowUp($id: ID!) { participant(id: $id) { niss postcode pathway { status } } }',
      { id: participantId },
    );
    const log = await graph.query<{
      me: {
        accessLog: {
          subject: string;
          role: string;
          organisation: string;
          categories: string[];
          operation: string;
          subgraph: string;
        }[];
      };
    }>(self, '{ me { accessLog(first: 20) { subject role organisation categories operation subgraph } } }');
    expect(log.errors).toBeUndefined();
    const sreEntries = log.data!.me.accessLog.filter((entry) => entry.subject === SRE.subject);
    expect(sreEntries).toEqual(
      expect.arrayContaining([
        {
          subject: SRE.subject,
          role: 'SRE',
          organisation: 'FOREM',
          categories: ['ADMINISTRATIVE', 'CONTACT', 'IDENTITY'],
          operation: 'SreFollowUp',
          subgraph: 'participants',
        },
        {
          subject: SRE.subject,
          role: 'SRE',
          organisation: 'FOREM',
          categories: ['ADMINISTRATIVE'],
          operation: 'SreFollowUp',
          subgraph: 'pathways',
        },
      ]),
    );
    // Nobody else can read it: not in their schema, and refused at the subgraph.
    expect(
      errorCodes(
        await graph.query('INAMI', 'query($id: ID!) { participant(id: $id) { accessLog { at } } }', {
          id: participantId,
        }),
      ),
    ).toContain('GRAPHQL_VALIDATION_FAILED');
    const direct = await graph.querySubgraph(
      'participants',
      'query($id: ID!) { participant(id: $id) { id accessLog { at } } }',
      await subgraphToken({ role: 'INAMI', organisation: 'INAMI', subject: 'inami-1' }),
      { id: participantId },
    );
    expect(direct.data).toEqual({ participant: { id: participantId, accessLog: null } });
    expect(errorCodes(direct)).toEqual(['FORBIDDEN']);
  });

  it('is append-only in the database itself: no update, delete or truncate', async () => {
    await expect(graph.sql("update access.access_log set subject = 'someone-else'")).rejects.toThrow(/append-only/);
    await expect(graph.sql('delete from access.access_log')).rejects.toThrow(/append-only/);
    await expect(graph.sql('truncate access.access_log')).rejects.toThrow(/append-only/);
  });

  it('writes one row per person read in a request, not one per field', async () => {
    const { participantId } = await referredPerson();
    const [before] = await graph.sql<{ n: string }>(
      'select count(*) as n from access.access_log where participant_id = $1',
      [participantId],
    );
    await graph.query(
      'INAMI',
      'query Many($id: ID!) { participant(id: $id) { niss givenName familyName birthDate postcode region healthInsurer referrals { form signedOn } } }',
      { id: participantId },
    );
    const [after] = await graph.sql<{ n: string }>(
      'select count(*) as n from access.access_log where participant_id = $1',
      [participantId],
    );
    expect(Number(after!.n) - Number(before!.n)).toBe(1);
  });
});
