import { Migration } from '@mikro-orm/migrations';

/**
 * A pathway ended by a consent withdrawal (R18) and the physician's
 * notice of it (R16); follow-up meetings and re-invitation to a later welcome session (R8, R11);
 * who did each thing and when it was recorded, for a timeline in the order things happened.
 */
export class WithdrawalMeetingsTimeline extends Migration {
  override name = '012-withdrawal-meetings-timeline';

  override up(): void {
    this.addSql(`alter table "pathways"."pathway" drop constraint "pathway_end_reason_check";`);
    this.addSql(
      `alter table "pathways"."pathway" add constraint "pathway_end_reason_check" check ("end_reason" in ('EMPLOYMENT_SUSTAINED', 'PARTICIPANT_WITHDREW', 'MOVED_OUT_OF_REGION', 'HEALTH', 'DECEASED', 'PILOT_ENDED', 'OTHER', 'CONSENT_WITHDRAWN'));`,
    );
    this.addSql(`alter table "pathways"."pathway" add column "ended_at" timestamptz null;`);
    this.addSql(
      `update "pathways"."pathway" set "ended_at" = "ended_on"::timestamptz + interval '12 hours' where "ended_on" is not null;`,
    );
    this.addSql(`alter table "pathways"."physician_message" add column "notice" boolean not null default false;`);

    // Someone absent is invited again to a later session: one invitation per session and pathway.
    this.addSql(`alter table "pathways"."welcome_invitation" drop constraint "welcome_invitation_pathway_id_unique";`);
    this.addSql(
      `create index "welcome_invitation_pathway_id_index" on "pathways"."welcome_invitation" ("pathway_id");`,
    );
    this.addSql(
      `alter table "pathways"."welcome_invitation" add constraint "welcome_invitation_session_id_pathway_id_unique" unique ("session_id", "pathway_id");`,
    );
    this.addSql(
      `alter table "pathways"."welcome_session" add column "organised_at" timestamptz not null default now(), add column "attendance_recorded_by" varchar(200) null;`,
    );
    this.addSql(`alter table "pathways"."welcome_session" alter column "organised_at" drop default;`);

    this.addSql(
      `alter table "pathways"."individual_meeting" add column "planned_at" timestamptz not null default now(), add column "held_by" varchar(200) null, add column "held_recorded_at" timestamptz null;`,
    );
    this.addSql(`alter table "pathways"."individual_meeting" alter column "planned_at" drop default;`);
  }
}
