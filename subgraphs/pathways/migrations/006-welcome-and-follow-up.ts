import { Migration } from '@mikro-orm/migrations';

/** R8, R11: welcome sessions, their invitations, and the individual meetings planned for everyone. */
export class WelcomeAndFollowUp extends Migration {
  override name = '006-welcome-and-follow-up';

  override up(): void {
    this.addSql(
      `create table "pathways"."welcome_session" ("id" uuid not null, "employment_service" varchar(20) not null, "ips_partner" varchar(40) not null, "held_on" date not null, "place" varchar(200) not null, "organised_by" varchar(200) not null, "attendance_recorded_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `create table "pathways"."welcome_invitation" ("id" uuid not null, "session_id" uuid not null, "pathway_id" uuid not null, "participant_id" uuid not null, "attended" boolean null, primary key ("id"));`,
    );
    this.addSql(
      `create index "welcome_invitation_session_id_index" on "pathways"."welcome_invitation" ("session_id");`,
    );
    this.addSql(
      `alter table "pathways"."welcome_invitation" add constraint "welcome_invitation_pathway_id_unique" unique ("pathway_id");`,
    );
    this.addSql(
      `create index "welcome_invitation_participant_id_index" on "pathways"."welcome_invitation" ("participant_id");`,
    );
    this.addSql(
      `create table "pathways"."individual_meeting" ("id" uuid not null, "pathway_id" uuid not null, "participant_id" uuid not null, "kind" text not null, "scheduled_for" date not null, "held_on" date null, "scheduled_by" varchar(200) not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "individual_meeting_pathway_id_index" on "pathways"."individual_meeting" ("pathway_id");`,
    );
    this.addSql(
      `create index "individual_meeting_participant_id_index" on "pathways"."individual_meeting" ("participant_id");`,
    );
    this.addSql(
      `alter table "pathways"."individual_meeting" add constraint "individual_meeting_kind_check" check ("kind" in ('FIRST', 'FOLLOW_UP'));`,
    );
  }
}
