/**
 * The events of the demo's pathways that the demo seed leaves empty, made in SQL
 * on the server as the pathway's actors would have made them through the graph, in the domain's
 * order and proportions: the form forwarded to the SRE of the person's region once randomised (R7)
 * and mostly acknowledged; the free job seeker registration (R3); the resource person named (R8) or
 * the reference interview held (R9); welcome sessions every fortnight per SRE and partner, with the
 * IPS arm's invitations and attendance (R8, R11); the coach's first meeting and follow-ups every
 * eight weeks over two years, and the next one planned (R11); the RP1 (R10) and RP1IPS (R13) with
 * their copies to the physician of record; messages between coach and physician (R14); an art. 100
 * §2 request for each contract that needs one (R15: first contract, new employer, new function),
 * mostly decided, with its copy to the physician; and the access log of the reads these steps
 * imply (through its chaining trigger). Deterministic: every draw is a hash of the row's ids.
 * `scaleDemoData` copies these rows with everything else.
 */
import type pg from 'pg';

/** Tables this fills; it does nothing when any of them holds rows already (a demo used by hand). */
export const EVENT_TABLES = [
  'pathways.sre_inbox_item',
  'pathways.job_seeker_registration',
  'pathways.welcome_session',
  'pathways.welcome_invitation',
  'pathways.individual_meeting',
  'pathways.pathway_act',
  'pathways.physician_message',
  'pathways.work_authorisation',
] as const;

/** Tables the demo's outcomes seed writes to as well (first meetings, reference interviews, end-of-pathway notices). */
const OUTCOME_TABLES: ReadonlySet<string> = new Set([
  'pathways.individual_meeting',
  'pathways.pathway_act',
  'pathways.physician_message',
]);

/** A uniform draw in [0, 1) from a text: the same row always draws the same. */
const RANDOM_FUNCTION = `create or replace function pg_temp.draw(seed text) returns double precision language sql immutable as
  $$ select (('x' || substr(md5(seed), 1, 8))::bit(32)::bigint & 2147483647) / 2147483648.0 $$`;

/** Adds the events to the demo's pathways; returns rows added per table (empty when some exist already). */
export async function addDemoEvents(
  client: pg.Client,
  log: (line: string) => void = () => {},
): Promise<Record<string, number>> {
  const added: Record<string, number> = {};
  // The demo's outcomes (pathways/demo-outcomes.ts) hold some meetings, acts and messages already: the tables only this fills tell whether it ran.
  for (const table of EVENT_TABLES.filter((name) => !OUTCOME_TABLES.has(name))) {
    const { rows } = await client.query(`select 1 from ${table} limit 1`);
    if (rows.length) return added;
  }
  await client.query(RANDOM_FUNCTION);
  // The pathways with what each step reads: the person's SRE, arm, referent, physician of record.
  await client.query(`create temporary table demo_course on commit drop as
    select p.id as pathway_id, p.participant_id, p.registry_number, p.registered_at, p.ips_partner, p.job_coach, p.reference_counsellor,
           c.code as convention_code, l.employment_service, l.trial_arm, l.physician_subject,
           'counsellor-' || lower(l.employment_service) || '-1' as sre_desk,
           'supervisor-' || lower(p.ips_partner) || '-1' as supervisor
    from pathways.pathway p join access.ledger l on l.participant_id = p.participant_id join billing.convention c on c.id = p.convention_id
    where p.status = 'OPEN'`);
  const step = async (table: string, sql: string) => {
    const started = performance.now();
    const result = await client.query(sql);
    added[table] = (added[table] ?? 0) + (result.rowCount ?? 0);
    log(`  ${table}: +${result.rowCount} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  };

  // R7: INAMI forwards each randomised pathway to the SRE of the region, into its arm's mailbox, two days after registration; 92 % acknowledged.
  await step(
    'pathways.sre_inbox_item',
    `insert into pathways.sre_inbox_item (id, pathway_id, participant_id, referral_id, employment_service, mailbox, arrived_at, routed_by, acknowledged_at, acknowledged_by)
    select gen_random_uuid(), d.pathway_id, d.participant_id, p.referral_id, d.employment_service, case d.trial_arm when 'IPS' then 'IPS' else 'IPS_CONTROL_GROUP' end,
           d.registered_at + interval '2 days' + pg_temp.draw(d.pathway_id || ':arrive') * interval '6 hours', 'inami-demo',
           case when pg_temp.draw(d.pathway_id || ':ack') < 0.92 then d.registered_at + interval '3 days' + pg_temp.draw(d.pathway_id || ':ackd') * interval '4 days' end,
           case when pg_temp.draw(d.pathway_id || ':ack') < 0.92 then d.sre_desk end
    from demo_course d join pathways.pathway p on p.id = d.pathway_id where d.trial_arm is not null`,
  );
  // R3: 85 % of the forwarded people registered as job seekers under the convention's code, a week or two later.
  await step(
    'pathways.job_seeker_registration',
    `insert into pathways.job_seeker_registration (id, pathway_id, participant_id, employment_service, convention_code, registered_on, recorded_at, recorded_by)
    select gen_random_uuid(), i.pathway_id, i.participant_id, i.employment_service, d.convention_code, (i.arrived_at + interval '5 days' + pg_temp.draw(i.id || ':reg') * interval '9 days')::date,
           (i.arrived_at + interval '5 days' + pg_temp.draw(i.id || ':reg') * interval '9 days')::date + interval '10 hours', d.sre_desk
    from pathways.sre_inbox_item i join demo_course d on d.pathway_id = i.pathway_id where pg_temp.draw(i.id || ':js') < 0.85`,
  );
  // R8, R11: a welcome session every fortnight per SRE and partner; each IPS-arm person invited to the first one after their form arrived; 80 % came.
  await client.query(`create temporary table demo_invited on commit drop as
    select i.pathway_id, i.participant_id, i.employment_service, d.ips_partner, d.supervisor, d.sre_desk,
           date '2019-01-07' + 14 * ceil(((i.arrived_at::date + 3) - date '2019-01-07') / 14.0)::int as held_on
    from pathways.sre_inbox_item i join demo_course d on d.pathway_id = i.pathway_id where d.trial_arm = 'IPS'`);
  await step(
    'pathways.welcome_session',
    `insert into pathways.welcome_session (id, employment_service, ips_partner, held_on, place, organised_by, organised_at, attendance_recorded_at, attendance_recorded_by)
    select gen_random_uuid(), employment_service, ips_partner, held_on, employment_service || ' — ' || ips_partner, min(sre_desk), held_on - interval '10 days' + interval '9 hours',
           case when held_on < current_date then held_on + interval '1 day 16 hours' end, case when held_on < current_date then min(supervisor) end
    from demo_invited group by employment_service, ips_partner, held_on`,
  );
  await step(
    'pathways.welcome_invitation',
    `insert into pathways.welcome_invitation (id, session_id, pathway_id, participant_id, attended)
    select gen_random_uuid(), s.id, v.pathway_id, v.participant_id, case when s.held_on < current_date then pg_temp.draw(v.pathway_id || ':came') < 0.8 end
    from demo_invited v join pathways.welcome_session s on (s.employment_service, s.ips_partner, s.held_on) = (v.employment_service, v.ips_partner, v.held_on)`,
  );
  // R11: the coach's first meeting a week after the session (90 % held), a follow-up every eight weeks for two years, and the next one planned.
  await step(
    'pathways.individual_meeting',
    `insert into pathways.individual_meeting (id, pathway_id, participant_id, kind, scheduled_for, held_on, scheduled_by, planned_at, held_by, held_recorded_at)
    with firsts as (
      select d.pathway_id, d.participant_id, d.job_coach, coalesce(v.held_on, d.registered_at::date + 14) + 7 as scheduled_for, pg_temp.draw(d.pathway_id || ':first') < 0.9 as held
      from demo_course d left join demo_invited v on v.pathway_id = d.pathway_id where d.trial_arm = 'IPS' and d.job_coach is not null
        and not exists (select 1 from pathways.individual_meeting m where m.pathway_id = d.pathway_id and m.kind = 'FIRST')),
    -- The follow-ups go after every first meeting, those the demo's outcomes held as well.
    all_firsts as (
      select pathway_id, participant_id, job_coach, scheduled_for, held from firsts
      union all
      select m.pathway_id, m.participant_id, d.job_coach, m.scheduled_for, m.held_on is not null
      from pathways.individual_meeting m join demo_course d on d.pathway_id = m.pathway_id
      where m.kind = 'FIRST' and d.trial_arm = 'IPS' and d.job_coach is not null)
    select gen_random_uuid(), pathway_id, participant_id, 'FIRST', scheduled_for, case when held then scheduled_for end, job_coach, (scheduled_for - 6) + interval '11 hours',
           case when held then job_coach end, case when held then scheduled_for + interval '17 hours' end
    from firsts
    union all
    select gen_random_uuid(), f.pathway_id, f.participant_id, 'FOLLOW_UP', f.scheduled_for + 56 * g + (pg_temp.draw(f.pathway_id || ':' || g) * 7)::int, f.scheduled_for + 56 * g + (pg_temp.draw(f.pathway_id || ':' || g) * 7)::int,
           f.job_coach, (f.scheduled_for + 56 * g - 14) + interval '15 hours', f.job_coach, (f.scheduled_for + 56 * g + (pg_temp.draw(f.pathway_id || ':' || g) * 7)::int) + interval '17 hours'
    from all_firsts f cross join generate_series(1, 12) g where f.held
    union all
    select gen_random_uuid(), pathway_id, participant_id, 'FOLLOW_UP', current_date + (pg_temp.draw(pathway_id || ':next') * 28)::int, null, job_coach, now() - interval '3 days', null, null
    from all_firsts where held`,
  );
  // R8–R10, R13, R14: the acts, each by its actor; the physician's copies follow.
  await step(
    'pathways.pathway_act',
    `insert into pathways.pathway_act (id, pathway_id, participant_id, kind, act_on, person, detail, actor, recorded_at, detail_category)
    with acts as (
      select d.*, i.arrived_at::date as arrived_on from demo_course d join pathways.sre_inbox_item i on i.pathway_id = d.pathway_id),
    firsts as (select pathway_id, scheduled_for from pathways.individual_meeting where kind = 'FIRST'),
    made as (
      select pathway_id, participant_id, 'RESOURCE_PERSON_NAMED' as kind, arrived_on + 3 as act_on, 'Personne ressource ' || employment_service as person, '' as detail, sre_desk as actor, 'administrative' as category
      from acts where trial_arm = 'IPS' and pg_temp.draw(pathway_id || ':rp') < 0.9
      union all
      select pathway_id, participant_id, 'REFERENCE_INTERVIEW_HELD', arrived_on + 10, 'Conseiller de référence ' || employment_service, '', coalesce(reference_counsellor, sre_desk), 'administrative'
      from acts where trial_arm = 'CONTROL' and pg_temp.draw(pathway_id || ':ri') < 0.9
      union all
      select pathway_id, participant_id, 'RP1_FILED', arrived_on + 30, null, '', sre_desk, 'administrative' from acts where pg_temp.draw(pathway_id || ':rp1') < 0.7
      union all
      select a.pathway_id, a.participant_id, 'RP1IPS_SENT', f.scheduled_for + 14, null, '', a.job_coach, 'administrative'
      from acts a join firsts f on f.pathway_id = a.pathway_id where a.trial_arm = 'IPS' and a.job_coach is not null and pg_temp.draw(a.pathway_id || ':rp1ips') < 0.8
      union all
      select a.pathway_id, a.participant_id, 'MESSAGE_TO_PHYSICIAN', f.scheduled_for + 30 + 90 * g, null, 'Rencontres régulières, recherche d''emploi en cours.', a.job_coach, 'employment'
      from acts a join firsts f on f.pathway_id = a.pathway_id cross join generate_series(1, 3) g where a.job_coach is not null and pg_temp.draw(a.pathway_id || ':tophys' || g) < 0.5
      union all
      select a.pathway_id, a.participant_id, 'MESSAGE_TO_JOB_COACH', f.scheduled_for + 45 + 90 * g, null, 'Merci pour le suivi.', a.physician_subject, 'administrative'
      from acts a join firsts f on f.pathway_id = a.pathway_id cross join generate_series(1, 3) g where a.job_coach is not null and a.physician_subject is not null and pg_temp.draw(a.pathway_id || ':tocoach' || g) < 0.5)
    select gen_random_uuid(), pathway_id, participant_id, kind, act_on, person, detail, actor, act_on + interval '9 hours' + pg_temp.draw(pathway_id || kind || act_on) * interval '8 hours', category
    from made where act_on <= current_date`,
  );
  await step(
    'pathways.physician_message',
    `insert into pathways.physician_message (id, participant_id, pathway_id, physician_subject, kind, body, sent_at, sent_by, read_at, body_category, notice, message_id, message_params)
    select gen_random_uuid(), a.participant_id, a.pathway_id, d.physician_subject, case a.kind when 'RP1_FILED' then 'RP1' when 'RP1IPS_SENT' then 'RP1IPS' else 'COACH_MESSAGE' end,
           a.kind || ' on ' || a.act_on || ' (' || d.registry_number || ')' || case when a.detail <> '' then ': ' || a.detail else '' end,
           a.recorded_at, a.actor, case when pg_temp.draw(a.id || ':read') < 0.85 then a.recorded_at + interval '2 days' end, a.detail_category, false,
           'physicianMessage.act', jsonb_build_object('act', a.kind, 'on', a.act_on::text, 'registryNumber', d.registry_number, 'detail', a.detail)
    from pathways.pathway_act a join demo_course d on d.pathway_id = a.pathway_id
    where a.kind in ('RP1_FILED', 'RP1IPS_SENT', 'MESSAGE_TO_PHYSICIAN') and d.physician_subject is not null`,
  );
  // R15: the request each contract needs (training none; else first contract, new employer, new function), 93 % granted, 3 % refused, 4 % waiting.
  await step(
    'pathways.work_authorisation',
    `insert into pathways.work_authorisation (id, contract_id, pathway_id, participant_id, reason, physician_subject, requested_at, decision, decided_at, decided_by, decision_reason, decision_reason_category)
    with paid as (
      select c.*, lag(c.employer_number) over w as previous_employer, lag(c.job_function) over w as previous_function, count(*) over w as earlier
      from pathways.employment_contract c where c.contract_type <> 'IN_COMPANY_TRAINING'
      window w as (partition by c.pathway_id order by c.starts_on, c.recorded_at, c.id)),
    needed as (
      select p.*, d.physician_subject, case when p.previous_employer is null then 'FIRST_CONTRACT' when p.previous_employer <> p.employer_number then 'NEW_EMPLOYER'
             when lower(trim(p.previous_function)) <> lower(trim(p.job_function)) then 'NEW_FUNCTION' end as reason, pg_temp.draw(p.id || ':decide') as fate
      from paid p join demo_course d on d.pathway_id = p.pathway_id where d.physician_subject is not null)
    select gen_random_uuid(), id, pathway_id, participant_id, reason, physician_subject, recorded_at,
           case when fate < 0.93 then 'GRANTED' when fate < 0.96 then 'REFUSED' else 'PENDING' end,
           case when fate < 0.96 then recorded_at + interval '3 days' + fate * interval '7 days' end, case when fate < 0.96 then physician_subject end,
           case when fate >= 0.93 and fate < 0.96 then 'The proposed work is not compatible with the state of health (demo).' end,
           case when fate >= 0.93 and fate < 0.96 then 'health' else 'administrative' end
    from needed where reason is not null`,
  );
  await step(
    'pathways.physician_message',
    `insert into pathways.physician_message (id, participant_id, pathway_id, physician_subject, kind, body, sent_at, sent_by, read_at, body_category, notice, message_id, message_params)
    select gen_random_uuid(), w.participant_id, w.pathway_id, w.physician_subject, 'WORK_AUTHORISATION_REQUEST',
           'Work authorisation requested (art. 100 §2, ' || w.reason || '): ' || c.job_function || ' at ' || c.employer || ', from ' || c.starts_on || ', ' || c.weekly_hours || ' h a week (' || c.contract_type || ').',
           w.requested_at, c.recorded_by, case when w.decision <> 'PENDING' then w.decided_at end, 'employment', false, 'physicianMessage.workAuthorisation',
           jsonb_build_object('reason', w.reason, 'jobFunction', c.job_function, 'employer', c.employer, 'startsOn', c.starts_on::text, 'weeklyHours', c.weekly_hours::text, 'contractType', c.contract_type)
    from pathways.work_authorisation w join pathways.employment_contract c on c.id = w.contract_id`,
  );
  // The reads these steps imply, oldest first through the log's chaining trigger: the physician at the referral,
  // INAMI at registration, the SRE at routing, the referent at each meeting held and contract recorded.
  await step(
    'access.access_log',
    `insert into access.access_log (at, subject, role, organisation, participant_id, categories, operation, subgraph)
    select at, subject, role, organisation, participant_id, categories, operation, subgraph from (
      select r.submitted_at as at, r.referring_physician as subject, 'MEDECIN_CONSEIL' as role, r.health_insurer as organisation, r.participant_id, '{administrative,health,identity}'::text[] as categories, 'SubmitReferral' as operation, 'participants' as subgraph
      from participants.referral r
      union all
      select d.registered_at, 'inami-demo', 'INAMI', 'INAMI', d.participant_id, '{administrative,identity}', 'IntakeQueue', 'participants' from demo_course d
      union all
      select i.acknowledged_at, i.acknowledged_by, 'SRE', i.employment_service, i.participant_id, '{administrative,contact,identity}', 'SreInbox', 'participants' from pathways.sre_inbox_item i where i.acknowledged_at is not null
      union all
      select m.held_recorded_at, m.held_by, 'JOB_COACH', d.ips_partner, m.participant_id, '{administrative,contact,employment,identity}', 'Caseload', 'pathways'
      from pathways.individual_meeting m join demo_course d on d.pathway_id = m.pathway_id where m.held_on is not null
      union all
      select c.recorded_at, c.recorded_by, case when d.trial_arm = 'IPS' then 'JOB_COACH' else 'SRE' end, case when d.trial_arm = 'IPS' then d.ips_partner else d.employment_service end,
             c.participant_id, '{employment,identity}', 'RecordEmploymentContract', 'pathways'
      from pathways.employment_contract c join demo_course d on d.pathway_id = c.pathway_id) reads
    where at is not null order by at, participant_id`,
  );
  return added;
}
