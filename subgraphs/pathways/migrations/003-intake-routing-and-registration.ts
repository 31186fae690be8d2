import { Migration } from '@mikro-orm/migrations';

/** INAMI's intake and routing to the SRE mailboxes (R5, R7), and the free job seeker registration (R3). */
export class IntakeRoutingAndRegistration extends Migration {
  override name = '003-intake-routing-and-registration';

  override up(): void {
    // R5: one open pathway per person (the person is one NISS): a second registration is a CONFLICT.
    this.addSql(
      `create unique index "pathway_one_open_per_participant" on "pathways"."pathway" ("participant_id") where "status" = 'OPEN';`,
    );

    this.addSql(
      `create table "pathways"."sre_inbox_item" ("id" uuid not null, "pathway_id" uuid not null, "participant_id" uuid not null, "referral_id" uuid not null, "employment_service" varchar(20) not null, "mailbox" text not null, "arrived_at" timestamptz not null, "routed_by" varchar(200) not null, "acknowledged_at" timestamptz null, "acknowledged_by" varchar(200) null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "pathways"."sre_inbox_item" add constraint "sre_inbox_item_pathway_id_unique" unique ("pathway_id");`,
    );
    this.addSql(
      `create index "sre_inbox_item_participant_id_index" on "pathways"."sre_inbox_item" ("participant_id");`,
    );
    this.addSql(
      `alter table "pathways"."sre_inbox_item" add constraint "sre_inbox_item_mailbox_check" check ("mailbox" in ('IPS', 'IPS_CONTROL_GROUP'));`,
    );

    this.addSql(
      `create table "pathways"."job_seeker_registration" ("id" uuid not null, "pathway_id" uuid not null, "participant_id" uuid not null, "employment_service" varchar(20) not null, "convention_code" varchar(40) not null, "registered_on" date not null, "recorded_at" timestamptz not null, "recorded_by" varchar(200) not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "pathways"."job_seeker_registration" add constraint "job_seeker_registration_pathway_id_unique" unique ("pathway_id");`,
    );
    this.addSql(
      `create index "job_seeker_registration_participant_id_index" on "pathways"."job_seeker_registration" ("participant_id");`,
    );

    // Published view: the contract other subgraphs read (research randomises registered people, R6).
    this.addSql(`create view "pathways"."published_pathway" as
      select "id" as pathway_id, "participant_id", "referral_id", "status", "ips_partner", "registered_at" from "pathways"."pathway";`);
    this.addSql(
      `comment on view "pathways"."published_pathway" is 'Published contract of the pathways subgraph: registered pathways (R5).';`,
    );
  }
}
