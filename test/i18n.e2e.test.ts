/**
 * French, Dutch, English: one catalogue (schema/i18n), the language chosen by the
 * request's Accept-Language at the gateway and carried to the subgraphs. Errors keep their machine
 * `extensions.code` (and `field`, `messageId`) and tell the human `message` in the caller's language;
 * enum labels come from `vocabulary`; timeline events and the physician's copies are told as sentences.
 */
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { CONVENTION_IDS, newKey, REGISTER_PATHWAY } from './fixtures.js';
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
const FR = { 'accept-language': 'fr-BE,fr;q=0.9,en;q=0.8' };
const NL = { 'accept-language': 'nl-BE,nl;q=0.9' };
const EN = { 'accept-language': 'en-GB' };

describe('errors in the caller’s language, with the same machine code', () => {
  it('tells the wrong convention of a Charleroi person in French, Dutch and English, same code, field and messageId', async () => {
    const person = await seed(graph).person({ postcode: '6000' }).build();
    const ask = (headers: Record<string, string>) =>
      graph.query(
        'INAMI',
        REGISTER_PATHWAY,
        { input: { referralId: person.referralId, conventionId: CONVENTION_IDS['ARTICLE-23'] }, key: newKey() },
        headers,
      );
    const [fr, nl, en, none] = (await Promise.all([ask(FR), ask(NL), ask(EN), ask({})])) as [
      Awaited<ReturnType<typeof ask>>,
      Awaited<ReturnType<typeof ask>>,
      Awaited<ReturnType<typeof ask>>,
      Awaited<ReturnType<typeof ask>>,
    ];
    const extensions = { code: 'BAD_USER_INPUT', field: 'input.conventionId', messageId: 'convention.otherCatchment' };
    for (const answer of [fr, nl, en, none]) expect(answer.errors?.[0]?.extensions).toEqual(extensions);
    expect(fr.errors![0]!.message).toBe(
      "input.conventionId : le code postal 6000 de l'assuré relève de la convention ISPPC, pas de ARTICLE-23",
    );
    expect(nl.errors![0]!.message).toBe(
      'input.conventionId: de postcode 6000 van de verzekerde valt onder de overeenkomst ISPPC, niet onder ARTICLE-23',
    );
    expect(en.errors![0]!.message).toBe(
      "input.conventionId: the person's postcode 6000 lies in the catchment of ISPPC, not of ARTICLE-23",
    );
    expect(none.errors![0]!.message).toBe(en.errors![0]!.message); // no Accept-Language: English
  });

  it('tells a record that is not there (NOT_FOUND) and a malformed id (BAD_USER_INPUT) in each language', async () => {
    const ASSIGN = 'mutation($input: AssignJobCoachInput!) { assignJobCoach(input: $input) { id } }';
    const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'sup-i18n' };
    const missing = { input: { pathwayId: '00000000-0000-4000-8000-000000000000', jobCoach: 'coach-x' } };
    const answers = await Promise.all([FR, NL, EN].map((headers) => graph.query(SUPERVISOR, ASSIGN, missing, headers)));
    expect(answers.map((answer) => answer.errors?.[0]?.extensions)).toEqual(
      Array(3).fill({ code: 'NOT_FOUND', messageId: 'error.notFound' }),
    );
    expect(answers.map((answer) => answer.errors![0]!.message)).toEqual([
      'Trajet introuvable',
      'Traject niet gevonden',
      'Pathway not found',
    ]);

    const malformed = { input: { pathwayId: 'not-an-id', jobCoach: 'coach-x' } };
    const [frBad, nlBad] = await Promise.all(
      [FR, NL].map((headers) => graph.query(SUPERVISOR, ASSIGN, malformed, headers)),
    );
    expect(frBad!.errors?.[0]).toMatchObject({
      message: "input.pathwayId : n'est pas un identifiant valide",
      extensions: { code: 'BAD_USER_INPUT', field: 'input.pathwayId', messageId: 'input.invalidId' },
    });
    expect(nlBad!.errors?.[0]).toMatchObject({
      message: 'input.pathwayId: is geen geldige id',
      extensions: { code: 'BAD_USER_INPUT', field: 'input.pathwayId', messageId: 'input.invalidId' },
    });
  });

  it('answers a request without a token (401) in the caller’s language, and says which language it answers in', async () => {
    const response = await fetch(`${graph.platform.gateway.url}graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...NL },
      body: JSON.stringify({ query: '{ conventions { code } }' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-language')).toBe('nl');
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors[0]).toEqual({
      message: 'Stuur een token: Authorization: Bearer <token> (npm run token bij ontwikkeling)',
      extensions: { code: 'UNAUTHENTICATED', messageId: 'auth.tokenMissing' },
    });
  });

  it('never shows the message’s parameters to the client (they may hold what the caller sent)', async () => {
    const person = await seed(graph).person({ postcode: '5000' }).build();
    const refused = await graph.query(
      'INAMI',
      REGISTER_PATHWAY,
      { input: { referralId: person.referralId }, key: newKey() },
      FR,
    );
    expect(refused.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'input.referralId',
      messageId: 'convention.noCatchment',
    });
    expect(refused.errors?.[0]?.message).toBe(
      "input.referralId : aucune convention du projet pilote ne dessert le code postal 5000 de l'assuré",
    );
  });
});

describe('domain errors and the physician’s notices in the caller’s language, same code, field and messageId', () => {
  const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-i18n-end' };
  const COACH: Identity = { role: 'JOB_COACH', organisation: 'ISPPC', subject: 'coach-i18n-end' };
  const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'sup-i18n-end' };
  const END = 'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status } }';
  const day = (locale: string, iso: string) => {
    const told = new Intl.DateTimeFormat(locale, {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${iso}T00:00:00Z`));
    return locale === 'fr-BE' ? told.replace(/^1 /, '1er ') : told; // le 1er du mois
  };

  it('tells a day before the registration (BAD_USER_INPUT), an ended pathway (CONFLICT) and the physician’s notice of the end in fr, nl and en', async () => {
    const person = await seed(graph)
      .person({ postcode: '6000' })
      .referredBy(PHYSICIAN)
      .registered({ convention: 'ISPPC' })
      .withCoach(COACH, { by: SUPERVISOR })
      .build();
    const [{ registry_number: registryNumber, registered_on: registeredOn }] = (await graph.sql<{
      registry_number: string;
      registered_on: string;
    }>(
      "select registry_number, to_char(registered_at at time zone 'Europe/Brussels', 'YYYY-MM-DD') as registered_on from pathways.pathway where id = $1",
      [person.pathwayId],
    )) as [{ registry_number: string; registered_on: string }];

    // A domain BAD_USER_INPUT (R16: nothing ends before it began): same code, field and messageId in each language.
    const early = { input: { pathwayId: person.pathwayId, endedOn: '1901-01-01', reason: 'EMPLOYMENT_SUSTAINED' } };
    const [frEarly, nlEarly, enEarly, noneEarly] = await Promise.all(
      [FR, NL, EN, {}].map((headers) => graph.query(COACH, END, early, headers)),
    );
    for (const answer of [frEarly, nlEarly, enEarly, noneEarly])
      expect(answer!.errors?.[0]?.extensions).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'input.endedOn',
        messageId: 'date.beforeRegistration',
      });
    expect(frEarly!.errors![0]!.message).toBe(
      `input.endedOn : est antérieur à l’enregistrement du trajet (${day('fr-BE', registeredOn)})`,
    );
    expect(nlEarly!.errors![0]!.message).toBe(
      `input.endedOn: ligt vóór de registratie van het traject (${day('nl-BE', registeredOn)})`,
    );
    expect(enEarly!.errors![0]!.message).toBe(
      `input.endedOn: is before the pathway was registered (${day('en-GB', registeredOn)})`,
    );
    expect(noneEarly!.errors![0]!.message).toBe(enEarly!.errors![0]!.message); // no Accept-Language: English

    // R15: the first contract asks the physician for the work authorisation, told in the physician's language.
    const CONTRACT =
      'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id } }';
    const job = {
      input: {
        pathwayId: person.pathwayId,
        employer: 'Colruyt',
        employerNumber: '0203201340',
        jobFunction: 'Réassortisseur',
        startsOn: TODAY,
        weeklyHours: 19.5,
        contractType: 'OPEN_ENDED',
      },
    };
    expect((await graph.query(COACH, CONTRACT, job, FR)).errors).toBeUndefined();
    const ended = await graph.query(
      COACH,
      END,
      {
        input: {
          pathwayId: person.pathwayId,
          endedOn: TODAY,
          reason: 'EMPLOYMENT_SUSTAINED',
          note: 'Contrat stable.',
          noteCategory: 'EMPLOYMENT',
        },
      },
      FR,
    );
    expect(ended.errors).toBeUndefined();

    // A CONFLICT (the policy's precondition pathwayOpen): same code and messageId, the sentence in each language.
    const again = { input: { pathwayId: person.pathwayId, endedOn: TODAY, reason: 'EMPLOYMENT_SUSTAINED' } };
    const [frAgain, nlAgain, enAgain] = await Promise.all(
      [FR, NL, EN].map((headers) => graph.query(COACH, END, again, headers)),
    );
    for (const answer of [frAgain, nlAgain, enAgain])
      expect(answer!.errors?.[0]?.extensions).toEqual({ code: 'CONFLICT', messageId: 'precondition.pathwayOpen' });
    expect([frAgain, nlAgain, enAgain].map((answer) => answer!.errors![0]!.message)).toEqual([
      'Le trajet est terminé',
      'Het traject is beëindigd',
      'The pathway has ended',
    ]);

    // A CONFLICT about one entry of a list (the control group is not invited to IPS welcome sessions, R9): the same field in each language.
    const control = await seed(graph)
      .person({ postcode: '6000' })
      .registered({ convention: 'ISPPC' })
      .randomised({ arm: 'CONTROL' })
      .build();
    const ORGANISE = 'mutation($input: OrganiseWelcomeSessionInput!) { organiseWelcomeSession(input: $input) { id } }';
    const session = {
      input: { ipsPartner: 'ISPPC', heldOn: TODAY, place: 'FOREM Charleroi', pathwayIds: [control.pathwayId] },
    };
    const SRE: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-i18n-end' };
    const [frList, nlList, enList] = await Promise.all(
      [FR, NL, EN].map((headers) => graph.query(SRE, ORGANISE, session, headers)),
    );
    for (const answer of [frList, nlList, enList])
      expect(answer!.errors?.[0]?.extensions).toEqual({
        code: 'CONFLICT',
        field: 'input.pathwayIds.0',
        messageId: 'precondition.ipsArm',
      });
    expect([frList, nlList, enList].map((answer) => answer!.errors![0]!.message)).toEqual([
      'input.pathwayIds.0 : uniquement pour les personnes du groupe IPS (R8, R11, R13)',
      'input.pathwayIds.0: enkel voor personen in de IPS-groep (R8, R11, R13)',
      'input.pathwayIds.0: only for people in the IPS arm (R8, R11, R13)',
    ]);

    // The physician reads the end in their own language; the coach's note stays as written.
    const INBOX = 'query($p: ID!) { physicianInbox(participantId: $p) { edges { node { kind body } } } }';
    type Inbox = { physicianInbox: { edges: { node: { kind: string; body: string } }[] } };
    const bodies = await Promise.all(
      [FR, NL, EN].map(
        async (headers) =>
          (await graph.query<Inbox>(PHYSICIAN, INBOX, { p: person.participantId }, headers))
            .data!.physicianInbox.edges.map((edge) => edge.node)
            .find((m) => m.kind === 'PATHWAY_ENDED')!.body,
      ),
    );
    const requests = await Promise.all(
      [FR, NL].map(
        async (headers) =>
          (await graph.query<Inbox>(PHYSICIAN, INBOX, { p: person.participantId }, headers))
            .data!.physicianInbox.edges.map((edge) => edge.node)
            .find((m) => m.kind === 'WORK_AUTHORISATION_REQUEST')!.body,
      ),
    );
    expect(requests).toEqual([
      `Demande d’autorisation de travail (art. 100, § 2, Premier contrat) : Réassortisseur chez Colruyt, à partir du ${day('fr-BE', TODAY)}, 19,5 h par semaine (Contrat à durée indéterminée).`,
      `Aanvraag tot toelating tot werken (art. 100, § 2, Eerste overeenkomst): Réassortisseur bij Colruyt, vanaf ${day('nl-BE', TODAY)}, 19,5 u per week (Overeenkomst van onbepaalde duur).`,
    ]);
    expect(bodies).toEqual([
      `Fin du trajet ${registryNumber} le ${day('fr-BE', TODAY)} (Emploi durable). Contrat stable.`,
      `Het traject ${registryNumber} eindigde op ${day('nl-BE', TODAY)} (Duurzaam werk). Contrat stable.`,
      `Pathway ${registryNumber} ended on ${day('en-GB', TODAY)} (Employment sustained). Contrat stable.`,
    ]);
  });
});

describe('enum labels', () => {
  const VOCABULARY =
    'query($enums: [String!]) { vocabulary(enums: $enums) { language enums { name values { value label } } } }';
  type Vocabulary = {
    vocabulary: { language: string; enums: { name: string; values: { value: string; label: string }[] }[] };
  };

  it('gives each value of an enum its label in the caller’s language, for every role', async () => {
    const labels = async (headers: Record<string, string>, role: 'JOB_COACH' | 'MEDECIN_CONSEIL' | 'PARTICIPANT') => {
      const { data, errors } = await graph.query<Vocabulary>(
        role,
        VOCABULARY,
        { enums: ['PathwayStatus', 'TrialArm'] },
        headers,
      );
      expect(errors).toBeUndefined();
      return data!.vocabulary;
    };
    expect(await labels(FR, 'JOB_COACH')).toEqual({
      language: 'FR',
      enums: [
        {
          name: 'PathwayStatus',
          values: [
            { value: 'OPEN', label: 'En cours' },
            { value: 'ENDED', label: 'Terminé' },
          ],
        },
        {
          name: 'TrialArm',
          values: [
            { value: 'IPS', label: 'Groupe IPS' },
            { value: 'CONTROL', label: 'Groupe témoin' },
          ],
        },
      ],
    });
    expect((await labels(NL, 'MEDECIN_CONSEIL')).enums[1]).toEqual({
      name: 'TrialArm',
      values: [
        { value: 'IPS', label: 'IPS-groep' },
        { value: 'CONTROL', label: 'Controlegroep' },
      ],
    });
    expect((await labels({}, 'PARTICIPANT')).language).toBe('EN');
  });

  it('lists every enum of the graph when none is named, and refuses an unknown one naming it', async () => {
    const all = await graph.query<Vocabulary>('SRE', VOCABULARY, {}, NL);
    expect(all.data!.vocabulary.enums.map((e) => e.name)).toEqual(
      expect.arrayContaining(['PathwayStatus', 'PathwayEndReason', 'Region', 'StaffFunction', 'AuthorisationReason']),
    );
    const region = all.data!.vocabulary.enums.find((e) => e.name === 'StaffFunction')!;
    expect(region.values.find((v) => v.value === 'ADVISING_PHYSICIAN')!.label).toBe('Adviserend arts');
    const unknown = await graph.query<Vocabulary>('SRE', VOCABULARY, { enums: ['PathwayStatus', 'Nope'] }, FR);
    expect(unknown.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'enums.1',
      messageId: 'vocabulary.unknownEnum',
    });
    expect(unknown.errors?.[0]?.message).toBe('enums.1 : n’est pas une énumération du graphe');
  });
});

describe('timeline and messages told as sentences', () => {
  const SRE: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-i18n' };
  const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-i18n' };

  it("tells an RP1 in the timeline and in the physician's file in the reader's language; kind and detail stay as recorded", async () => {
    const person = await seed(graph)
      .person({ postcode: '6000' })
      .referredBy(PHYSICIAN)
      .registered({ convention: 'ISPPC' })
      .randomised({ arm: 'CONTROL' })
      .routed()
      .build();
    const recorded = await graph.query(
      'SRE',
      'mutation($input: RecordPathwayActInput!) { recordPathwayAct(input: $input) { id } }',
      { input: { pathwayId: person.pathwayId, kind: 'RP1_FILED', actOn: TODAY } },
      {},
    );
    expect(recorded.errors).toBeUndefined();

    const TIMELINE = 'query($id: ID!) { pathway(id: $id) { registryNumber timeline { kind detail summary } } }';
    const timeline = async (headers: Record<string, string>) =>
      (
        await graph.query<{
          pathway: { registryNumber: string; timeline: { kind: string; detail: string | null; summary: string }[] };
        }>(SRE, TIMELINE, { id: person.pathwayId }, headers)
      ).data!.pathway;
    const [fr, nl, en] = await Promise.all([timeline(FR), timeline(NL), timeline(EN)]);
    const event = (t: typeof fr, kind: string) => t.timeline.find((e) => e.kind === kind)!;
    expect(event(fr, 'RP1_FILED')).toEqual({
      kind: 'RP1_FILED',
      detail: '',
      summary: "RP1 introduit (demande de prise en charge d'une orientation professionnelle).",
    });
    expect(event(nl, 'RP1_FILED').summary).toBe(
      'RP1 ingediend (aanvraag tot tenlasteneming van een beroepsoriëntering).',
    );
    expect(event(en, 'RP1_FILED').summary).toBe('RP1 filed (request to cover a vocational orientation).');
    expect(event(fr, 'PATHWAY_REGISTERED')).toEqual({
      kind: 'PATHWAY_REGISTERED',
      detail: fr.registryNumber,
      summary: `L'INAMI a enregistré le trajet ${fr.registryNumber}.`,
    });
    expect(event(nl, 'PATHWAY_REGISTERED').summary).toBe(`Het RIZIV registreerde het traject ${fr.registryNumber}.`);

    const INBOX = 'query($p: ID!) { physicianInbox(participantId: $p) { edges { node { kind body } } } }';
    const day = new Intl.DateTimeFormat('fr-BE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
      .format(new Date(`${TODAY}T00:00:00Z`))
      .replace(/^1 /, '1er ');
    const frInbox = await graph.query<{ physicianInbox: { edges: { node: { kind: string; body: string } }[] } }>(
      PHYSICIAN,
      INBOX,
      { p: person.participantId },
      FR,
    );
    expect(frInbox.data!.physicianInbox.edges.map((edge) => edge.node).find((m) => m.kind === 'RP1')!.body).toBe(
      `RP1 introduit le ${day} (trajet ${fr.registryNumber})`,
    );
    const enInbox = await graph.query<{ physicianInbox: { edges: { node: { kind: string; body: string } }[] } }>(
      PHYSICIAN,
      INBOX,
      { p: person.participantId },
    );
    expect(enInbox.data!.physicianInbox.edges.map((edge) => edge.node).find((m) => m.kind === 'RP1')!.body).toMatch(
      new RegExp(`^RP1 filed on \\d{1,2} [A-Z][a-z]+ \\d{4} \\(pathway ${fr.registryNumber}\\)$`),
    );
  });
});
