/**
 * Demo data: a few hundred referred people who look Belgian (valid NISS, real
 * postcodes of the pilot's sites, names of the three regions), each with a signed
 * referral from an advising physician of their health insurer.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { grantKey } from '../../schema/policy.js';
import { writeLedgerFacts } from '../kit/access/ledger.js';
import { DemoRandom } from '../kit/demo-random.js';
import { EMPLOYMENT_SERVICE_OF, HEALTH_INSURERS, Region } from '../kit/domain.js';
import { fingerprint } from '../kit/idempotency.js';
import { SqlStatementCounter } from '../kit/orm.js';
import { ConsentGrantEntity, ResearchConsentEntity } from './entities/consent.entity.js';
import { IncapacityStatus, ParticipantEntity } from './entities/participant.entity.js';
import { FULL_CONSENT } from './services/consent.service.js';
import { ALL_R1_CONFIRMATIONS, FORM_OF_REGION, ReferralEntity } from './entities/referral.entity.js';
import { makeNiss } from './services/niss.js';
import { OrganisationEntity, StaffFunctionValue, StaffMemberEntity } from './entities/staff.entity.js';

const PEOPLE_BY_REGION: Record<Region, { share: number; postcodes: string[]; givenNames: string[]; familyNames: string[] }> = {
  [Region.FLANDERS]: {
    share: 340,
    postcodes: ['2000', '2018', '2800', '3000', '3500', '8000', '8500', '9000', '9300'],
    givenNames: ['Lotte', 'Wout', 'Sofie', 'Jens', 'Annelies', 'Pieter', 'Fien', 'Bram', 'Els', 'Koen', 'Hanne', 'Stijn'],
    familyNames: ['Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet', 'Vermeulen', 'Van den Broeck'],
  },
  [Region.WALLONIA]: {
    share: 200,
    postcodes: ['4000', '4020', '4100', '4800', '6000', '6001', '6040', '6060'],
    givenNames: ['Camille', 'Julien', 'Manon', 'Thomas', 'Laura', 'Nicolas', 'Chloé', 'Maxime', 'Sarah', 'Antoine', 'Pauline', 'Olivier'],
    familyNames: ['Dubois', 'Lambert', 'Dupont', 'Martin', 'Simon', 'Lejeune', 'Leclercq', 'Renard', 'Collard', 'François', 'Lemaire', 'Gilson'],
  },
  [Region.BRUSSELS]: {
    share: 60,
    postcodes: ['1000', '1030', '1050', '1060', '1070', '1080', '1180', '1200'],
    givenNames: ['Yasmine', 'Mehdi', 'Inès', 'Karim', 'Nora', 'Lucas', 'Amina', 'Elias', 'Léa', 'Youssef', 'Emma', 'Samir'],
    familyNames: ['El Amrani', 'Vandenberghe', 'Benali', 'Dumont', 'Haddad', 'Claessens', 'Nguyen', 'Rousseau', 'Bakker', 'Mahieu', 'Kaya', 'Diallo'],
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
  const staff: [string, string, StaffFunctionValue, string][] = [
    ...Object.keys(HEALTH_INSURERS).flatMap((code) => [1, 2, 3, 4].map((n): [string, string, StaffFunctionValue, string] => [code, `dr-${code.toLowerCase()}-${n}`, StaffFunctionValue.ADVISING_PHYSICIAN, `Dr ${code} ${n}`])),
    ...Object.entries(COACHES).flatMap(([code, n]) => [
      ...Array.from({ length: n }, (_, i): [string, string, StaffFunctionValue, string] => [code, `coach-${code.toLowerCase()}-${i + 1}`, StaffFunctionValue.JOB_COACH, `Coach ${code} ${i + 1}`]),
      [code, `supervisor-${code.toLowerCase()}-1`, StaffFunctionValue.SUPERVISOR, `Supervisor ${code}`] as [string, string, StaffFunctionValue, string],
    ]),
    ...['VDAB', 'FOREM', 'ACTIRIS'].map((code): [string, string, StaffFunctionValue, string] => [code, `counsellor-${code.toLowerCase()}-1`, StaffFunctionValue.SRE_COUNSELLOR, `Counsellor ${code}`]),
    ['OA-300', 'dev-medecin-conseil', StaffFunctionValue.ADVISING_PHYSICIAN, 'Dr Dev (npm run token)'],
    ['ARTICLE-23', 'dev-job-coach', StaffFunctionValue.JOB_COACH, 'Coach Dev (npm run token)'],
    ['ARTICLE-23', 'dev-supervisor', StaffFunctionValue.SUPERVISOR, 'Supervisor Dev (npm run token)'],
    ['ULB', 'dev-researcher', StaffFunctionValue.RESEARCHER, 'Researcher Dev (npm run token)'],
    ['INAMI', 'dev-inami', StaffFunctionValue.INAMI_AGENT, 'Agent Dev (npm run token)'],
  ];
  for (const [code, subject, staffFunction, displayName] of staff) {
    em.create(StaffMemberEntity, { organisation: em.getReference(OrganisationEntity, code), subject, function: staffFunction, displayName, enrolledBy: 'demo' });
  }
  await em.flush();
  return staff.length;
}

/** Adds `count` referred people unless some exist already; returns how many it added. */
/**
 * Demo screening log (CONSORT enrolment): people the physicians assessed and did not refer, per region —
 * about one in four assessed, mostly because they did not want to (R1d) or declined the study (R1f).
 */
async function seedScreeningDemo(em: ReturnType<MikroORM['em']['fork']>): Promise<void> {
  const entries: [region: `${Region}`, outcome: string, condition: string | null, n: number][] = [
    ['FLANDERS', 'DECLINED', null, 31], ['FLANDERS', 'R1_NOT_MET', 'R1D', 22], ['FLANDERS', 'R1_NOT_MET', 'R1F', 14], ['FLANDERS', 'R1_NOT_MET', 'R1A', 6],
    ['WALLONIA', 'DECLINED', null, 18], ['WALLONIA', 'R1_NOT_MET', 'R1D', 12], ['WALLONIA', 'R1_NOT_MET', 'R1F', 9], ['WALLONIA', 'R1_NOT_MET', 'R1C', 4],
    ['BRUSSELS', 'DECLINED', null, 6], ['BRUSSELS', 'R1_NOT_MET', 'R1D', 5], ['BRUSSELS', 'R1_NOT_MET', 'R1F', 3],
  ];
  let index = 0;
  for (const [region, outcome, condition, n] of entries) {
    for (let i = 0; i < n; i++, index++) {
      await em.execute(
        `insert into participants.screening_entry (id, screened_in, region, health_insurer, physician_subject, outcome, unmet_condition, idempotency_key, requested_by, request_fingerprint)
         values (gen_random_uuid(), make_date(2019 + ? % 3, 1 + ? % 12, 1), ?, 'OA-300', 'dev-medecin-conseil', ?, ?, ?, 'demo', 'demo')`,
        [index, index, region, outcome, condition, `demo-screening-${index}`],
      );
    }
  }
}

export async function seedParticipantsDemo(orm: MikroORM, count = 300): Promise<number> {
  const em = orm.em.fork();
  const staff = await seedStaffDemo(em);
  if ((await em.count(ParticipantEntity)) > 0) return staff;
  await seedScreeningDemo(em);
  const random = new DemoRandom(20180101);
  const insurers = Object.keys(HEALTH_INSURERS);
  const total = Object.values(PEOPLE_BY_REGION).reduce((sum, region) => sum + region.share, 0);
  let serial = 1;
  const ledgerRows: Parameters<typeof writeLedgerFacts>[3][] = [];
  const participants: ParticipantEntity[] = [];
  for (const [region, people] of Object.entries(PEOPLE_BY_REGION) as [Region, (typeof PEOPLE_BY_REGION)[Region]][]) {
    const regionCount = Math.round((count * people.share) / total);
    for (let i = 0; i < regionCount; i++) {
      const birthDate = `${random.integer(1962, 2003)}-${String(random.integer(1, 12)).padStart(2, '0')}-${String(random.integer(1, 28)).padStart(2, '0')}`;
      const healthInsurer = random.pick(insurers);
      const physician = `dr-${healthInsurer.toLowerCase()}-${random.integer(1, 4)}`;
      const participant = em.create(ParticipantEntity, {
        niss: makeNiss(birthDate, (serial++ % 997) + 1),
        givenName: random.pick(people.givenNames),
        familyName: random.pick(people.familyNames),
        birthDate,
        region,
        postcode: random.pick(people.postcodes),
        healthInsurer,
        incapacityStatus: random.next() < 0.4 ? IncapacityStatus.PRIMARY_INCAPACITY : IncapacityStatus.INVALIDITY,
      });
      const signedOn = `2019-${String(random.integer(1, 12)).padStart(2, '0')}-${String(random.integer(1, 28)).padStart(2, '0')}`;
      em.create(ReferralEntity, {
        participant,
        form: FORM_OF_REGION[region],
        region,
        ...ALL_R1_CONFIRMATIONS,
        signedOn,
        submittedAt: new Date(`${signedOn}T10:00:00+01:00`),
        referringPhysician: physician,
        healthInsurer,
        idempotencyKey: `demo-referral-${participant.niss}`,
        requestedBy: physician,
        requestFingerprint: fingerprint({ demo: participant.niss }),
      });
      // The signed consent that goes with every form (R1e, R1f): everything the pathway needs.
      const form = `CONSENT-${participant.niss.slice(0, 6)}-${serial}`;
      for (const { recipient, categories } of FULL_CONSENT) {
        for (const category of categories) em.create(ConsentGrantEntity, { participant, recipient, category, signedFormReference: form, grantedBy: physician, grantedAt: new Date(`${signedOn}T10:00:00+01:00`) });
      }
      em.create(ResearchConsentEntity, { participant, signedFormReference: `RESEARCH-${form}`, givenBy: physician, givenAt: new Date(`${signedOn}T10:00:00+01:00`) });
      participants.push(participant);
      ledgerRows.push({
        selfSubject: participant.niss,
        region,
        employmentService: EMPLOYMENT_SERVICE_OF[region],
        healthInsurer,
        physicianSubject: physician,
        consentGrants: FULL_CONSENT.flatMap(({ recipient, categories }) => categories.map((category) => grantKey(recipient, category))).sort(),
        researchConsent: true,
      });
    }
  }
  await em.begin();
  try {
    await em.flush();
    const runner = { em, sqlCounter: new SqlStatementCounter() };
    for (const [index, participant] of participants.entries()) await writeLedgerFacts(runner, 'participants', participant.id, ledgerRows[index]!);
    await em.commit();
  } catch (error) {
    await em.rollback();
    throw error;
  }
  return staff + participants.length;
}
