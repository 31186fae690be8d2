/**
 * The bad-input class, through the gateway: whatever a client sends that the domain cannot hold is
 * refused with a GraphQL error naming what is wrong (BAD_USER_INPUT and the field, or the request's
 * own code), a 4xx where the whole request is refused, and nothing written.
 */
import { signGatewayToken } from '../gateway/identity.js';
import { makeNiss } from '../subgraphs/participants/services/niss.js';
import { newKey, referralInput, SUBMIT_REFERRAL } from './fixtures.js';
import { DEFAULT_IDENTITY, errorCodes, startTestPlatform, withIdempotencyKeys, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform();
});
afterAll(async () => {
  await graph?.stop();
});

const count = async (table: string, where = 'true', params: unknown[] = []) =>
  Number((await graph.sql<{ n: string }>(`select count(*) as n from ${table} where ${where}`, params))[0]!.n);

describe('a NISS is checked on every part of the birth date it encodes, however much of it the register knows', () => {
  const refer = (niss: string, birthDate: string) =>
    graph.query('MEDECIN_CONSEIL', SUBMIT_REFERRAL, {
      input: referralInput({ person: { niss, birthDate } }),
      key: newKey(),
    });

  it.each([
    ['day unknown (00)', '85030089637', '1972-11-03'],
    ['day unknown, other month', '85030089637', '1985-04-17'],
    ['month and day unknown', makeNiss('1985-00-00', 97), '1984-12-31'],
    ['BIS, sex unknown, day unknown', makeNiss('1985-23-00', 98), '1985-04-01'],
    ['BIS, sex known, full date', makeNiss('1985-47-30', 99), '1985-07-29'],
  ])('refuses a birth date that contradicts the NISS (%s), writing nothing', async (_case, niss, birthDate) => {
    const response = await refer(niss, birthDate);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.person.birthDate' });
    expect(response.data).toBeNull();
    expect(await count('participants.participant', 'niss = $1', [niss.replace(/\D/g, '')])).toBe(0);
  });

  it('accepts a birth date that agrees with every part the NISS knows', async () => {
    for (const [niss, birthDate] of [
      ['85030089637', '1985-03-17'],
      [makeNiss('1985-20-00', 96), '1985-11-03'],
    ] as const) {
      const response = await refer(niss, birthDate);
      expect([niss, errorCodes(response)]).toEqual([niss, []]);
    }
  });
});

describe('one referral of a person waits at the single intake (R4, R5): the policy decides a second one, never the service', () => {
  it('answers CONFLICT to every further referral from the same physician while one waits, even sent at once, and keeps one', async () => {
    const input = referralInput();
    const first = await graph.query<{ submitReferral: { referralId: string; participantId: string } }>(
      'MEDECIN_CONSEIL',
      SUBMIT_REFERRAL,
      { input, key: newKey() },
    );
    expect(first.errors).toBeUndefined();
    const { participantId, referralId } = first.data!.submitReferral;
    const again = await Promise.all(
      Array.from({ length: 10 }, () => graph.query('MEDECIN_CONSEIL', SUBMIT_REFERRAL, { input, key: newKey() })),
    );
    expect(again.map((response) => [errorCodes(response), response.errors?.[0]?.extensions?.messageId])).toEqual(
      again.map(() => [['CONFLICT'], 'precondition.noOpenReferral']),
    );
    expect(await count('participants.referral', 'participant_id = $1', [participantId])).toBe(1);
    // What the physician may do with the waiting form is correct it (amendReferral), a new version of the one referral.
    const amended = await graph.query(
      'MEDECIN_CONSEIL',
      'mutation($id: ID!, $input: SubmitReferralInput!, $key: String!) { amendReferral(referralId: $id, input: $input, idempotencyKey: $key) { referralId } }',
      { id: referralId, input, key: newKey() },
    );
    expect(amended.errors).toBeUndefined();
  });
});

describe('no list input takes the same entry twice (every list of every mutation: platform/list-inputs.test.ts)', () => {
  const GIVE = (grants: string) =>
    `mutation($id: ID!) { giveInformationSharingConsent(participantId: $id, grants: ${grants}, signedFormReference: "F-DUP") { participantId } }`;

  it.each([
    [
      'the same recipient twice',
      '[{ recipient: SRE, categories: [IDENTITY] }, { recipient: INAMI, categories: [IDENTITY] }, { recipient: SRE, categories: [CONTACT] }]',
      'grants.2',
    ],
    [
      'the same grant twice',
      '[{ recipient: INAMI, categories: [IDENTITY] }, { recipient: INAMI, categories: [IDENTITY] }]',
      'grants.1',
    ],
    [
      'the same category twice for one recipient',
      '[{ recipient: INAMI, categories: [IDENTITY, CONTACT, IDENTITY] }]',
      'grants.0.categories.2',
    ],
  ])('refuses a consent with %s, naming the repeated entry, writing nothing', async (_name, grants, field) => {
    const person = await seed(graph).person().build();
    const before = await count('participants.consent_grant', 'participant_id = $1', [person.participantId]);
    const response = await graph.query(person.self, GIVE(grants), { id: person.participantId });
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field,
      messageId: 'input.duplicateEntry',
    });
    expect(response.data).toBeNull();
    expect(await count('participants.consent_grant', 'participant_id = $1', [person.participantId])).toBe(before);
  });

  it("refuses a referral whose consent names a recipient twice, in the person's language, writing nothing", async () => {
    const input = referralInput({
      informationSharing: [
        { recipient: 'SRE', categories: ['IDENTITY'] },
        { recipient: 'SRE', categories: ['CONTACT'] },
      ],
    });
    const response = await graph.query(
      'MEDECIN_CONSEIL',
      SUBMIT_REFERRAL,
      { input, key: newKey() },
      { 'accept-language': 'fr' },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.informationSharing.1',
    });
    expect(response.errors?.[0]?.message).toMatch(/^input\.informationSharing\.1 : répète l’entrée 0/);
    expect(await count('participants.participant', 'niss = $1', [input.person.niss])).toBe(0);
  });
});

describe('a request that is not UTF-8 is refused with 400 before anything runs, at the gateway and at each subgraph', () => {
  /** A referral whose family name carries `bytes` where the text would be, sent as raw bytes. */
  const referralBody = (bytes: number[]) => {
    const input = referralInput({ person: { familyName: 'NAME_HERE' } });
    const { query, variables } = withIdempotencyKeys(SUBMIT_REFERRAL, { input, key: newKey() });
    const [before, after] = JSON.stringify({ query, variables }).split('NAME_HERE') as [string, string];
    return {
      niss: input.person.niss,
      body: Buffer.concat([
        Buffer.from(before),
        Buffer.from('Lamb'),
        Buffer.from(bytes),
        Buffer.from('ert'),
        Buffer.from(after),
      ]),
    };
  };
  const send = async (url: string, authorization: string, body: Buffer, contentType = 'application/json') => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization },
      body,
    });
    return {
      status: response.status,
      body: (await response.json()) as {
        data?: unknown;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      },
    };
  };
  const asPhysician = async () => {
    await graph.enrol(DEFAULT_IDENTITY.MEDECIN_CONSEIL);
    return `Bearer ${await graph.tokenFor(DEFAULT_IDENTITY.MEDECIN_CONSEIL)}`;
  };

  it.each([
    ['a Latin-1 byte', [0xe9]],
    ['a lone continuation byte', [0x80]],
    ['an overlong form', [0xc0, 0xaf]],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
  ])('refuses a body holding %s at the gateway, writing nothing', async (_name, bytes) => {
    const { niss, body } = referralBody(bytes);
    for (const contentType of ['application/json', 'application/json; charset=utf-8']) {
      const response = await send(`${graph.platform.gateway.url}graphql`, await asPhysician(), body, contentType);
      expect(response.status).toBe(400);
      expect(response.body.errors?.map((error) => [error.extensions?.code, error.extensions?.messageId])).toEqual([
        ['BAD_REQUEST', 'request.notUtf8'],
      ]);
      expect(response.body.data).toBeUndefined();
    }
    expect(await count('participants.participant', 'niss = $1', [niss])).toBe(0);
  });

  it('refuses a GET whose query string escapes bytes that are not UTF-8', async () => {
    const url = `${graph.platform.gateway.url}graphql?query=%7B%20me%20%7B%20id%20%7D%20%7D&operationName=%FF`;
    const response = await fetch(url, {
      headers: {
        authorization: `Bearer ${await graph.tokenFor(DEFAULT_IDENTITY.PARTICIPANT)}`,
        'apollo-require-preflight': 'true',
      },
    });
    expect(response.status).toBe(400);
    expect(
      ((await response.json()) as { errors: { extensions: { code: string } }[] }).errors.map(
        (error) => error.extensions.code,
      ),
    ).toEqual(['BAD_REQUEST']);
  });

  it('refuses the same body sent straight to a subgraph with a gateway token, writing nothing', async () => {
    const { niss, body } = referralBody([0xff]);
    const token = `Bearer ${await signGatewayToken(DEFAULT_IDENTITY.MEDECIN_CONSEIL, graph.keys.gateway.privateKey)}`;
    const participants = graph.platform.subgraphs.find((subgraph) => subgraph.name === 'participants')!;
    const response = await send(participants.url, token, body);
    expect(response.status).toBe(400);
    expect(response.body.errors?.map((error) => [error.extensions?.code, error.extensions?.messageId])).toEqual([
      ['BAD_REQUEST', 'request.notUtf8'],
    ]);
    expect(await count('participants.participant', 'niss = $1', [niss])).toBe(0);
  });

  it('keeps every character of valid UTF-8, accents and scripts alike', async () => {
    const { niss, body } = referralBody([...Buffer.from('-Ğüç-日本')]);
    const response = await send(`${graph.platform.gateway.url}graphql`, await asPhysician(), body);
    expect([response.status, response.body.errors]).toEqual([200, undefined]);
    expect(await graph.sql('select family_name from participants.participant where niss = $1', [niss])).toEqual([
      { family_name: 'Lamb-Ğüç-日本ert' },
    ]);
  });
});
