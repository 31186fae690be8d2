import { Migration } from '@mikro-orm/migrations';

/** R14, R16: the end of a pathway, and the physician's follow-up file that learns of it at once. */
export class PathwayEndAndPhysicianFile extends Migration {
  override name = '004-pathway-end-and-physician-file';

  override up(): void {
    this.addSql(
      `alter table "pathways"."pathway" add column "ended_on" date null, add column "end_reason" text null, add column "ended_by" varchar(200) null;`,
    );
    this.addSql(
      `alter table "pathways"."pathway" add constraint "pathway_end_reason_check" check ("end_reason" in ('EMPLOYMENT_SUSTAINED', 'PARTICIPANT_WITHDREW', 'MOVED_OUT_OF_REGION', 'HEALTH', 'DECEASED', 'PILOT_ENDED', 'OTHER'));`,
    );
    this.addSql(
      `create table "pathways"."physician_message" ("id" uuid not null, "participant_id" uuid not null, "pathway_id" uuid not null, "physician_subject" varchar(200) not null, "kind" text not null, "body" varchar(4000) not null, "sent_at" timestamptz not null, "sent_by" varchar(200) not null, "read_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `create index "physician_message_participant_id_index" on "pathways"."physician_message" ("participant_id");`,
    );
    this.addSql(
      `create index "physician_message_physician_subject_index" on "pathways"."physician_message" ("physician_subject");`,
    );
    this.addSql(
      `alter table "pathways"."physician_message" add constraint "physician_message_kind_check" check ("kind" in ('PATHWAY_ENDED'));`,
    );
  }
}
