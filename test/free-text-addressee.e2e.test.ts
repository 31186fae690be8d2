/**
 * No write that its reader cannot read (R14, R18): every free text a mutation writes for a role — a message to the
 * job coach or to the physician, an act's detail, the note of a pathway's end, an action plan, a data request's
 * purpose — declares its category, and a category one of its addressees may never read under the read policy is
 * refused as BAD_USER_INPUT naming the category argument, with nothing written. The table is ACTIONS' own
 * `freeText` entries: a new message is covered here once it names its addressees, and fails the start-up until it does.
 */
import {
  ACTIONS,
  FREE_TEXT_CATEGORIES,
  freeTextAddressees,
  mayEverRead,
  type DataCategory,
  type FreeTextRule,
} from '../schema/policy.js';
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { FIDELITY_ITEMS } from '../subgraphs/research/services/fidelity-scale.js';
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
const SRE = DEFAULT_IDENTITY.SRE;
const RESEARCHER = DEFAULT_IDENTITY.RESEARCHER;
const CO_REVIEWER: Identity = { role: 'RESEARCHER', organisation: 'ULB', subject: 'co-reviewer-free-text' };

async function must<T>(response: Promise<GraphQLResponse<T>>): Promise<T> {
  const answer = await response;
  if (answer.errors) throw new Error(`set-up failed: ${JSON.stringify(answer.errors)}`);
  return answer.data!;
}

/** An attempt set up with its target in the state the action needs: the writer, the operation and its variables. */
interface Attempt {
  caller: Identity;
  query: string;
  variables: Record<string, unknown>;
  /** Rows that would hold what was written (beside the command log). */
  written: string;
}

const withCoach = () =>
  seed(graph).person().referredBy(PHYSICIAN).registered({ convention: 'ARTICLE-23' }).withCoach(COACH).routed().build();
const ACT = 'mutation($input: RecordPathwayActInput!) { recordPathwayAct(input: $input) { id } }';
const act =
  (kind: string, caller: Identity, person?: string): (() => Promise<Attempt>) =>
  async () => {
    const seeded =
      kind === 'REFERENCE_INTERVIEW_HELD'
        ? await seed(graph)
            .person()
            .referredBy(PHYSICIAN)
            .registered({ convention: 'ARTICLE-23' })
            .randomised({ arm: 'CONTROL' })
            .routed()
            .build()
        : await withCoach();
    return {
      caller,
      query: ACT,
      variables: {
        input: {
          pathwayId: seeded.pathwayId,
          kind,
          actOn: TODAY,
          detail: 'Un texte pour son destinataire.',
          ...(person ? { person } : {}),
        },
      },
      written: `select (select count(*) from pathways.pathway_act where pathway_id = '${seeded.pathwayId}') + (select count(*) from pathways.physician_message where pathway_id = '${seeded.pathwayId}') as n`,
    };
  };
const rpForm =
  (form: string, requestKind: string, caller: Identity): (() => Promise<Attempt>) =>
  async () => {
    const seeded = await withCoach();
    return {
      caller,
      query: 'mutation($input: SendRpFormInput!) { sendRpForm(input: $input) { id } }',
      variables: {
        input: {
          pathwayId: seeded.pathwayId,
          form,
          requestKind,
          objectives: 'Un plan pour INAMI et le médecin.',
          periodFrom: TODAY,
          signedOn: TODAY,
        },
      },
      written: `select (select count(*) from pathways.rp_form where pathway_id = '${seeded.pathwayId}') + (select count(*) from pathways.physician_message where pathway_id = '${seeded.pathwayId}') as n`,
    };
  };
let reviewDays = 0;

/** How each free-text write is reached through the gateway, by action (and variant). */
const SETUPS: Record<string, () => Promise<Attempt>> = {
  'recordPathwayAct/RESOURCE_PERSON_NAMED': act('RESOURCE_PERSON_NAMED', SRE, 'Mme Leroy'),
  'recordPathwayAct/REFERENCE_INTERVIEW_HELD': act('REFERENCE_INTERVIEW_HELD', SRE, 'M. Lambert'),
  'recordPathwayAct/RP1_FILED': act('RP1_FILED', SRE),
  'recordPathwayAct/RP1IPS_SENT': act('RP1IPS_SENT', COACH),
  'recordPathwayAct/MESSAGE_TO_PHYSICIAN': act('MESSAGE_TO_PHYSICIAN', COACH),
  'recordPathwayAct/MESSAGE_TO_JOB_COACH': act('MESSAGE_TO_JOB_COACH', PHYSICIAN),
  'sendRpForm/RP1': rpForm('RP1', 'VOCATIONAL_ORIENTATION', SRE),
  'sendRpForm/RP1IPS': rpForm('RP1IPS', 'IPS_PATHWAY_START', COACH),
  endPathway: async () => {
    const person = await withCoach();
    return {
      caller: COACH,
      query: 'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status } }',
      variables: {
        input: {
          pathwayId: person.pathwayId,
          endedOn: TODAY,
          reason: 'PILOT_ENDED',
          note: 'Une note pour le médecin.',
        },
      },
      written: `select count(*) as n from pathways.physician_message where pathway_id = '${person.pathwayId}'`,
    };
  },
  recordFidelityReview: async () => {
    await graph.enrol(CO_REVIEWER);
    const reviewedOn = new Date(Date.parse(`${TODAY}T12:00:00Z`) - ++reviewDays * 86_400_000)
      .toISOString()
      .slice(0, 10);
    return {
      caller: RESEARCHER,
      query: 'mutation($input: RecordFidelityReviewInput!) { recordFidelityReview(input: $input) { id } }',
      variables: {
        input: {
          team: 'ARTICLE-23',
          reviewedOn,
          secondReviewer: CO_REVIEWER.subject,
          scores: FIDELITY_ITEMS.map((item) => ({ item: item.key, score: 3 })),
          actionPlan: "Plan d'action de l'équipe.",
        },
      },
      written: `select count(*) as n from research.fidelity_review where reviewed_on = '${reviewedOn}'`,
    };
  },
  decideWorkAuthorisation: async () => {
    const person = await withCoach();
    const recorded = await must(
      graph.query<{ recordEmploymentContract: { authorisation: { id: string } } }>(
        COACH,
        'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { authorisation { id } } }',
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
      ),
    );
    const id = recorded.recordEmploymentContract.authorisation.id;
    return {
      caller: PHYSICIAN,
      query:
        'mutation($id: ID!, $reason: String, $reasonCategory: DataCategory) { decideWorkAuthorisation(id: $id, granted: false, reason: $reason, reasonCategory: $reasonCategory) { decision } }',
      variables: { id, reason: 'Horaire incompatible avec le traitement.' },
      written: `select count(*) as n from pathways.work_authorisation where id = '${id}' and decision <> 'PENDING'`,
    };
  },
  fileDataRequest: async () => ({
    caller: RESEARCHER,
    query: 'mutation($input: FileDataRequestInput!) { fileDataRequest(input: $input) { id } }',
    variables: { input: { project: 'FREE-TEXT', purpose: 'Une demande pour INAMI.', variables: ['arm'] } },
    written: "select count(*) as n from research.data_request where project = 'FREE-TEXT'",
  }),
};

/** Every free-text write of the policy, one row per addressee set (per variant where the action has them). */
const ROWS = Object.entries(ACTIONS).flatMap(([name, action]) => {
  const rule = action.freeText;
  if (!rule) return [];
  const variants = Array.isArray(rule.addressees) ? [undefined] : Object.keys(rule.addressees);
  return variants.map((variant) => ({ key: variant ? `${name}/${variant}` : name, name, variant, rule }));
});

/** Sets the declared category where the mutation takes it (the rule's argument path). */
function withCategory(
  variables: Record<string, unknown>,
  rule: FreeTextRule,
  category: DataCategory,
): Record<string, unknown> {
  const copy = structuredClone(variables);
  const path = rule.category.split('.');
  let node = copy as Record<string, Record<string, unknown>>;
  for (const key of path.slice(0, -1)) node = node[key] as unknown as Record<string, Record<string, unknown>>;
  (node as Record<string, unknown>)[path.at(-1)!] = category.toUpperCase();
  return copy;
}

const count = async (sql: string) => Number((await graph.sql<{ n: string | number }>(sql))[0]!.n);

describe('no write that its reader cannot read (R14, R18)', () => {
  it('covers every free-text write the policy addresses to a role', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(10);
    expect(ROWS.map((row) => row.key).filter((key) => !SETUPS[key])).toEqual([]);
  });

  it.each(ROWS.map((row) => [row.key, row] as const))(
    '%s: refuses a category an addressee may never read, naming the field, and writes nothing; accepts one they all read',
    async (_key, row) => {
      const addressees = freeTextAddressees(row.rule, row.variant);
      const refused = FREE_TEXT_CATEGORIES.filter(
        (category) => !addressees.every((role) => mayEverRead(role, category)),
      );
      const allowed = FREE_TEXT_CATEGORIES.filter((category) => !refused.includes(category));
      const attempt = await SETUPS[row.key]!();
      const logged = `select count(*) as n from access.command_log where action = '${row.name}'`;
      for (const category of refused) {
        const [loggedBefore, writtenBefore] = [await count(logged), await count(attempt.written)];
        const response = await graph.query(
          attempt.caller,
          attempt.query,
          withCategory(attempt.variables, row.rule, category),
        );
        expect({ category, error: response.errors?.[0]?.extensions }).toEqual({
          category,
          error: expect.objectContaining({ code: 'BAD_USER_INPUT', field: row.rule.category }),
        });
        expect(response.errors?.[0]?.message).toMatch(/may never read/);
        expect([await count(logged), await count(attempt.written)]).toEqual([loggedBefore, writtenBefore]);
      }
      // The most sensitive category they may all read is written (health where every addressee reads it).
      const accepted = allowed.includes('health') ? 'health' : allowed.at(-1)!;
      const before = await count(attempt.written);
      const response = await graph.query(
        attempt.caller,
        attempt.query,
        withCategory(attempt.variables, row.rule, accepted),
      );
      expect(response.errors).toBeUndefined();
      expect(await count(attempt.written)).toBeGreaterThan(before);
    },
  );

  it("refuses the physician's health message to the job coach, whose role never reads health, in the caller's language", async () => {
    const person = await withCoach();
    const response = await graph.query(PHYSICIAN, ACT, {
      input: {
        pathwayId: person.pathwayId,
        kind: 'MESSAGE_TO_JOB_COACH',
        actOn: TODAY,
        detail: 'Rechute, traitement adapté.',
        detailCategory: 'HEALTH',
      },
    });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.detailCategory' });
    expect(response.errors?.[0]?.message).toBe(
      'input.detailCategory: the job coach may never read Health data, so this text would reach no one it is meant for: declare one of administrative, employment, benefits, and leave out what they may not read',
    );
    expect(await count(`select count(*) as n from pathways.pathway_act where pathway_id = '${person.pathwayId}'`)).toBe(
      0,
    );
  });
});

describe('messages in plain language, through the gateway', () => {
  it('tells the SRE that it does not record an RP1IPS in words, with no source path, policy table or code value, in each language', async () => {
    const person = await withCoach();
    const input = { pathwayId: person.pathwayId, kind: 'RP1IPS_SENT', actOn: TODAY };
    const english = await graph.query(SRE, ACT, { input });
    expect(english.errors?.[0]).toMatchObject({
      message: 'The regional employment service does not record this: RP1IPS sent',
      extensions: { code: 'FORBIDDEN' },
    });
    const french = await graph.query(SRE, ACT, { input }, { 'accept-language': 'fr-BE' });
    expect(french.errors?.[0]?.message).toBe(
      "Cet acte (RP1IPS envoyé) ne relève pas du rôle « service régional de l'emploi »",
    );
  });
});
