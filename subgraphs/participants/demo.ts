/**
 * Demo data: the pilot's six hundred referred people, who look Belgian (valid NISS, real
 * postcodes of the pilot's sites, names of the three regions), each with a signed
 * referral from an advising physician of their health insurer.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { grantKey } from '../../schema/policy.js';
import { ledgerColumn } from '../kit/access/decide.js';
import type { LedgerFact } from '../../schema/policy.js';
import { addDays, demoLife, DEMO_MODEL, demoUuid, monthsBetween, monthStart } from '../kit/demo-model.js';
import { DemoRandom } from '../kit/demo-random.js';
import { belgianToday, EMPLOYMENT_SERVICE_OF, HEALTH_INSURERS, Region } from '../kit/domain.js';
import { fingerprint } from '../kit/idempotency.js';
import { IncapacityStatus, ParticipantEntity } from './entities/participant.entity.js';
import { FULL_CONSENT } from './services/consent.service.js';
import { ALL_R1_CONFIRMATIONS, FORM_OF_REGION } from './entities/referral.entity.js';
import { makeNiss } from './services/niss.js';
import { OrganisationEntity, StaffFunctionValue, StaffMemberEntity } from './entities/staff.entity.js';

const PEOPLE_BY_REGION: Record<
  Region,
  { share: number; postcodes: string[]; givenNames: string[]; familyNames: string[] }
> = {
  [Region.FLANDERS]: {
    share: 340,
    postcodes: ['2000', '2018', '2800', '3000', '3500', '8000', '8500', '9000', '9300'],
    givenNames: [
      'Lotte',
      'Wout',
      'Sofie',
      'Jens',
      'Annelies',
      'Pieter',
      'Fien',
      'Bram',
      'Els',
      'Koen',
      'Hanne',
      'Stijn',
    ],
    familyNames: [
      'Peeters',
      'Janssens',
      'Maes',
      'Jacobs',
      'Mertens',
      'Willems',
      'Claes',
      'Goossens',
      'Wouters',
      'De Smet',
      'Vermeulen',
      'Van den Broeck',
    ],
  },
  [Region.WALLONIA]: {
    share: 200,
    postcodes: ['4000', '4020', '4100', '4800', '6000', '6001', '6040', '6060'],
    givenNames: [
      'Camille',
      'Julien',
      'Manon',
      'Thomas',
      'Laura',
      'Nicolas',
      'Chloé',
      'Maxime',
      'Sarah',
      'Antoine',
      'Pauline',
      'Olivier',
    ],
    familyNames: [
      'Dubois',
      'Lambert',
      'Dupont',
      'Martin',
      'Simon',
      'Lejeune',
      'Leclercq',
      'Renard',
      'Collard',
      'François',
      'Lemaire',
      'Gilson',
    ],
  },
  [Region.BRUSSELS]: {
    share: 60,
    postcodes: ['1000', '1030', '1050', '1060', '1070', '1080', '1180', '1200'],
    givenNames: [
      'Yasmine',
      'Mehdi',
      'Inès',
      'Karim',
      'Nora',
      'Lucas',
      'Amina',
      'Elias',
      'Léa',
      'Youssef',
      'Emma',
      'Samir',
    ],
    familyNames: [
      'El Amrani',
      'Vandenberghe',
      'Benali',
      'Dumont',
      'Haddad',
      'Claessens',
      'Nguyen',
      'Rousseau',
      'Bakker',
      'Mahieu',
      'Kaya',
      'Diallo',
    ],
  },
};

/** Coaches per IPS partner (DOMAIN.md, "The Belgian pilot"). */
const COACHES: Record<string, number> = { 'VDAB-GTB': 17, 'ARTICLE-23': 5, ISPPC: 5, 'EQUIPE-MASS': 3 };

/**
 * The demo staff directory: four physicians per health insurer, the partners' coaches and a
 * supervisor each, a counsellor per SRE, and the subjects `npm run token` signs by default.
 */
async function seedStaffDemo(em: EntityManager): Promise<number> {
  if ((await em.count(StaffMemberEntity)) > 0) return 0;
  // The partners' supervisors work the convention's ½ FTE where it funds ½ (seeds/002); everyone else full time.
  const fteOf = (code: string, subject: string, fn: StaffFunctionValue) =>
    fn === StaffFunctionValue.SUPERVISOR && subject.startsWith('supervisor-') && code !== 'VDAB-GTB' ? 50 : 100;
  const staffSince = monthStart(addDays(belgianToday(), -Math.round(DEMO_MODEL.referralYears * 365.25)), 0);
  const staff: [string, string, StaffFunctionValue, string][] = [
    ...Object.keys(HEALTH_INSURERS).flatMap((code) =>
      [1, 2, 3, 4].map((n): [string, string, StaffFunctionValue, string] => [
        code,
        `dr-${code.toLowerCase()}-${n}`,
        StaffFunctionValue.ADVISING_PHYSICIAN,
        `Dr ${code} ${n}`,
      ]),
    ),
    ...Object.entries(COACHES).flatMap(([code, n]) => [
      ...Array.from({ length: n }, (_, i): [string, string, StaffFunctionValue, string] => [
        code,
        `coach-${code.toLowerCase()}-${i + 1}`,
        StaffFunctionValue.JOB_COACH,
        `Coach ${code} ${i + 1}`,
      ]),
      [code, `supervisor-${code.toLowerCase()}-1`, StaffFunctionValue.SUPERVISOR, `Supervisor ${code}`] as [
        string,
        string,
        StaffFunctionValue,
        string,
      ],
    ]),
    ...['VDAB', 'FOREM', 'ACTIRIS'].map((code): [string, string, StaffFunctionValue, string] => [
      code,
      `counsellor-${code.toLowerCase()}-1`,
      StaffFunctionValue.SRE_COUNSELLOR,
      `Counsellor ${code}`,
    ]),
    ['OA-300', 'dev-medecin-conseil', StaffFunctionValue.ADVISING_PHYSICIAN, 'Dr Dev (npm run token)'],
    ['ARTICLE-23', 'dev-job-coach', StaffFunctionValue.JOB_COACH, 'Coach Dev (npm run token)'],
    ['ARTICLE-23', 'dev-supervisor', StaffFunctionValue.SUPERVISOR, 'Supervisor Dev (npm run token)'],
    ['ULB', 'dev-researcher', StaffFunctionValue.RESEARCHER, 'Researcher Dev (npm run token)'],
    ['INAMI', 'dev-inami', StaffFunctionValue.INAMI_AGENT, 'Agent Dev (npm run token)'],
  ];
  for (const [code, subject, staffFunction, displayName] of staff) {
    // Enrolled as the pilot's referrals began: each month's staffing compares with the convention over the whole pilot (R17).
    em.create(StaffMemberEntity, {
      organisation: em.getReference(OrganisationEntity, code),
      subject,
      function: staffFunction,
      displayName,
      enrolledBy: 'demo',
      enrolledAt: new Date(`${staffSince}T00:00:00+01:00`),
      fteHundredths: fteOf(code, subject, staffFunction),
    });
  }
  await em.flush();
  return staff.length;
}

/**
 * Demo screening log (CONSORT enrolment): people the physicians assessed and did not refer, per region —
 * about one in four assessed, mostly because they did not want to (R1d) or declined the study (R1f) —
 * spread over the same four years as the referrals. One statement.
 */
async function seedScreeningDemo(
  em: ReturnType<MikroORM['em']['fork']>,
  firstDay: string,
  days: number,
): Promise<void> {
  const entries: [region: `${Region}`, outcome: string, condition: string | null, n: number][] = [
    ['FLANDERS', 'DECLINED', null, 58],
    ['FLANDERS', 'R1_NOT_MET', 'R1D', 41],
    ['FLANDERS', 'R1_NOT_MET', 'R1F', 26],
    ['FLANDERS', 'R1_NOT_MET', 'R1A', 11],
    ['WALLONIA', 'DECLINED', null, 34],
    ['WALLONIA', 'R1_NOT_MET', 'R1D', 23],
    ['WALLONIA', 'R1_NOT_MET', 'R1F', 16],
    ['WALLONIA', 'R1_NOT_MET', 'R1C', 7],
    ['BRUSSELS', 'DECLINED', null, 11],
    ['BRUSSELS', 'R1_NOT_MET', 'R1D', 9],
    ['BRUSSELS', 'R1_NOT_MET', 'R1F', 5],
  ];
  const random = new DemoRandom(20180104);
  const rows = entries
    .flatMap(([region, outcome, condition, n]) =>
      Array.from({ length: n }, () => ({
        screened_in: monthStart(addDays(firstDay, random.integer(0, days))),
        region,
        outcome,
        unmet_condition: condition,
      })),
    )
    .map((row, n) => ({ ...row, n }));
  await em.execute(
    `insert into participants.screening_entry (id, screened_in, region, health_insurer, physician_subject, outcome, unmet_condition, idempotency_key, requested_by, request_fingerprint)
     select gen_random_uuid(), x.screened_in, x.region, 'OA-300', 'dev-medecin-conseil', x.outcome, x.unmet_condition, 'demo-screening-' || x.n, 'demo', 'demo'
     from jsonb_to_recordset(?::jsonb) as x(screened_in date, region text, outcome text, unmet_condition text, n int)`,
    [JSON.stringify(rows)],
  );
}

/**
 * The pilot's people (DOMAIN.md, "The Belgian pilot"; subgraphs/kit/demo-model.ts): per region, the people
 * INAMI registered and randomised (340 / 200 / 60) referred evenly over the four years ending today, and a
 * few referred in the last days, still in INAMI's inbox. Each with a signed referral from an advising
 * physician of their health insurer and the consents that go with it (R1e, R1f), and — at the small rates
 * of the demo's model — a later withdrawal of the information-sharing consent (R18) or of the research
 * consent (R1f), dated after their registration. Ids are drawn from a seeded stream, so every subgraph's
 * loader derives the same course for a person (kit/demo-model.ts). Returns rows added.
 */
export async function seedParticipantsDemo(orm: MikroORM): Promise<number> {
  const em = orm.em.fork();
  const staff = await seedStaffDemo(em);
  if ((await em.count(ParticipantEntity)) > 0) return staff;
  const today = belgianToday();
  const firstDay = addDays(today, -Math.round(DEMO_MODEL.referralYears * 365.25));
  await seedScreeningDemo(em, firstDay, monthsBetween(firstDay, today) * 30);
  const random = new DemoRandom(20180101);
  const ids = new DemoRandom(20180103);
  const insurers = Object.keys(HEALTH_INSURERS);
  let serial = 1;
  const participants: Record<string, unknown>[] = [];
  const referrals: Record<string, unknown>[] = [];
  const consents: Record<string, unknown>[] = [];
  const researchConsents: Record<string, unknown>[] = [];
  const ledger: Record<string, unknown>[] = [];
  const { registrationDelayDays } = DEMO_MODEL;
  const lastReferral = addDays(today, -(registrationDelayDays.max + 1)); // registered by yesterday, whatever the delay
  const referralDays = Math.round((Date.parse(lastReferral) - Date.parse(firstDay)) / 86_400_000);
  const everyGrant = FULL_CONSENT.flatMap(({ recipient, categories }) =>
    categories.map((category) => ({ recipient, category })),
  );
  for (const region of Object.values(Region)) {
    const people = PEOPLE_BY_REGION[region];
    const registered = DEMO_MODEL.randomisedPerRegion[region];
    const awaiting = DEMO_MODEL.awaitingRegistrationPerRegion[region];
    for (let i = 0; i < registered + awaiting; i++) {
      const id = demoUuid(ids);
      const life = demoLife(id);
      // Evenly over the years (the i-th of the region's people), or in the last days (not registered yet: R5).
      const referredOn =
        i < registered
          ? addDays(firstDay, Math.floor(((i + random.next()) * referralDays) / registered))
          : addDays(today, -random.integer(0, registrationDelayDays.min - 1));
      const registeredOn = addDays(referredOn, life.registrationDelayDays);
      const submittedAt = `${referredOn}T10:00:00+01:00`;
      const birthDate = `${random.integer(1962, 2003)}-${String(random.integer(1, 12)).padStart(2, '0')}-${String(random.integer(1, 28)).padStart(2, '0')}`;
      const healthInsurer = random.pick(insurers);
      const physician = `dr-${healthInsurer.toLowerCase()}-${random.integer(1, 4)}`;
      const niss = makeNiss(birthDate, (serial++ % 997) + 1);
      participants.push({
        id,
        niss,
        given_name: random.pick(people.givenNames),
        family_name: random.pick(people.familyNames),
        birth_date: birthDate,
        region,
        postcode: random.pick(people.postcodes),
        health_insurer: healthInsurer,
        incapacity_status: random.next() < 0.4 ? IncapacityStatus.PRIMARY_INCAPACITY : IncapacityStatus.INVALIDITY,
        created_at: submittedAt,
      });
      referrals.push({
        participant_id: id,
        form: FORM_OF_REGION[region],
        region,
        signed_on: referredOn,
        submitted_at: submittedAt,
        referring_physician: physician,
        health_insurer: healthInsurer,
        idempotency_key: `demo-referral-${niss}`,
        requested_by: physician,
        request_fingerprint: fingerprint({ demo: niss }),
      });
      // Withdrawals happen after the registration, by the physician with the signed form, and only up to yesterday.
      const withdrawnOn = (afterDays: number | null) =>
        afterDays === null || i >= registered || addDays(registeredOn, afterDays) >= today
          ? null
          : `${addDays(registeredOn, afterDays)}T11:00:00+01:00`;
      const consentWithdrawn = withdrawnOn(life.consentWithdrawnAfterDays);
      const researchWithdrawn = withdrawnOn(life.researchWithdrawnAfterDays);
      // The signed consent that goes with every form (R1e, R1f): everything the pathway needs.
      const form = `CONSENT-${niss.slice(0, 6)}-${serial}`;
      consents.push({
        participant_id: id,
        signed_form_reference: form,
        granted_by: physician,
        granted_at: submittedAt,
        revoked_at: consentWithdrawn,
        revoked_by: consentWithdrawn ? physician : null,
      });
      researchConsents.push({
        participant_id: id,
        signed_form_reference: `RESEARCH-${form}`,
        given_by: physician,
        given_at: submittedAt,
        withdrawn_at: researchWithdrawn,
        withdrawn_by: researchWithdrawn ? physician : null,
      });
      // The ledger's facts as the participants subgraph writes them (LEDGER_FACTS): the grants in force, the research consent.
      ledger.push({
        participant_id: id,
        self_subject: niss,
        region,
        employment_service: EMPLOYMENT_SERVICE_OF[region],
        health_insurer: healthInsurer,
        physician_subject: physician,
        consent_grants: consentWithdrawn
          ? []
          : everyGrant.map(({ recipient, category }) => grantKey(recipient, category)).sort(),
        research_consent: !researchWithdrawn,
      });
    }
  }
  const confirmations = Object.keys(ALL_R1_CONFIRMATIONS).map((property) =>
    property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
  );
  // Set-based: one insert per table, in one transaction.
  await em.transactional(async (tx) => {
    await tx.execute(
      `insert into participants.participant (id, niss, given_name, family_name, birth_date, region, postcode, health_insurer, incapacity_status, created_at)
       select x.id, x.niss, x.given_name, x.family_name, x.birth_date, x.region, x.postcode, x.health_insurer, x.incapacity_status, x.created_at
       from jsonb_to_recordset(?::jsonb) as x(id uuid, niss text, given_name text, family_name text, birth_date date, region text, postcode text, health_insurer text, incapacity_status text, created_at timestamptz)`,
      [JSON.stringify(participants)],
    );
    await tx.execute(
      `insert into participants.referral (id, participant_id, form, region, ${confirmations.join(', ')}, signed_on, submitted_at, referring_physician, health_insurer,
         idempotency_key, requested_by, request_fingerprint)
       select gen_random_uuid(), x.participant_id, x.form, x.region, ${confirmations.map(() => 'true').join(', ')}, x.signed_on, x.submitted_at, x.referring_physician, x.health_insurer,
         x.idempotency_key, x.requested_by, x.request_fingerprint
       from jsonb_to_recordset(?::jsonb) as x(participant_id uuid, form text, region text, signed_on date, submitted_at timestamptz, referring_physician text, health_insurer text,
         idempotency_key text, requested_by text, request_fingerprint text)`,
      [JSON.stringify(referrals)],
    );
    // Each signed form grants every recipient every category it needs (FULL_CONSENT): forms × grants, built by the server.
    await tx.execute(
      `insert into participants.consent_grant (id, participant_id, recipient, category, signed_form_reference, granted_by, granted_at, revoked_at, revoked_by)
       select gen_random_uuid(), x.participant_id, g.recipient, g.category, x.signed_form_reference, x.granted_by, x.granted_at, x.revoked_at, x.revoked_by
       from jsonb_to_recordset(?::jsonb) as x(participant_id uuid, signed_form_reference text, granted_by text, granted_at timestamptz, revoked_at timestamptz, revoked_by text)
         cross join jsonb_to_recordset(?::jsonb) as g(recipient text, category text)`,
      [JSON.stringify(consents), JSON.stringify(everyGrant)],
    );
    await tx.execute(
      `insert into participants.research_consent (id, participant_id, signed_form_reference, given_by, given_at, withdrawn_at, withdrawn_by)
       select gen_random_uuid(), x.participant_id, x.signed_form_reference, x.given_by, x.given_at, x.withdrawn_at, x.withdrawn_by
       from jsonb_to_recordset(?::jsonb) as x(participant_id uuid, signed_form_reference text, given_by text, given_at timestamptz, withdrawn_at timestamptz, withdrawn_by text)`,
      [JSON.stringify(researchConsents)],
    );
    const facts = [
      'selfSubject',
      'region',
      'employmentService',
      'healthInsurer',
      'physicianSubject',
      'consentGrants',
      'researchConsent',
    ] as const satisfies readonly LedgerFact[];
    await tx.execute(
      `insert into access.ledger (participant_id, ${facts.map(ledgerColumn).join(', ')})
       select x.participant_id, x.self_subject, x.region, x.employment_service, x.health_insurer, x.physician_subject,
         array(select jsonb_array_elements_text(x.consent_grants)), x.research_consent
       from jsonb_to_recordset(?::jsonb) as x(participant_id uuid, self_subject text, region text, employment_service text, health_insurer text, physician_subject text, consent_grants jsonb, research_consent boolean)`,
      [JSON.stringify(ledger)],
    );
  });
  return staff + participants.length;
}
