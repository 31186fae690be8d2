/**
 * Decisions carry reasons (R15, art. 100 §2): the advising physician who refuses a work authorisation says why, with
 * the category of what they wrote — as INAMI does when it refuses a data request — and the coach who asked and the
 * person read it as the read policy and the person's consent allow.
 */
import { belgianToday } from '../subgraphs/kit/domain.js';
import { DEFAULT_IDENTITY, startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

let graph: TestPlatform;
beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial();
}, 120_000);
afterAll(async () => {
  await graph?.stop();
});

const TODAY = belgianToday();
const PHYSICIAN = DEFAULT_IDENTITY.MEDECIN_CONSEIL;
const COACH = DEFAULT_IDENTITY.JOB_COACH;
const DECIDE =
  'mutation($id: ID!, $granted: Boolean!, $reason: String, $reasonCategory: DataCategory) { decideWorkAuthorisation(id: $id, granted: $granted, reason: $reason, reasonCategory: $reasonCategory) { decision decisionReason } }';
const COACH_READS = 'query($id: ID!) { pathway(id: $id) { contracts { authorisation { decision decisionReason } } } }';
const PERSON_READS = '{ me { pathway { contracts { authorisation { decision decisionReason } } } } }';

async function must<T>(response: Promise<GraphQLResponse<T>>): Promise<T> {
  const answer = await response;
  if (answer.errors) throw new Error(`set-up failed: ${JSON.stringify(answer.errors)}`);
  return answer.data!;
}

/** A person followed by the coach, with a contract whose authorisation waits for the physician. */
async function pending() {
  const person = await seed(graph)
    .person()
    .referredBy(PHYSICIAN)
    .registered({ convention: 'ARTICLE-23' })
    .withCoach(COACH)
    .routed()
    .build();
  const recorded = await must(
    graph.query<{ recordEmploymentContract: { authorisation: { id: string } } }>(
      COACH,
      'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { authorisation { id } } }',
      {
        input: {
          pathwayId: person.pathwayId,
          employer: 'Colruyt',
          employerNumber: '0203201340',
          jobFunction: 'Magasinier de nuit',
          startsOn: TODAY,
          weeklyHours: 38,
          contractType: 'FIXED_TERM',
        },
      },
    ),
  );
  return { person, authorisationId: recorded.recordEmploymentContract.authorisation.id };
}
const stored = async (id: string) =>
  (
    await graph.sql<{ decision: string; decision_reason: string | null; decision_reason_category: string | null }>(
      'select decision, decision_reason, decision_reason_category from pathways.work_authorisation where id = $1',
      [id],
    )
  )[0];

describe('a work authorisation decision carries its reason (R15, art. 100 §2)', () => {
  it('refuses a refusal without a reason, naming the field, and decides nothing', async () => {
    const { authorisationId } = await pending();
    for (const reason of [undefined, '   ']) {
      const response = await graph.query(PHYSICIAN, DECIDE, { id: authorisationId, granted: false, reason });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
      expect(response.errors?.[0]?.message).toBe(
        'reason: say why the work authorisation is refused (art. 100 §2): the coach and the person read it',
      );
    }
    expect(await stored(authorisationId)).toEqual({
      decision: 'PENDING',
      decision_reason: null,
      decision_reason_category: 'administrative',
    });
  });

  it('stores a refusal with its reason and category; the coach who asked and the person read it', async () => {
    const { person, authorisationId } = await pending();
    const reason = 'Un horaire de nuit à temps plein dès la reprise : à revoir avec un horaire de jour à mi-temps.';
    const decided = await graph.query(PHYSICIAN, DECIDE, {
      id: authorisationId,
      granted: false,
      reason,
      reasonCategory: 'EMPLOYMENT',
    });
    expect(decided.errors).toBeUndefined();
    expect(decided.data).toEqual({ decideWorkAuthorisation: { decision: 'REFUSED', decisionReason: reason } });
    expect(await stored(authorisationId)).toEqual({
      decision: 'REFUSED',
      decision_reason: reason,
      decision_reason_category: 'employment',
    });
    const coach = await graph.query<{ pathway: { contracts: { authorisation: unknown }[] } }>(COACH, COACH_READS, {
      id: person.pathwayId,
    });
    expect(coach.errors).toBeUndefined();
    expect(coach.data!.pathway.contracts.map((contract) => contract.authorisation)).toEqual([
      { decision: 'REFUSED', decisionReason: reason },
    ]);
    const self = await graph.query<{ me: { pathway: { contracts: { authorisation: unknown }[] } } }>(
      person.self,
      PERSON_READS,
    );
    expect(self.errors).toBeUndefined();
    expect(self.data!.me.pathway.contracts.map((contract) => contract.authorisation)).toEqual([
      { decision: 'REFUSED', decisionReason: reason },
    ]);
  });

  it('shows the reason under its own category: once the person narrows employment for their IPS partner, the coach no longer reads it, the person still does', async () => {
    const { person, authorisationId } = await pending();
    const reason = 'Contrat de 38 heures : trop tôt, proposer 19 heures.';
    await must(
      graph.query(PHYSICIAN, DECIDE, { id: authorisationId, granted: false, reason, reasonCategory: 'EMPLOYMENT' }),
    );
    await must(
      graph.query(
        person.self,
        'mutation($id: ID!) { narrowInformationSharingConsent(participantId: $id, revoke: [{ recipient: IPS_PARTNER, categories: [EMPLOYMENT] }]) { participantId } }',
        { id: person.participantId },
      ),
    );
    const coach = await graph.query<{
      pathway: { contracts: { authorisation: { decision: string; decisionReason: string | null } | null }[] } | null;
    }>(COACH, COACH_READS, { id: person.pathwayId });
    expect(JSON.stringify(coach.data)).not.toContain('19 heures');
    const self = await graph.query<{ me: { pathway: { contracts: { authorisation: unknown }[] } } }>(
      person.self,
      PERSON_READS,
    );
    expect(self.data!.me.pathway.contracts.map((contract) => contract.authorisation)).toEqual([
      { decision: 'REFUSED', decisionReason: reason },
    ]);
  });

  it('refuses a health reason, which neither the coach nor the reference counsellor may ever read, and decides nothing', async () => {
    const { authorisationId } = await pending();
    const response = await graph.query(PHYSICIAN, DECIDE, {
      id: authorisationId,
      granted: false,
      reason: 'Décompensation récente.',
      reasonCategory: 'HEALTH',
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reasonCategory' });
    expect(await stored(authorisationId)).toEqual({
      decision: 'PENDING',
      decision_reason: null,
      decision_reason_category: 'administrative',
    });
  });

  it('grants without a reason; one given is kept', async () => {
    const first = await pending();
    expect(await must(graph.query(PHYSICIAN, DECIDE, { id: first.authorisationId, granted: true }))).toEqual({
      decideWorkAuthorisation: { decision: 'GRANTED', decisionReason: null },
    });
    const second = await pending();
    expect(
      await must(
        graph.query(PHYSICIAN, DECIDE, { id: second.authorisationId, granted: true, reason: 'Mi-temps compatible.' }),
      ),
    ).toEqual({ decideWorkAuthorisation: { decision: 'GRANTED', decisionReason: 'Mi-temps compatible.' } });
    expect(await stored(second.authorisationId)).toEqual({
      decision: 'GRANTED',
      decision_reason: 'Mi-temps compatible.',
      decision_reason_category: 'administrative',
    });
  });
});
