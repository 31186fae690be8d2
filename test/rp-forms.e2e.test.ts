/**
 * RP1 and RP1IPS as forms (R10, R13, R14): the SRE files the RP1, the referent job coach sends the RP1IPS, each
 * with its content — the request, the plan, the period, the signature — to INAMI's mailbox, copied to the physician
 * of record with the form itself. A version is never changed; a correction is the next version and keeps the first.
 * Every actor through the gateway with their own token; who may send and who reads each field is the policy's.
 */
import type { Identity } from '../schema/identity.js';
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
const SRE = DEFAULT_IDENTITY.SRE; // FOREM: the region of the ARTICLE-23 convention
const INAMI = DEFAULT_IDENTITY.INAMI;
const OTHER_REGION_SRE: Identity = { role: 'SRE', organisation: 'ACTIRIS', subject: 'actiris-counsellor-rp' };
const OTHER_PARTNER_COACH: Identity = { role: 'JOB_COACH', organisation: 'ISPPC', subject: 'coach-isppc-rp' };

const FORM_FIELDS =
  'id formId form version supersedesId requestKind referent referentRole objectives plannedSteps periodFrom periodTo signedOn signedBy signerRole signerOrganisation sentTo copiedTo';
const SEND = `mutation($input: SendRpFormInput!) { sendRpForm(input: $input) { ${FORM_FIELDS} } }`;

interface Form {
  id: string;
  formId: string;
  form: string;
  version: number;
  supersedesId: string | null;
  requestKind: string;
  referent: string;
  objectives: string | null;
  plannedSteps: string | null;
  signedBy: string;
  sentTo: string;
  copiedTo: string;
}

async function must<T>(response: Promise<GraphQLResponse<T>>): Promise<T> {
  const answer = await response;
  if (answer.errors) throw new Error(`set-up failed: ${JSON.stringify(answer.errors)}`);
  return answer.data!;
}

const followed = () =>
  seed(graph).person().referredBy(PHYSICIAN).registered({ convention: 'ARTICLE-23' }).withCoach(COACH).routed().build();
const rp1 = (pathwayId: string, extra: Record<string, unknown> = {}) => ({
  input: {
    pathwayId,
    form: 'RP1',
    requestKind: 'VOCATIONAL_ORIENTATION',
    objectives: 'Orientation vers la logistique.',
    plannedSteps: 'Bilan puis stage.',
    planCategory: 'EMPLOYMENT',
    periodFrom: TODAY,
    signedOn: TODAY,
    ...extra,
  },
});
const rp1ips = (pathwayId: string, extra: Record<string, unknown> = {}) => ({
  input: {
    pathwayId,
    form: 'RP1IPS',
    requestKind: 'IPS_PATHWAY_START',
    objectives: 'Un emploi de magasinier à mi-temps.',
    plannedSteps: 'Trois contacts employeurs par semaine.',
    planCategory: 'EMPLOYMENT',
    periodFrom: TODAY,
    signedOn: TODAY,
    ...extra,
  },
});
const rowsOf = async (pathwayId: string) =>
  graph.sql<{ n: string }>(
    `select (select count(*) from pathways.rp_form where pathway_id = $1) + (select count(*) from pathways.physician_message where pathway_id = $1) + (select count(*) from pathways.pathway_act where pathway_id = $1) as n`,
    [pathwayId],
  );

describe('RP1 and RP1IPS are forms with content, sent to INAMI and copied to the physician (R10, R13, R14)', () => {
  it('the SRE files an RP1 and the coach an RP1IPS; INAMI reads both in its inbox and the physician in the copies, with their content', async () => {
    const person = await followed();
    const filed = (await must(graph.query<{ sendRpForm: Form }>(SRE, SEND, rp1(person.pathwayId)))).sendRpForm;
    expect(filed).toMatchObject({
      form: 'RP1',
      version: 1,
      formId: filed.id,
      supersedesId: null,
      requestKind: 'VOCATIONAL_ORIENTATION',
      referent: SRE.subject,
      referentRole: 'SRE',
      signedBy: SRE.subject,
      signerRole: 'SRE',
      signerOrganisation: 'FOREM',
      sentTo: 'demandeRP-aanvraagBH@inami.fgov.be',
      copiedTo: PHYSICIAN.subject,
      periodTo: null,
    });
    const sent = (await must(graph.query<{ sendRpForm: Form }>(COACH, SEND, rp1ips(person.pathwayId)))).sendRpForm;
    expect(sent).toMatchObject({
      form: 'RP1IPS',
      version: 1,
      referent: COACH.subject,
      referentRole: 'JOB_COACH',
      signedBy: COACH.subject,
      sentTo: 'IPS@inami.fgov.be',
      objectives: 'Un emploi de magasinier à mi-temps.',
    });

    const inbox = await graph.query<{
      actInbox: {
        edges: {
          node: {
            pathway: { id: string } | null;
            form: { id: string; objectives: string; plannedSteps: string } | null;
          };
        }[];
      };
    }>(INAMI, '{ actInbox(first: 100) { edges { node { pathway { id } form { id objectives plannedSteps } } } } }');
    expect(inbox.errors).toBeUndefined();
    const mine = inbox
      .data!.actInbox.edges.map((edge) => edge.node)
      .filter((node) => node.pathway?.id === person.pathwayId);
    expect(mine.map((node) => node.form?.id).sort()).toEqual([filed.id, sent.id].sort());
    expect(mine.find((node) => node.form?.id === sent.id)!.form).toMatchObject({
      objectives: 'Un emploi de magasinier à mi-temps.',
      plannedSteps: 'Trois contacts employeurs par semaine.',
    });

    const file = await graph.query<{
      physicianInbox: {
        edges: { node: { kind: string; form: { id: string; version: number; objectives: string } | null } }[];
      };
    }>(
      PHYSICIAN,
      'query($p: ID) { physicianInbox(first: 50, participantId: $p) { edges { node { kind form { id version objectives } } } } }',
      { p: person.participantId },
    );
    expect(file.errors).toBeUndefined();
    const copies = file.data!.physicianInbox.edges.map((edge) => edge.node).filter((node) => node.form);
    expect(copies.map((node) => [node.kind, node.form!.id]).sort()).toEqual(
      [
        ['RP1', filed.id],
        ['RP1IPS', sent.id],
      ].sort(),
    );
    expect(copies.find((node) => node.kind === 'RP1')!.form!.objectives).toBe('Orientation vers la logistique.');
  });

  it('a correction is version 2 of the same form, naming version 1, which stays as it was; the physician reads both in order', async () => {
    const person = await followed();
    const first = (await must(graph.query<{ sendRpForm: Form }>(COACH, SEND, rp1ips(person.pathwayId)))).sendRpForm;
    const second = (
      await must(
        graph.query<{ sendRpForm: Form }>(
          COACH,
          SEND,
          rp1ips(person.pathwayId, { supersedes: first.id, objectives: 'Un emploi de magasinier à temps plein.' }),
        ),
      )
    ).sendRpForm;
    expect(second).toMatchObject({
      formId: first.id,
      version: 2,
      supersedesId: first.id,
      objectives: 'Un emploi de magasinier à temps plein.',
    });
    const read = await graph.query<{ pathway: { rpForms: { id: string; version: number; objectives: string }[] } }>(
      PHYSICIAN,
      'query($id: ID!) { pathway(id: $id) { rpForms { id version objectives } } }',
      { id: person.pathwayId },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.pathway.rpForms).toEqual([
      { id: first.id, version: 1, objectives: 'Un emploi de magasinier à mi-temps.' },
      { id: second.id, version: 2, objectives: 'Un emploi de magasinier à temps plein.' },
    ]);
    // Only the latest version is corrected: a second correction of version 1 is a CONFLICT and writes nothing.
    const before = await rowsOf(person.pathwayId);
    const again = await graph.query(COACH, SEND, rp1ips(person.pathwayId, { supersedes: first.id }));
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await rowsOf(person.pathwayId)).toEqual(before);
    // The database keeps a version as it was sent, whoever asks.
    await expect(
      graph.sql("update pathways.rp_form set objectives = 'réécrit' where id = $1", [first.id]),
    ).rejects.toThrow(/never changed/);
  });

  it("another region's SRE and a coach of another partner cannot send, nor read, a person's forms: as if there were none", async () => {
    const person = await followed();
    await must(graph.query(SRE, SEND, rp1(person.pathwayId)));
    const before = await rowsOf(person.pathwayId);
    const bySre = await graph.query(OTHER_REGION_SRE, SEND, rp1(person.pathwayId));
    expect(bySre.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const byCoach = await graph.query(OTHER_PARTNER_COACH, SEND, rp1ips(person.pathwayId));
    expect(byCoach.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // The coach of the pathway may not file the SRE's form, nor the SRE the coach's (ACTIONS.sendRpForm variants).
    const wrongForm = await graph.query(COACH, SEND, rp1(person.pathwayId));
    expect(wrongForm.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await rowsOf(person.pathwayId)).toEqual(before);
    for (const outsider of [OTHER_REGION_SRE, OTHER_PARTNER_COACH]) {
      const read = await graph.query<{ pathway: unknown }>(
        outsider,
        'query($id: ID!) { pathway(id: $id) { rpForms { id objectives } } }',
        { id: person.pathwayId },
      );
      expect(read.data?.pathway ?? null).toBeNull();
    }
  });

  it('refuses a plan in a category one of its readers may never see, naming the category, and writes nothing', async () => {
    const person = await followed();
    const before = await rowsOf(person.pathwayId);
    // Health: INAMI and the physician read it, but neither the SRE nor the coach who keep and correct the form.
    for (const [caller, variables] of [
      [SRE, rp1(person.pathwayId, { planCategory: 'HEALTH' })],
      [COACH, rp1ips(person.pathwayId, { planCategory: 'HEALTH' })],
    ] as const) {
      const refused = await graph.query(caller, SEND, variables);
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.planCategory' });
    }
    // Benefits: the coach reads them, the SRE never does.
    const benefits = await graph.query(SRE, SEND, rp1(person.pathwayId, { planCategory: 'BENEFITS' }));
    expect(benefits.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.planCategory' });
    expect(await rowsOf(person.pathwayId)).toEqual(before);
  });

  it('shows the plan under its declared category: once the person narrows employment for the SRE, the SRE reads the form without its plan', async () => {
    const person = await followed();
    const filed = (await must(graph.query<{ sendRpForm: Form }>(SRE, SEND, rp1(person.pathwayId)))).sendRpForm;
    await must(
      graph.query(
        person.self,
        'mutation($id: ID!) { narrowInformationSharingConsent(participantId: $id, revoke: [{ recipient: SRE, categories: [EMPLOYMENT] }]) { participantId } }',
        { id: person.participantId },
      ),
    );
    const read = await graph.query<{
      pathway: { rpForms: { id: string; requestKind: string; objectives: string | null }[] };
    }>(SRE, 'query($id: ID!) { pathway(id: $id) { rpForms { id requestKind objectives } } }', { id: person.pathwayId });
    expect(read.data!.pathway.rpForms).toEqual([
      { id: filed.id, requestKind: 'VOCATIONAL_ORIENTATION', objectives: null },
    ]);
    expect(read.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const inami = await graph.query<{ pathway: { rpForms: { objectives: string }[] } }>(
      INAMI,
      'query($id: ID!) { pathway(id: $id) { rpForms { objectives } } }',
      { id: person.pathwayId },
    );
    expect(inami.data!.pathway.rpForms).toEqual([{ objectives: 'Orientation vers la logistique.' }]);
  });

  it('two corrections of the same version at once: one becomes version 2, the other is a CONFLICT, never a second version 2 nor a 500', async () => {
    const person = await followed();
    const first = (await must(graph.query<{ sendRpForm: Form }>(COACH, SEND, rp1ips(person.pathwayId)))).sendRpForm;
    const answers = await Promise.all(
      [1, 2].map((n) =>
        graph.query<{ sendRpForm: Form }>(
          COACH,
          SEND,
          rp1ips(person.pathwayId, { supersedes: first.id, plannedSteps: `Correction ${n}.` }),
        ),
      ),
    );
    expect(
      answers.map((answer) => answer.errors?.[0]?.extensions?.code ?? answer.data!.sendRpForm.version).sort(),
    ).toEqual([2, 'CONFLICT']);
    expect(
      await graph.sql('select version from pathways.rp_form where form_id = $1 order by version', [first.id]),
    ).toEqual([{ version: 1 }, { version: 2 }]);
  });

  it('a retry with the same idempotency key answers the same version and sends nothing twice', async () => {
    const person = await followed();
    const keyed =
      'mutation($input: SendRpFormInput!, $key: String!) { sendRpForm(input: $input, idempotencyKey: $key) { id version } }';
    const variables = { ...rp1(person.pathwayId), key: `rp-retry-${person.pathwayId}` };
    const [once, again] = [
      await must(graph.query(SRE, keyed, variables)),
      await must(graph.query(SRE, keyed, variables)),
    ];
    expect(again).toEqual(once);
    expect(
      await graph.sql<{ n: string }>(
        'select count(*)::int as n from pathways.physician_message where rp_form_id is not null and pathway_id = $1',
        [person.pathwayId],
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('refuses a request kind its form does not carry, naming the field', async () => {
    const person = await followed();
    const wrong = await graph.query(SRE, SEND, rp1(person.pathwayId, { requestKind: 'IPS_PATHWAY_START' }));
    expect(wrong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.requestKind' });
    expect(wrong.errors?.[0]?.message).toBe(
      'input.requestKind: is not a request of this form (RP1 form (regional employment service))',
    );
  });
});
