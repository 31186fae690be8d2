/**
 * The bad-input class, through the gateway: whatever a client sends that the domain cannot hold is
 * refused with a GraphQL error naming what is wrong (BAD_USER_INPUT and the field, or the request's
 * own code), a 4xx where the whole request is refused, and nothing written.
 */
import { makeNiss } from '../subgraphs/participants/services/niss.js';
import { newKey, referralInput, SUBMIT_REFERRAL } from './fixtures.js';
import { errorCodes, startTestPlatform, type TestPlatform } from './harness.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform();
});
afterAll(async () => {
  await graph?.stop();
});

const count = async (table: string, where = 'true', params: unknown[] = []) => Number((await graph.sql<{ n: string }>(`select count(*) as n from ${table} where ${where}`, params))[0]!.n);

describe('a NISS is checked on every part of the birth date it encodes, however much of it the register knows', () => {
  const refer = (niss: string, birthDate: string) => graph.query('MEDECIN_CONSEIL', SUBMIT_REFERRAL, { input: referralInput({ person: { niss, birthDate } }), key: newKey() });

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
    for (const [niss, birthDate] of [['85030089637', '1985-03-17'], [makeNiss('1985-20-00', 96), '1985-11-03']] as const) {
      const response = await refer(niss, birthDate);
      expect([niss, errorCodes(response)]).toEqual([niss, []]);
    }
  });
});

describe('one referral of a person waits at the single intake (R4, R5): the policy decides a second one, never the service', () => {
  it('answers CONFLICT to every further referral from the same physician while one waits, even sent at once, and keeps one', async () => {
    const input = referralInput();
    const first = await graph.query<{ submitReferral: { referralId: string; participantId: string } }>('MEDECIN_CONSEIL', SUBMIT_REFERRAL, { input, key: newKey() });
    expect(first.errors).toBeUndefined();
    const { participantId, referralId } = first.data!.submitReferral;
    const again = await Promise.all(Array.from({ length: 10 }, () => graph.query('MEDECIN_CONSEIL', SUBMIT_REFERRAL, { input, key: newKey() })));
    expect(again.map((response) => [errorCodes(response), response.errors?.[0]?.extensions?.messageId])).toEqual(again.map(() => [['CONFLICT'], 'precondition.noOpenReferral']));
    expect(await count('participants.referral', 'participant_id = $1', [participantId])).toBe(1);
    // What the physician may do with the waiting form is correct it (amendReferral), a new version of the one referral.
    const amended = await graph.query('MEDECIN_CONSEIL', 'mutation($id: ID!, $input: SubmitReferralInput!, $key: String!) { amendReferral(referralId: $id, input: $input, idempotencyKey: $key) { referralId } }', { id: referralId, input, key: newKey() });
    expect(amended.errors).toBeUndefined();
  });
});
