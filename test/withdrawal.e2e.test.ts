/**
 * Withdrawal as the policy says (schema/policy.ts ON_CONSENT_WITHDRAWN): withdrawing
 * the information-sharing consent (R18) ends the open pathway with reason CONSENT_WITHDRAWN, tells the
 * physician of record only what R16 needs (which pathway, the day, the reason), lets the physician end
 * the recognition of incapacity afterwards, shows the person to no one else, and still counts them in
 * INAMI's registry figures. The consequence travels through the outbox: applied once, never revived.
 */
import { randomUUID } from 'node:crypto';
import type { Identity } from '../schema/identity.js';
import { ON_CONSENT_WITHDRAWN } from '../schema/policy.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
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

const TODAY = belgianToday();
const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-withdrawal' };
const COACH: Identity = { role: 'JOB_COACH', organisation: 'ISPPC', subject: 'coach-withdrawal' };
const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'sup-withdrawal' };
const SRE: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-withdrawal' };
const WITHDRAW =
  'mutation($id: ID!, $key: String!) { withdrawInformationSharingConsent(participantId: $id, idempotencyKey: $key) { participantId } }';
const INBOX = 'query($p: ID!) { physicianInbox(participantId: $p) { edges { node { id kind body sentAt readAt } } } }';
/** The nodes of a connection's page. */
const nodes = <Node>(list: { edges: { node: Node }[] }): Node[] => list.edges.map((edge) => edge.node);

/** A Charleroi person in the IPS arm with their referent coach. */
const ipsPerson = () =>
  seed(graph)
    .person({ postcode: '6000' })
    .referredBy(PHYSICIAN)
    .registered({ convention: 'ISPPC' })
    .withCoach(COACH, { by: SUPERVISOR })
    .routed()
    .build();

async function withdraw(self: Identity, participantId: string, key = randomUUID()) {
  const response = await graph.query(self, WITHDRAW, { id: participantId, key });
  expect(response.errors).toBeUndefined();
  await graph.outboxSettled();
  return response;
}

const pathwayRow = async (pathwayId: string) =>
  (
    await graph.sql<{
      status: string;
      end_reason: string | null;
      ended_on: string | null;
      ended_by: string | null;
      ended_at: Date | null;
    }>(
      "select status, end_reason, to_char(ended_on, 'YYYY-MM-DD') as ended_on, ended_by, ended_at from pathways.pathway where id = $1",
      [pathwayId],
    )
  )[0]!;

describe('withdrawing the information-sharing consent (R16, R18)', () => {
  it('ends the pathway with reason CONSENT_WITHDRAWN, by whoever withdrew, on the day of the withdrawal', async () => {
    const person = await ipsPerson();
    const started = performance.now();
    await withdraw(person.self, person.participantId);
    console.log(
      `Withdrawal: mutation answered and its consequence applied by pathways (outbox, LISTEN/NOTIFY) in ${Math.round(performance.now() - started)} ms`,
    );
    expect(await pathwayRow(person.pathwayId)).toMatchObject({
      status: 'ENDED',
      end_reason: 'CONSENT_WITHDRAWN',
      ended_on: TODAY,
      ended_by: 'PARTICIPANT',
    }); // never the person's national number
    const [event] = await graph.sql<{ topic: string; producer: string; payload: Record<string, unknown> }>(
      'select topic, producer, payload from access.outbox where participant_id = $1',
      [person.participantId],
    );
    expect(event).toEqual({
      topic: ON_CONSENT_WITHDRAWN.event,
      producer: 'participants',
      payload: { withdrawnOn: TODAY, withdrawnBy: 'PARTICIPANT', withdrawnByRole: 'PARTICIPANT' },
    });
  });

  it('tells the physician of record the pathway, the day and the reason — nothing else', async () => {
    const person = await ipsPerson();
    const [{ registry_number: registryNumber }] = (await graph.sql<{ registry_number: string }>(
      'select registry_number from pathways.pathway where id = $1',
      [person.pathwayId],
    )) as [{ registry_number: string }];
    await withdraw(person.self, person.participantId);

    const inbox = await graph.query<{
      physicianInbox: { edges: { node: { id: string; kind: string; body: string; readAt: string | null } }[] };
    }>(PHYSICIAN, INBOX, { p: person.participantId });
    expect(inbox.errors).toBeUndefined();
    expect(nodes(inbox.data!.physicianInbox)).toEqual([
      {
        id: expect.any(String),
        kind: 'PATHWAY_ENDED',
        body: `Pathway ${registryNumber} ended on ${new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${TODAY}T00:00:00Z`))} (Information-sharing consent withdrawn).`,
        sentAt: expect.any(String),
        readAt: null,
      },
    ]);
    // Who withdrew, the pathway record and the person's record stay under the (withdrawn) consent.
    const more = await graph.query<{
      physicianInbox: { edges: { node: { sentBy: string | null; pathway: unknown; participant: unknown } }[] };
    }>(
      PHYSICIAN,
      'query($p: ID!) { physicianInbox(participantId: $p) { edges { node { sentBy pathway { registryNumber } participant { givenName } } } } }',
      { p: person.participantId },
    );
    expect(nodes(more.data!.physicianInbox)).toEqual([{ sentBy: null, pathway: null, participant: null }]);
    expect(new Set(errorCodes(more))).toEqual(new Set(['FORBIDDEN']));
    // The notice is the only message the physician still reads of this person: earlier ones stay hidden.
    const [{ n }] = (await graph.sql<{ n: number }>(
      'select count(*)::int as n from pathways.physician_message where participant_id = $1 and notice',
      [person.participantId],
    )) as [{ n: number }];
    expect(n).toBe(1);

    // The physician may mark the notice read (ON_CONSENT_WITHDRAWN.stillAllowed).
    const read = await graph.query<{ markPhysicianMessageRead: { readAt: string } }>(
      PHYSICIAN,
      'mutation($id: ID!) { markPhysicianMessageRead(id: $id) { readAt } }',
      { id: nodes(inbox.data!.physicianInbox)[0]!.id },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.markPhysicianMessageRead.readAt).toEqual(expect.any(String));
    // Another physician of the same insurer is not the addressee.
    const colleague = await graph.query<{ physicianInbox: { edges: { node: unknown }[] } }>(
      { ...PHYSICIAN, subject: 'dr-colleague' },
      INBOX,
      { p: person.participantId },
    );
    expect(nodes(colleague.data!.physicianInbox)).toEqual([]);
  });

  it('lets the physician of record end the incapacity recognition afterwards (R16), and no one else', async () => {
    const person = await ipsPerson();
    const END_INCAPACITY =
      'mutation($id: ID!, $on: LocalDate!) { endIncapacityRecognition(participantId: $id, endedOn: $on) { __typename } }';
    const early = await graph.query(PHYSICIAN, END_INCAPACITY, { id: person.participantId, on: TODAY });
    expect(errorCodes(early)).toEqual(['CONFLICT']); // the pathway is open (R16)
    await withdraw(person.self, person.participantId);
    const oa = await graph.query('OA', END_INCAPACITY, { id: person.participantId, on: TODAY });
    expect(errorCodes(oa)).toEqual(['GRAPHQL_VALIDATION_FAILED']); // not in the OA's schema at all
    const stranger = await graph.query({ ...PHYSICIAN, subject: 'dr-stranger' }, END_INCAPACITY, {
      id: person.participantId,
      on: TODAY,
    });
    expect(errorCodes(stranger)).toEqual(['NOT_FOUND']); // not their patient: as if absent
    const ended = await graph.query(PHYSICIAN, END_INCAPACITY, { id: person.participantId, on: TODAY });
    expect(ended.errors).toBeUndefined();
    expect(
      await graph.sql(
        "select to_char(incapacity_ended_on, 'YYYY-MM-DD') as d from participants.participant where id = $1",
        [person.participantId],
      ),
    ).toEqual([{ d: TODAY }]);
  });

  it('shows the person to no one in their former circle: no identified read', async () => {
    const person = await ipsPerson();
    await withdraw(person.self, person.participantId);
    const readers: (Identity | 'INAMI' | 'OA')[] = [PHYSICIAN, COACH, SUPERVISOR, SRE, 'INAMI', 'OA'];
    for (const reader of readers) {
      const response = await graph.query(
        reader,
        'query($id: ID!, $p: ID!) { participant(id: $id) { id niss } pathway(id: $p) { id status } }',
        { id: person.participantId, p: person.pathwayId },
      );
      expect({ reader, data: response.data }).toEqual({ reader, data: { participant: null, pathway: null } });
    }
    const registry = await graph.query<{ registry: { edges: { node: { id: string } }[] } }>(
      'INAMI',
      '{ registry(first: 500) { edges { node { id } } } }',
    );
    expect(nodes(registry.data!.registry).map((p) => p.id)).not.toContain(person.participantId);
    const patients = await graph.query<{ patients: { edges: { node: { id: string } }[] } }>(
      PHYSICIAN,
      '{ patients(first: 500) { edges { node { id } } } }',
    );
    expect(nodes(patients.data!.patients).map((p) => p.id)).not.toContain(person.participantId);
    const caseload = await graph.query<{ caseload: { pathway: { id: string } | null }[] }>(
      COACH,
      '{ caseload { pathway { id } } }',
    );
    expect(caseload.data!.caseload.map((entry) => entry.pathway?.id)).not.toContain(person.pathwayId);
    // The person still sees their own record.
    const me = await graph.query<{ me: { pathway: { status: string; endReason: string } } }>(
      person.self,
      '{ me { pathway { status endReason } } }',
    );
    expect(me.data!.me.pathway).toEqual({ status: 'ENDED', endReason: 'CONSENT_WITHDRAWN' });
  });

  it("still counts the person in INAMI's registry figures, without naming them", async () => {
    const person = await ipsPerson();
    await withdraw(person.self, person.participantId);
    type Count = { region: string; ipsPartner: string; status: string; endReason: string | null; pathways: number };
    const counts = await graph.query<{ registryCounts: Count[] }>(
      'INAMI',
      '{ registryCounts { region ipsPartner status endReason pathways } }',
    );
    expect(counts.errors).toBeUndefined();
    const [{ n }] = (await graph.sql<{ n: number }>('select count(*)::int as n from pathways.pathway')) as [
      { n: number },
    ];
    expect(counts.data!.registryCounts.reduce((sum, row) => sum + row.pathways, 0)).toBe(n);
    expect(counts.data!.registryCounts).toContainEqual({
      region: 'WALLONIA',
      ipsPartner: 'ISPPC',
      status: 'ENDED',
      endReason: 'CONSENT_WITHDRAWN',
      pathways: expect.any(Number),
    });
    // Exact figures: INAMI's alone (integrators read the disclosure-controlled tables); never a coach's.
    expect(errorCodes(await graph.query('INTEGRATOR', '{ registryCounts { pathways } }'))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(errorCodes(await graph.query(COACH, '{ registryCounts { pathways } }'))).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]); // not in the coach's schema
  });

  it('applies each event once: a retried withdrawal, a replayed event and concurrent wake-ups change nothing more', async () => {
    const person = await ipsPerson();
    const key = randomUUID();
    await withdraw(person.self, person.participantId, key);
    const first = await pathwayRow(person.pathwayId);
    await withdraw(person.self, person.participantId, key); // the same request: replayed, no new event
    await withdraw(person.self, person.participantId); // nothing left in force: no event
    const events = await graph.sql<{ id: string }>('select id from access.outbox where participant_id = $1', [
      person.participantId,
    ]);
    expect(events).toHaveLength(1);

    // The event delivered again (as after a crash between applying and marking): the pathway is already ended, no second notice.
    await graph.sql('delete from access.outbox_applied where event_id = $1', [events[0]!.id]);
    await Promise.all(Array.from({ length: 5 }, () => graph.sql("select pg_notify('ips_outbox', 'replay')")));
    await graph.outboxSettled();
    expect(await pathwayRow(person.pathwayId)).toEqual(first);
    expect(
      await graph.sql(
        'select count(*)::int as n from pathways.physician_message where participant_id = $1 and notice',
        [person.participantId],
      ),
    ).toEqual([{ n: 1 }]);
    expect(
      await graph.sql('select count(*)::int as n from access.outbox_applied where event_id = $1', [events[0]!.id]),
    ).toEqual([{ n: 1 }]);
    // The application role may not rewrite history: the outbox is append-only for it.
    await expect(
      graph.roleSql('participants', 'delete from access.outbox where id = $1', [events[0]!.id]),
    ).rejects.toThrow(/permission denied/);
  });

  it('applies an event no one was woken for (the poll), and an event that cannot be applied holds up no other', async () => {
    const [stuck, waiting] = [await ipsPerson(), await ipsPerson()];
    // Written as the participants subgraph would, but without the NOTIFY: as if no pathways instance listened then.
    const insert = (participantId: string, withdrawnOn: string) =>
      graph.sql(
        "insert into access.outbox (id, topic, producer, participant_id, payload) values (gen_random_uuid(), $1, 'participants', $2, $3) returning id",
        [
          ON_CONSENT_WITHDRAWN.event,
          participantId,
          JSON.stringify({ withdrawnOn, withdrawnBy: 'PARTICIPANT', withdrawnByRole: 'PARTICIPANT' }),
        ],
      );
    const [poison] = await insert(stuck.participantId, 'not a day');
    await insert(waiting.participantId, TODAY);
    const deadline = Date.now() + 10_000;
    while ((await pathwayRow(waiting.pathwayId)).status === 'OPEN' && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await pathwayRow(waiting.pathwayId)).toMatchObject({ status: 'ENDED', end_reason: 'CONSENT_WITHDRAWN' });
    expect((await pathwayRow(stuck.pathwayId)).status).toBe('OPEN'); // rolled back whole: nothing half-applied, retried later
    expect(
      await graph.sql('select count(*)::int as n from access.outbox_applied where event_id = $1', [poison!.id]),
    ).toEqual([{ n: 0 }]);
    await graph.sql('delete from access.outbox where id = $1', [poison!.id]); // (the test's own forgery)
  });

  it('is not revivable: consent given again opens nothing, and no one ends a pathway "for withdrawal" by hand', async () => {
    const person = await ipsPerson();
    await withdraw(person.self, person.participantId);
    const again = await graph.query(
      person.self,
      'mutation($id: ID!) { giveInformationSharingConsent(participantId: $id, grants: [{ recipient: IPS_PARTNER, categories: [ADMINISTRATIVE, EMPLOYMENT] }, { recipient: HEALTH_INSURER, categories: [ADMINISTRATIVE] }], signedFormReference: "CONSENT-AGAIN") { participantId } }',
      { id: person.participantId },
    );
    expect(again.errors).toBeUndefined();
    await graph.outboxSettled();
    const seen = await graph.query<{ pathway: { status: string; endReason: string } }>(
      COACH,
      'query($p: ID!) { pathway(id: $p) { status endReason } }',
      { p: person.pathwayId },
    );
    expect(seen.data!.pathway).toEqual({ status: 'ENDED', endReason: 'CONSENT_WITHDRAWN' });
    const act = await graph.query(
      COACH,
      'mutation($input: RecordPathwayActInput!) { recordPathwayAct(input: $input) { id } }',
      { input: { pathwayId: person.pathwayId, kind: 'RP1IPS_SENT', actOn: TODAY } },
    );
    expect(errorCodes(act)).toEqual(['CONFLICT']);

    const other = await ipsPerson();
    const byHand = await graph.query(
      COACH,
      'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status } }',
      { input: { pathwayId: other.pathwayId, endedOn: TODAY, reason: 'CONSENT_WITHDRAWN' } },
    );
    expect(byHand.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    expect((await pathwayRow(other.pathwayId)).status).toBe('OPEN');
  });

  it('ends a control-group pathway the same way, the physician told the same', async () => {
    const person = await seed(graph)
      .person({ postcode: '6000' })
      .referredBy(PHYSICIAN)
      .registered({ convention: 'ISPPC' })
      .randomised({ arm: 'CONTROL' })
      .routed()
      .build();
    // The physician withdraws on the person's behalf, with the signed form (R1e).
    const withdrawn = await graph.query(
      PHYSICIAN,
      'mutation($id: ID!) { withdrawInformationSharingConsent(participantId: $id, signedFormReference: "WITHDRAWAL-FORM-1") { participantId } }',
      { id: person.participantId },
    );
    expect(withdrawn.errors).toBeUndefined();
    await graph.outboxSettled();
    expect(await pathwayRow(person.pathwayId)).toMatchObject({
      status: 'ENDED',
      end_reason: 'CONSENT_WITHDRAWN',
      ended_by: PHYSICIAN.subject,
    });
    const inbox = await graph.query<{ physicianInbox: { edges: { node: { kind: string } }[] } }>(PHYSICIAN, INBOX, {
      p: person.participantId,
    });
    expect(nodes(inbox.data!.physicianInbox).map((m) => m.kind)).toEqual(['PATHWAY_ENDED']);
  });
});
