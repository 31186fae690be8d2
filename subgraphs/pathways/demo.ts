/**
 * Demo data: INAMI has registered a pathway for every demo referral whose registration day
 * (kit/demo-model.ts: days after the referral) is past, under the convention of the partner whose
 * catchment holds the person's postcode (R3, R17); the referrals of the last days wait in INAMI's
 * inbox. Most pathways already have a referent job coach; the research subgraph randomises each
 * person at their registration (R6), and the late loader (demo-outcomes.ts) gives the control group
 * its SRE counsellor instead (R9).
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { addDays, demoLife } from '../kit/demo-model.js';
import { DemoRandom } from '../kit/demo-random.js';
import { belgianToday, type Region } from '../kit/domain.js';
import { writeLedgerFacts } from '../kit/access/ledger.js';
import { fingerprint } from '../kit/idempotency.js';
import { SqlStatementCounter } from '../kit/orm.js';
import { PathwayEntity } from './entities/pathway.entity.js';

interface ReferralRow {
  referral_id: string;
  participant_id: string;
  region: Region;
  referred_on: string;
  /** The convention whose catchment holds the person's postcode (R3, R17). */
  code: string | null;
}

/** Coaches per IPS partner (participants/demo.ts seeds them in the staff directory). */
const COACHES: Record<string, number> = { 'VDAB-GTB': 17, 'ARTICLE-23': 5, ISPPC: 5, 'EQUIPE-MASS': 3 };

export async function seedPathwaysDemo(orm: MikroORM): Promise<number> {
  const em = orm.em.fork();
  if ((await em.count(PathwayEntity)) > 0) return 0;
  const referrals = await em.execute<ReferralRow[]>(
    `select r.referral_id, r.participant_id, r.region, to_char(r.submitted_at at time zone 'Europe/Brussels', 'YYYY-MM-DD') as referred_on, k.code
     from participants.published_referral r
       left join billing.published_convention_catchment k on (case when r.postcode ~ '^[0-9]{4}$' then r.postcode::int end) between k.postcode_from and k.postcode_to
     where not r.superseded`,
  );
  const conventions = await em.execute<{ convention_id: string; code: string }[]>('select convention_id, code from billing.published_convention');
  const byCode = new Map(conventions.map((c) => [c.code, c.convention_id]));
  const today = belgianToday();
  const chosen = referrals
    .map((referral) => ({ ...referral, registeredOn: addDays(referral.referred_on, demoLife(referral.participant_id).registrationDelayDays) }))
    .filter((referral) => referral.code !== null && referral.registeredOn < today)
    .sort((a, b) => a.registeredOn.localeCompare(b.registeredOn) || a.participant_id.localeCompare(b.participant_id));
  const numbers = await em.execute<{ n: string }[]>("select nextval('pathways.registry_number_seq') as n from generate_series(1, ?)", [chosen.length]);
  const random = new DemoRandom(20180102);
  const pathways: { participantId: string; ipsPartner: string; jobCoach?: string }[] = [];
  chosen.forEach((referral, index) => {
    const code = referral.code!; // Liège or Charleroi by the person's postcode, as registerPathway derives it
    // A referent job coach (R11) once the supervisor assigned one: everyone registered over a month ago, half of the others.
    const assigned = referral.registeredOn < addDays(today, -30) || random.next() < 0.5;
    const jobCoach = assigned ? `coach-${code.toLowerCase()}-${random.integer(1, COACHES[code] ?? 1)}` : undefined;
    pathways.push({ participantId: referral.participant_id, ipsPartner: code, jobCoach });
    em.create(PathwayEntity, {
      ipsPartner: code,
      jobCoach,
      registryNumber: `IPS-${String(numbers[index]!.n).padStart(6, '0')}`,
      referralId: referral.referral_id,
      participantId: referral.participant_id,
      conventionId: byCode.get(code)!,
      registeredAt: new Date(`${referral.registeredOn}T09:00:00+01:00`),
      idempotencyKey: `demo-pathway-${referral.referral_id}`,
      requestedBy: 'inami-demo',
      requestFingerprint: fingerprint({ demo: referral.referral_id }),
    });
  });
  await em.begin();
  try {
    await em.flush();
    const runner = { em, sqlCounter: new SqlStatementCounter() };
    for (const pathway of pathways) {
      await writeLedgerFacts(runner, 'pathways', pathway.participantId, { ipsPartner: pathway.ipsPartner, jobCoachSubject: pathway.jobCoach ?? null });
    }
    await em.commit();
  } catch (error) {
    await em.rollback();
    throw error;
  }
  return chosen.length;
}
