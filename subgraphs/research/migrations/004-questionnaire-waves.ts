import { Migration } from '@mikro-orm/migrations';

/**
 * R12 questionnaire waves: baseline at allocation, then every six months up to 30 months
 * (waves 0…5), in both arms. A row exists once a wave is opened (at home by the participant,
 * or at the IPS partner's computer — the SRE's reference counsellor's in the control arm) and
 * carries its answers as they are saved (category research, never readable by a care role), then
 * its completion; waves not yet opened are derived from the allocation date by the view below.
 * The instrument is a FHIR R4 Questionnaire (research/instrument), its version recorded per wave.
 *
 * `research.questionnaire_wave_status` is the one contract the other readers use (the
 * coach's reminder, the analysis dataset, the CONSORT flow, the integrators' aggregates):
 * one row per allocated participant and wave, with
 *   state: SCHEDULED (window not open yet) · DUE (window open, not started) · OPEN (started)
 *          · COMPLETED · MISSED (window closed without completion).
 * A wave's window opens 14 days before its due date and closes 8 weeks after it (Brussels days).
 * `research.published_questionnaire_wave_status` is the part other subgraphs read (pathways'
 * caseload reminder): no answers, no place.
 */
export class QuestionnaireWaves extends Migration {
  override name = '004-questionnaire-waves';

  override up(): void {
    this.addSql(`create table "research"."questionnaire_wave" (
      "participant_id" uuid not null,
      "wave" smallint not null,
      "instrument_version" varchar(40) not null,
      "opened_at" timestamptz not null,
      "opened_where" text not null,
      "opened_by" varchar(200) not null,
      "answers" jsonb not null,
      "answered_at" timestamptz null,
      "completed_at" timestamptz null,
      primary key ("participant_id", "wave"),
      constraint "questionnaire_wave_wave_check" check ("wave" between 0 and 5),
      constraint "questionnaire_wave_opened_where_check" check ("opened_where" in ('HOME', 'PARTNER'))
    );`);
    this.addSql(
      `comment on table "research"."questionnaire_wave" is 'R12: a questionnaire wave opened by or for a participant, and its answers (category research).';`,
    );
    this.addSql(`create view "research"."questionnaire_wave_status" as
      select a.participant_id, w.wave::smallint as wave, a.arm, a.region, d.due_on,
        case
          when q.completed_at is not null then 'COMPLETED'
          when t.today > d.due_on + 56 then 'MISSED'
          when q.opened_at is not null then 'OPEN'
          when t.today >= d.due_on - 14 then 'DUE'
          else 'SCHEDULED'
        end as state,
        q.opened_where, (q.completed_at at time zone 'Europe/Brussels')::date as completed_on
      from research.allocation a
      cross join generate_series(0, 5) as w(wave)
      cross join lateral (select ((a.allocated_at at time zone 'Europe/Brussels')::date + make_interval(months => 6 * w.wave))::date as due_on) d
      cross join lateral (select (now() at time zone 'Europe/Brussels')::date as today) t
      left join research.questionnaire_wave q on q.participant_id = a.participant_id and q.wave = w.wave;`);
    this.addSql(`create view "research"."published_questionnaire_wave_status" as
      select participant_id, wave, due_on, state from research.questionnaire_wave_status;`);
    this.addSql(
      `comment on view "research"."published_questionnaire_wave_status" is 'Published contract of the research subgraph: each allocated participant''s questionnaire waves, their due date and state (R12), no answers.';`,
    );
  }
}
