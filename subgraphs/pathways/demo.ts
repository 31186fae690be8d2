/**
 * Demo data: INAMI has registered a pathway for most demo referrals, under the
 * convention of a partner of the person's region, most with a referent job coach.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { DemoRandom } from '../kit/demo-random.js';
import type { Region } from '../kit/domain.js';
import { writeLedgerFacts } from '../kit/access/ledger.js';
import { fingerprint } from '../kit/idempotency.js';
import { SqlStatementCounter } from '../kit/orm.js';
import { PathwayEntity } from './entities/pathway.entity.js';

interface ReferralRow {
  referral_id: string;
  participant_id: string;
  region: Region;
  submitted_at: Date;
  /** The convention whose catchment holds the person's postcode (R3, R17). */
  code: string | null;
}

export async function seedPathwaysDemo(orm: MikroORM, share = 0.8): Promise<number> {
  const em = orm.em.fork();
  if ((await em.count(PathwayEntity)) > 0) return 0;
  const referrals = await em.execute<ReferralRow[]>(
    `select r.referral_id, r.participant_id, r.region, r.submitted_at, k.code from participants.published_referral r
       left join billing.published_convention_catchment k on (case when r.postcode ~ '^[0-9]{4}$' then r.postcode::int end) between k.postcode_from and k.postcode_to
     order by r.submitted_at, r.referral_id`,
  );
  const conventions = await em.execute<{ convention_id: string; code: string; region: Region }[]>('select convention_id, code, region from billing.published_convention');
  const byCode = new Map(conventions.map((c) => [c.code, c.convention_id]));
  const random = new DemoRandom(20180102);
  const chosen = referrals.filter((referral) => random.next() <= share && referral.code !== null);
  const numbers = await em.execute<{ n: string }[]>("select nextval('pathways.registry_number_seq') as n from generate_series(1, ?)", [chosen.length]);
  const pathways: { participantId: string; ipsPartner: string; jobCoach?: string }[] = [];
  chosen.forEach((referral, index) => {
    const code = referral.code!; // Liège or Charleroi by the person's postcode, as registerPathway derives it
    // Most pathways already have a referent job coach (R11): coach-<partner>-<1..n>.
    const jobCoach = random.next() < 0.7 ? `coach-${code.toLowerCase()}-${random.integer(1, code === 'VDAB-GTB' ? 17 : code === 'EQUIPE-MASS' ? 3 : 5)}` : undefined;
    pathways.push({ participantId: referral.participant_id, ipsPartner: code, jobCoach });
    em.create(PathwayEntity, {
      ipsPartner: code,
      jobCoach,
      registryNumber: `IPS-${String(numbers[index]!.n).padStart(6, '0')}`,
      referralId: referral.referral_id,
      participantId: referral.participant_id,
      conventionId: byCode.get(code)!,
      registeredAt: new Date(new Date(referral.submitted_at).getTime() + 7 * 86_400_000),
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
