/**
 * A caseload of exactly `size` open pathways for one job coach, whatever the demo drew: every bench that measures
 * "the caseload" measures the same work. The caseload is the open pathways whose ledger row names the coach
 * (relation referentCoach: partner and subject) and whose consent covers the coach's recipient for a pathway's
 * category (R11, R18), so this picks, deterministically, an active job coach of the partner with the most such
 * pathways, moves the first `size` of them by id onto that coach (pathway and ledger) and leaves every other open
 * pathway the coach held unassigned.
 */
import type pg from 'pg';
import type { Identity } from '../schema/identity.js';
import { categoryOf, grantKey, RECIPIENT_OF_ROLE, type Recipient } from '../schema/policy.js';

export async function exactCaseload(owner: pg.Client, size: number): Promise<Identity> {
  const grant = grantKey(RECIPIENT_OF_ROLE.JOB_COACH as Recipient, categoryOf('Pathway', 'id') ?? 'administrative');
  const [coach] = (
    await owner.query<{ job_coach: string; ips_partner: string; eligible: string }>(
      `with eligible as (
         select p.ips_partner, count(*) as n from pathways.pathway p join access.ledger l on l.participant_id = p.participant_id
         where p.status = 'OPEN' and l.trial_arm = 'IPS' and l.ips_partner = p.ips_partner and $1 = any(l.consent_grants) group by 1)
       select s.subject as job_coach, e.ips_partner, e.n as eligible from eligible e
         join participants.published_staff_member s on s.organisation = e.ips_partner and s.function = 'JOB_COACH' and s.active
       order by e.n desc, e.ips_partner, (select count(*) from pathways.pathway p where p.job_coach = s.subject and p.status = 'OPEN') desc, s.subject limit 1`,
      [grant],
    )
  ).rows;
  if (!coach || Number(coach.eligible) < size)
    throw new Error(
      `a caseload of ${size} needs an IPS partner with an active job coach and ${size} open IPS-arm pathways whose consent covers ${grant}; the demo's best has ${coach?.eligible ?? 0}`,
    );
  await owner.query(
    `with chosen as (
       select p.id from pathways.pathway p join access.ledger l on l.participant_id = p.participant_id
       where p.status = 'OPEN' and p.ips_partner = $2 and l.trial_arm = 'IPS' and l.ips_partner = p.ips_partner and $3 = any(l.consent_grants)
       order by (p.job_coach = $1) desc nulls last, p.id limit $4),
     released as (update pathways.pathway p set job_coach = null where p.job_coach = $1 and p.status = 'OPEN' and p.id not in (select id from chosen) returning p.participant_id),
     moved as (update pathways.pathway p set job_coach = $1 from chosen where p.id = chosen.id returning p.participant_id),
     cleared as (update access.ledger l set job_coach_subject = null from released where l.participant_id = released.participant_id)
     update access.ledger l set job_coach_subject = $1 from moved where l.participant_id = moved.participant_id`,
    [coach.job_coach, coach.ips_partner, grant, size],
  );
  // A ledger row naming the coach whose pathway is another stays off the caseload (open pathways only); any that
  // would still count is cleared so the count is exact.
  await owner.query(
    `update access.ledger l set job_coach_subject = null where l.job_coach_subject = $1
       and not exists (select 1 from pathways.pathway p where p.participant_id = l.participant_id and p.job_coach = $1)`,
    [coach.job_coach],
  );
  return { role: 'JOB_COACH', organisation: coach.ips_partner, subject: coach.job_coach };
}
