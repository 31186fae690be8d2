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
import { ledgerColumn } from '../kit/access/decide.js';
import { fingerprint } from '../kit/idempotency.js';
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
  const conventions = await em.execute<{ convention_id: string; code: string }[]>(
    'select convention_id, code from billing.published_convention',
  );
  const byCode = new Map(conventions.map((c) => [c.code, c.convention_id]));
  const today = belgianToday();
  const chosen = referrals
    .map((referral) => ({
      ...referral,
      registeredOn: addDays(referral.referred_on, demoLife(referral.participant_id).registrationDelayDays),
    }))
    .filter((referral) => referral.code !== null && referral.registeredOn < today)
    .sort((a, b) => a.registeredOn.localeCompare(b.registeredOn) || a.participant_id.localeCompare(b.participant_id));
  const numbers = await em.execute<{ n: string }[]>(
    "select nextval('pathways.registry_number_seq') as n from generate_series(1, ?)",
    [chosen.length],
  );
  const random = new DemoRandom(20180102);
  const pathways = chosen.map((referral, index) => {
    const code = referral.code!; // Liège or Charleroi by the person's postcode, as registerPathway derives it
    // A referent job coach (R11) once the supervisor assigned one: everyone registered over a month ago, half of the others.
    const assigned = referral.registeredOn < addDays(today, -30) || random.next() < 0.5;
    return {
      registry_number: `IPS-${String(numbers[index]!.n).padStart(6, '0')}`,
      referral_id: referral.referral_id,
      participant_id: referral.participant_id,
      convention_id: byCode.get(code)!,
      ips_partner: code,
      job_coach: assigned ? `coach-${code.toLowerCase()}-${random.integer(1, COACHES[code] ?? 1)}` : null,
      registered_at: `${referral.registeredOn}T09:00:00+01:00`,
      idempotency_key: `demo-pathway-${referral.referral_id}`,
      request_fingerprint: fingerprint({ demo: referral.referral_id }),
    };
  });
  // Set-based: the pathways, then their ledger facts as registerPathway writes them (LEDGER_FACTS: partner, referent).
  await em.transactional(async (tx) => {
    await tx.execute(
      `insert into pathways.pathway (id, registry_number, referral_id, participant_id, convention_id, ips_partner, job_coach, status, registered_at, idempotency_key, requested_by, request_fingerprint)
       select gen_random_uuid(), x.registry_number, x.referral_id, x.participant_id, x.convention_id, x.ips_partner, x.job_coach, 'OPEN', x.registered_at, x.idempotency_key, 'inami-demo', x.request_fingerprint
       from jsonb_to_recordset(?::jsonb) as x(registry_number text, referral_id uuid, participant_id uuid, convention_id uuid, ips_partner text, job_coach text, registered_at timestamptz, idempotency_key text, request_fingerprint text)`,
      [JSON.stringify(pathways)],
    );
    await tx.execute(
      `insert into access.ledger (participant_id, ${ledgerColumn('ipsPartner')}, ${ledgerColumn('jobCoachSubject')})
       select x.participant_id, x.ips_partner, x.job_coach from jsonb_to_recordset(?::jsonb) as x(participant_id uuid, ips_partner text, job_coach text)
       on conflict (participant_id) do update set ${ledgerColumn('ipsPartner')} = excluded.${ledgerColumn('ipsPartner')}, ${ledgerColumn('jobCoachSubject')} = excluded.${ledgerColumn('jobCoachSubject')}, updated_at = now()`,
      [JSON.stringify(pathways)],
    );
  });
  return chosen.length;
}
