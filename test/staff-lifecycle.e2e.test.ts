/**
 * Staff who leave (RELATIONS' `staff`, R11, R14, R9): a relation matched on a staff member's
 * subject — the physician of record, the referent job coach, the reference counsellor — holds for
 * reads as for writes only while the directory lists the person as active in that function. The
 * same person ended by their organisation reads nothing of their former people from the next
 * request, through any root field of their role's schema (lists, lookups, nested paths, walked
 * generically from the schema) and through `_entities`; the supervisor sees the people of a coach
 * who left as unassigned at once, and hands them to another coach.
 */
import { readFileSync } from 'node:fs';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { signGatewayToken } from '../gateway/identity.js';
import { roleSupergraphPath } from '../platform/compose.js';
import { apiSchemaOf } from '../platform/contracts.js';
import type { Identity, Role } from '../schema/identity.js';
import {
  CIRCLE,
  REFERENT,
  RELATIONS,
  STAFF_FUNCTIONS,
  type Relation,
  type RelationName,
  type StaffFunction,
} from '../schema/policy.js';
import { ASSIGN_JOB_COACH } from './fixtures.js';
import { startTestPlatform, type TestPlatform } from './harness.js';
import { seed } from './seed.js';

const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-leaver' };
const COACH: Identity = { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-leaver' };
const NEXT_COACH: Identity = { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-taking-over' };
const COUNSELLOR: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-leaver' };
const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ARTICLE-23', subject: 'supervisor-article-23' };
const SRE_DESK: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-desk' };

/** Every relation matched on a staff member's subject, with the person who holds it here: the policy decides which these are. */
const LEAVERS: Record<string, Identity> = {
  physicianOfRecord: PHYSICIAN,
  referentCoach: COACH,
  referentCounsellor: COUNSELLOR,
};
const STAFF_RELATIONS = (Object.entries(RELATIONS) as [RelationName, Relation][]).filter(
  ([, relation]) => relation.staff !== undefined,
);

interface Person {
  participantId: string;
  niss: string;
  pathwayId: string;
  referralId: string;
  registryNumber?: string;
}

let graph: TestPlatform;
let ipsPerson: Person;
let controlPerson: Person;

const ok = async <T>(pending: Promise<{ data?: T | null; errors?: unknown[] }>): Promise<T> => {
  const response = await pending;
  if (response.errors?.length || !response.data) throw new Error(JSON.stringify(response.errors ?? response));
  return response.data;
};

/** The people each relation reaches: the IPS-arm person (their physician and coach), the control-group person (their counsellor). */
const personOf = (relation: RelationName): Person => (relation === 'referentCounsellor' ? controlPerson : ipsPerson);

beforeAll(async () => {
  graph = await startTestPlatform();
  await seed(graph).trial();
  const ips = await seed(graph)
    .person()
    .referredBy(PHYSICIAN)
    .registered({ convention: 'ARTICLE-23' })
    .withCoach(COACH)
    .build();
  const control = await seed(graph)
    .person()
    .referredBy(PHYSICIAN)
    .registered({ convention: 'ARTICLE-23' })
    .randomised({ arm: 'CONTROL' })
    .build();
  await graph.enrol(COUNSELLOR);
  await ok(
    graph.query(
      SRE_DESK,
      'mutation($input: AssignReferenceCounsellorInput!) { assignReferenceCounsellor(input: $input) { id } }',
      { input: { pathwayId: control.pathwayId, referenceCounsellor: COUNSELLOR.subject } },
    ),
  );
  const withNumbers = async (person: {
    participantId: string;
    niss: string;
    pathwayId: string;
    referralId: string;
  }): Promise<Person> => {
    const [row] = await graph.sql<{ registry_number: string }>(
      'select registry_number from pathways.pathway where id = $1',
      [person.pathwayId],
    );
    return {
      participantId: person.participantId,
      niss: person.niss,
      pathwayId: person.pathwayId,
      referralId: person.referralId,
      registryNumber: row?.registry_number,
    };
  };
  ipsPerson = await withNumbers(ips);
  controlPerson = await withNumbers(control);
}, 240_000);
afterAll(async () => {
  await graph?.stop();
});

/** A root field's arguments from what the person is known by; undefined when a required one cannot be given. */
function argumentsFor(field: GraphQLField<unknown, unknown>, person: Person): Record<string, unknown> | undefined {
  const byName: Record<string, unknown> = {
    participantId: person.participantId,
    pathwayId: person.pathwayId,
    referralId: person.referralId,
    niss: person.niss,
    registryNumber: person.registryNumber,
  };
  const byType: Record<string, unknown> = {
    Participant: person.participantId,
    Pathway: person.pathwayId,
    Referral: person.referralId,
  };
  const args: Record<string, unknown> = {};
  for (const arg of field.args) {
    const value =
      arg.name === 'id' ? byType[getNamedType(field.type).name] : arg.name === 'first' ? 100 : byName[arg.name];
    if (value !== undefined) args[arg.name] = value;
    else if (isNonNullType(arg.type) && arg.defaultValue === undefined) return undefined;
  }
  return args;
}

/** Every field reachable from a type down to `depth`, with no required argument (the answer's whole shape). */
function selectionOf(schema: GraphQLSchema, typeName: string, depth: number): string {
  const type = schema.getType(typeName);
  if (!isObjectType(type) && !isInterfaceType(type)) return '';
  const parts = ['__typename'];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isScalarType(named) || isEnumType(named)) parts.push(field.name);
    else if (depth > 1 && !isUnionType(named)) {
      const inner = selectionOf(schema, named.name, depth - 1);
      if (inner) parts.push(`${field.name} { ${inner} }`);
    }
  }
  return parts.join(' ');
}

const literal = (value: unknown) => JSON.stringify(value);

/** One query per root field of the role's schema that can name the person or lists people, as deep as the request limits allow. */
function walkQueries(role: Role, person: Person): { field: string; query: string }[] {
  const schema = apiSchemaOf(readFileSync(roleSupergraphPath(role), 'utf8'));
  const queries: { field: string; query: string }[] = [];
  for (const field of Object.values(schema.getQueryType()!.getFields())) {
    if (field.name.startsWith('_') || field.name === 'vocabulary') continue;
    const args = argumentsFor(field, person);
    if (!args) continue;
    const named = getNullableType(field.type);
    const call = Object.keys(args).length
      ? `${field.name}(${Object.entries(args)
          .map(([name, value]) => `${name}: ${literal(value)}`)
          .join(', ')})`
      : field.name;
    if (isScalarType(getNamedType(named)) || isEnumType(getNamedType(named))) {
      queries.push({ field: field.name, query: `{ ${call} }` });
      continue;
    }
    // The deepest selection under the gateway's token limit (3 000).
    for (const depth of [5, 4, 3, 2]) {
      const query = `{ ${call} { ${selectionOf(schema, getNamedType(named).name, depth)} } }`;
      if (query.split(/[\s{}(),:]+/).length < 2_400 || depth === 2) {
        queries.push({ field: field.name, query });
        break;
      }
    }
  }
  return queries;
}

/** Whatever of the person's identifiers each root field's answer holds. */
async function whatTheyRead(as: Identity, person: Person): Promise<Record<string, string[]>> {
  const identifiers = [
    person.participantId,
    person.niss,
    person.pathwayId,
    person.referralId,
    person.registryNumber,
  ].filter((id): id is string => Boolean(id));
  const found: Record<string, string[]> = {};
  for (const { field, query } of walkQueries(as.role, person)) {
    const response = await graph.query(as, query);
    expect({
      field,
      status: response.status < 500,
      internal: (response.errors ?? []).filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR'),
    }).toEqual({ field, status: true, internal: [] });
    const text = JSON.stringify(response.data ?? null);
    const hits = identifiers.filter((id) => text.includes(id));
    if (hits.length) found[field] = hits;
  }
  return found;
}

/** `_entities` at the subgraphs, with a gateway-signed token: each entity of the person, the ids that come back. */
async function entitiesRead(as: Identity, person: Person): Promise<string[]> {
  const token = `Bearer ${await signGatewayToken(as, graph.keys.gateway.privateKey)}`;
  const probes = [
    { subgraph: 'participants', typename: 'Participant', id: person.participantId },
    { subgraph: 'participants', typename: 'Referral', id: person.referralId },
    { subgraph: 'pathways', typename: 'Pathway', id: person.pathwayId },
  ] as const;
  const read: string[] = [];
  for (const { subgraph, typename, id } of probes) {
    const response = await graph.querySubgraph(
      subgraph,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${typename} { id } } }`,
      token,
      { r: [{ __typename: typename, id }] },
    );
    const entity = (response.data as { _entities?: ({ id: string } | null)[] } | undefined)?._entities?.[0];
    if (entity) read.push(`${typename}:${entity.id}`);
  }
  return read;
}

const endMembership = (member: Identity, staff: StaffFunction) =>
  ok(
    graph.query(
      { role: STAFF_FUNCTIONS[staff].maintainedBy, organisation: member.organisation, subject: 'directory-admin' },
      'mutation($subject: String!, $function: StaffFunction!) { endStaffMembership(subject: $subject, function: $function) { subject } }',
      { subject: member.subject, function: staff },
    ),
  );

describe('a relation held by subject holds only while the staff membership is active', () => {
  it('binds each subject-matched relation to the staff function of the role that reads through it', () => {
    expect(STAFF_RELATIONS.map(([name]) => name).sort()).toEqual(Object.keys(LEAVERS).sort());
  });

  // Before: the walk reaches the person through the relation (so that "nothing" after it means something).
  // After: nothing of theirs in any answer, from the very next request.
  it.each(STAFF_RELATIONS.map(([name, relation]) => ({ name, staff: relation.staff! })))(
    '$name: the member reads their people, then nothing of them once the membership ended',
    async ({ name, staff }) => {
      const member = LEAVERS[name]!;
      const person = personOf(name);
      const role = STAFF_FUNCTIONS[staff].role;
      const readsThroughCircle = CIRCLE[role] === name;
      const before = await whatTheyRead(member, person);
      if (readsThroughCircle) {
        expect(Object.keys(before).length).toBeGreaterThan(1);
        expect((await entitiesRead(member, person)).length).toBeGreaterThan(0);
      }
      if (REFERENT[role] === name) expect(before.caseload).toBeDefined();

      await endMembership(member, staff);

      const after = await whatTheyRead(member, person);
      if (readsThroughCircle) {
        expect({ name, after }).toEqual({ name, after: {} });
        expect({ name, entities: await entitiesRead(member, person) }).toEqual({ name, entities: [] });
      } else {
        // A counsellor still reads as their SRE's desk (regionSre, an organisation's relation): only what they read as referent ends.
        expect({ name, caseload: after.caseload }).toEqual({ name, caseload: undefined });
      }
    },
  );

  it('refuses the writes of the relation to the person who left, as to a stranger', async () => {
    // Run after the walk above ended the coach's membership (jest runs a file's tests in order).
    const refused = await graph.query(
      COACH,
      'mutation($input: PlanFollowUpMeetingInput!) { planFollowUpMeeting(input: $input) { id } }',
      {
        input: { pathwayId: ipsPerson.pathwayId, scheduledFor: '2099-01-01' },
      },
    );
    expect(refused.data?.planFollowUpMeeting ?? null).toBeNull();
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(refused.errors?.[0]?.extensions?.code);
  });

  it("hands a coach's people to the team at once: the supervisor sees them unassigned, off the coach's load, and names another coach", async () => {
    const unassigned = await ok(
      graph.query<{ unassignedPathways: { edges: { node: { id: string } }[] } }>(
        SUPERVISOR,
        '{ unassignedPathways(first: 100) { edges { node { id } } } }',
      ),
    );
    expect(unassigned.unassignedPathways.edges.map((edge) => edge.node.id)).toContain(ipsPerson.pathwayId);
    const team = await ok(
      graph.query<{ teamCaseloads: { jobCoach: string }[] }>(SUPERVISOR, '{ teamCaseloads { jobCoach } }'),
    );
    expect(team.teamCaseloads.map((load) => load.jobCoach)).not.toContain(COACH.subject);

    await graph.enrol(NEXT_COACH);
    await ok(
      graph.query(SUPERVISOR, ASSIGN_JOB_COACH, {
        input: { pathwayId: ipsPerson.pathwayId, jobCoach: NEXT_COACH.subject },
      }),
    );
    const after = await ok(
      graph.query<{ unassignedPathways: { edges: { node: { id: string } }[] } }>(
        SUPERVISOR,
        '{ unassignedPathways(first: 100) { edges { node { id } } } }',
      ),
    );
    expect(after.unassignedPathways.edges.map((edge) => edge.node.id)).not.toContain(ipsPerson.pathwayId);
    expect(Object.keys(await whatTheyRead(NEXT_COACH, ipsPerson))).toContain('caseload');
  });

  it('gives the relation back when the organisation enrols the person again', async () => {
    const rejoined = { ...PHYSICIAN };
    await ok(
      graph.query(
        { role: 'OA', organisation: 'OA-300', subject: 'directory-admin' },
        'mutation($input: EnrolStaffMemberInput!) { enrolStaffMember(input: $input) { subject } }',
        {
          input: { subject: rejoined.subject, function: 'ADVISING_PHYSICIAN', displayName: 'Dr Leaver' },
        },
      ),
    );
    expect(Object.keys(await whatTheyRead(rejoined, ipsPerson))).toContain('participant');
  });
});
