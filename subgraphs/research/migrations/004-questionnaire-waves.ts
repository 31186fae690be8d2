import { Migration } from '@mikro-orm/migrations';

/**
 * R12 questionnaire waves: baseline at allocation, then every six months up to 30 months
 * (waves 0…5), in both arms. A row exists once a wave is opened (at home by the participant,
 * or at the IPS partner's computer) and carries its answers once completed; waves not yet
 * opened are derived from the allocation date by the view below.
 *
 * `research.questionnaire_wave_status` is the one contract the other readers use (the
 * coach's reminder, the analysis dataset, the CONSORT flow, the integrators' aggregates):
 * one row per allocated participant and wave, with
 *   state: SCHEDULED (window not open yet) · DUE (window open, not started) · OPEN (started)
 *          · COMPLETED · MISSED (window closed without completion).
 * A wave's window opens 14 days before its due date and closes 8 weeks after it.
 */
export class QuestionnaireWaves extends Migration {
  override name = '004-questionnaire-waves';

  override up(): void {
    this.addSql(`create table "research"."questionnaire_wave" (
      "participant_id" uuid not null,
      "wave" smallint not null,
      "instrument_version" varchar(40) not null,
      "opened_at" timestamptz not null,
      "opened_where" varchar(10) not null,
      "answers" jsonb not null default '{}'::jsonb,
      "completed_at" timestamptz null,
      primary key ("participant_id", "wave"),
      constraint "questionnaire_wave_wave_check" check ("wave" between 0 and 5),
      constraint "questionnaire_wave_opened_where_check" check ("opened_where" in ('HOME', 'PARTNER'))
    );`);
    this.addSql(`comment on table "research"."questionnaire_wave" is 'R12: a questionnaire wave opened by or for a participant, and its answers (category research).';`);
    this.addSql(`create view "research"."questionnaire_wave_status" as
      select a.participant_id, w.wave::smallint as wave, a.arm, a.region,
        ((a.allocated_at at time zone 'Europe/Brussels')::date + make_interval(months => 6 * w.wave))::date as due_on,
        case
          when q.completed_at is not null then 'COMPLETED'
          when q.opened_at is not null and current_date <= ((a.allocated_at at time zone 'Europe/Brussels')::date + make_interval(months => 6 * w.wave))::date + 56 then 'OPEN'
          when current_date > ((a.allocated_at at time zone 'Europe/Brussels')::date + make_interval(months => 6 * w.wave))::date + 56 then 'MISSED'
          when current_date >= ((a.allocated_at at time zone 'Europe/Brussels')::date + make_interval(months => 6 * w.wave))::date - 14 then 'DUE'
          else 'SCHEDULED'
        end as state,
        q.opened_where, (q.completed_at at time zone 'Europe/Brussels')::date as completed_on
      from research.allocation a
      cross join generate_series(0, 5) as w(wave)
      left join research.questionnaire_wave q on q.participant_id = a.participant_id and q.wave = w.wave;`);
  }
}
