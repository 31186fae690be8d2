/**
 * The timeline tells the truth: events are ordered by the day they happened, then
 * in the order they were recorded — a day-only event (a session held, a meeting held) never sits
 * at midnight UTC before the registration of the same day — and each event names who did it, from
 * the recorded row's author: the coach who recorded the contract asked for the authorisation (R15),
 * the coach held the meeting (R11), the partner's supervisor recorded who came (R11).
 */
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { startTestPlatform, type TestPlatform } from './harness.js';
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
const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-timeline' };
const COACH: Identity = { role: 'JOB_COACH', organisation: 'ISPPC', subject: 'coach-timeline' };
const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'sup-timeline' };
const SRE: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-timeline' };
type Event = { on: string; recordedAt: string; kind: string; actor: string | null };

let events: Event[];
beforeAll(async () => {
  const person = await seed(graph)
    .person({ postcode: '6000' })
    .referredBy(PHYSICIAN)
    .registered({ convention: 'ISPPC' })
    .withCoach(COACH, { by: SUPERVISOR })
    .routed()
    .build();
  const must = async (identity: Identity, query: string, variables: Record<string, unknown>) => {
    const response = await graph.query<Record<string, { id?: string; authorisation?: { id: string } }>>(
      identity,
      query,
      variables,
    );
    if (response.errors) throw new Error(JSON.stringify(response.errors));
    return response.data!;
  };
  const { organiseWelcomeSession } = await must(
    SRE,
    'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }',
    { input: { ipsPartner: 'ISPPC', heldOn: TODAY, place: 'FOREM Charleroi', pathwayIds: [person.pathwayId] } },
  );
  await must(
    SUPERVISOR,
    'mutation($id: ID!, $present: [ID!]!, $on: LocalDate!) { recordWelcomeAttendance(sessionId: $id, present: $present, firstMeetingOn: $on) { id } }',
    { id: organiseWelcomeSession!.id, present: [person.pathwayId], on: TODAY },
  );
  const [meeting] = await graph.sql<{ id: string }>(
    'select id from pathways.individual_meeting where pathway_id = $1',
    [person.pathwayId],
  );
  await must(COACH, 'mutation($id: ID!, $on: LocalDate!) { recordMeetingHeld(meetingId: $id, heldOn: $on) { id } }', {
    id: meeting!.id,
    on: TODAY,
  });
  const { recordEmploymentContract } = await must(
    COACH,
    'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id authorisation { id } } }',
    {
      input: {
        pathwayId: person.pathwayId,
        employer: 'Colruyt',
        employerNumber: '0203201340',
        jobFunction: 'Magasinier',
        startsOn: TODAY,
        weeklyHours: 20,
        contractType: 'FIXED_TERM',
      },
    },
  );
  await must(PHYSICIAN, 'mutation($id: ID!) { decideWorkAuthorisation(id: $id, granted: true) { decision } }', {
    id: recordEmploymentContract!.authorisation!.id,
  });
  const response = await graph.query<{ pathway: { timeline: Event[] } }>(
    COACH,
    'query($id: ID!) { pathway(id: $id) { timeline { on recordedAt kind actor } } }',
    { id: person.pathwayId },
  );
  expect(response.errors).toBeUndefined();
  events = response.data!.pathway.timeline;
});

const indexOf = (kind: string) => events.findIndex((event) => event.kind === kind);
const actorOf = (kind: string) => events.find((event) => event.kind === kind)?.actor;

it('orders events by day, then in the order they were recorded: the registration comes first, a session held today after it', () => {
  expect(events[0]!.kind).toBe('PATHWAY_REGISTERED');
  expect(events.every((event) => event.on === TODAY)).toBe(true);
  const order = events.map((event) => `${event.on} ${event.recordedAt}`);
  expect(order).toEqual([...order].sort());
  expect(indexOf('WELCOME_SESSION_ATTENDED')).toBeGreaterThan(indexOf('WELCOME_SESSION_INVITED'));
  expect(indexOf('MEETING_HELD')).toBeGreaterThan(indexOf('WELCOME_SESSION_ATTENDED'));
  expect(indexOf('AUTHORISATION_GRANTED')).toBeGreaterThan(indexOf('AUTHORISATION_REQUESTED'));
});

it('names the coach who recorded the contract as the one who asked for the authorisation, not the physician (R15)', () => {
  expect(actorOf('AUTHORISATION_REQUESTED')).toBe(COACH.subject);
  expect(actorOf('AUTHORISATION_GRANTED')).toBe(PHYSICIAN.subject);
});

it('names the coach who held the meeting, not the supervisor who planned it (R11)', () => {
  expect(actorOf('MEETING_HELD')).toBe(COACH.subject);
  expect(actorOf('MEETING_SCHEDULED')).toBe(SUPERVISOR.subject);
});

it('names the supervisor who recorded who came, not the SRE agent who organised the session (R8, R11)', () => {
  expect(actorOf('WELCOME_SESSION_ATTENDED')).toBe(SUPERVISOR.subject);
  expect(actorOf('WELCOME_SESSION_INVITED')).toBe(SRE.subject);
  expect(events.every((event) => event.actor)).toBe(true);
});
