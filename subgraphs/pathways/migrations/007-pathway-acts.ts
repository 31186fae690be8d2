import { Migration } from '@mikro-orm/migrations';

/** R8–R10, R13, R14: the acts of the pathway's actors, and their copies to the physician. */
export class PathwayActs extends Migration {
  override name = '007-pathway-acts';

  override up(): void {
    this.addSql(
      `create table "pathways"."pathway_act" ("id" uuid not null, "pathway_id" uuid not null, "participant_id" uuid not null, "kind" text not null, "act_on" date not null, "person" varchar(200) null, "detail" varchar(2000) not null, "actor" varchar(200) not null, "recorded_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`create index "pathway_act_pathway_id_index" on "pathways"."pathway_act" ("pathway_id");`);
    this.addSql(`create index "pathway_act_participant_id_index" on "pathways"."pathway_act" ("participant_id");`);
    this.addSql(
      `alter table "pathways"."pathway_act" add constraint "pathway_act_kind_check" check ("kind" in ('RESOURCE_PERSON_NAMED', 'REFERENCE_INTERVIEW_HELD', 'RP1_FILED', 'RP1IPS_SENT', 'MESSAGE_TO_PHYSICIAN', 'MESSAGE_TO_JOB_COACH'));`,
    );
    this.addSql(`alter table "pathways"."physician_message" drop constraint "physician_message_kind_check";`);
    this.addSql(
      `alter table "pathways"."physician_message" add constraint "physician_message_kind_check" check ("kind" in ('PATHWAY_ENDED', 'WORK_AUTHORISATION_REQUEST', 'RP1', 'RP1IPS', 'COACH_MESSAGE'));`,
    );
  }
}
