import { Migration } from '@mikro-orm/migrations';

export class CreateParticipantsAndReferrals extends Migration {
  override name = '001-create-participants-and-referrals';

  override up(): void {
    this.addSql(
      `create table "participants"."participant" ("id" uuid not null, "niss" varchar(11) not null, "given_name" varchar(200) not null, "family_name" varchar(200) not null, "birth_date" date not null, "region" text not null, "postcode" varchar(4) not null, "health_insurer" varchar(20) not null, "created_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(`alter table "participants"."participant" add constraint "participant_niss_unique" unique ("niss");`);
    this.addSql(
      `alter table "participants"."participant" add constraint "participant_region_check" check ("region" in ('FLANDERS', 'WALLONIA', 'BRUSSELS'));`,
    );

    this.addSql(
      `create table "participants"."referral" ("id" uuid not null, "participant_id" uuid not null, "form" text not null, "region" text not null, "meets_incapacity_and_mental_disorder_conditions" boolean not null, "needs_vocational_rehabilitation" boolean not null, "needs_intensive_support" boolean not null, "wants_to_return_to_work" boolean not null, "consents_to_information_sharing" boolean not null, "consents_to_research" boolean not null, "signed_on" date not null, "referring_physician" varchar(200) not null, "health_insurer" varchar(20) not null, "submitted_at" timestamptz not null, "idempotency_key" varchar(100) not null, "requested_by" varchar(200) not null, "request_fingerprint" varchar(64) not null, primary key ("id"));`,
    );
    this.addSql(`create index "referral_participant_id_index" on "participants"."referral" ("participant_id");`);
    this.addSql(
      `alter table "participants"."referral" add constraint "referral_requested_by_idempotency_key_unique" unique ("requested_by", "idempotency_key");`,
    );
    this.addSql(
      `alter table "participants"."referral" add constraint "referral_form_check" check ("form" in ('AANMELDINGSFORMULIER', 'FIF', 'FIA'));`,
    );
    this.addSql(
      `alter table "participants"."referral" add constraint "referral_region_check" check ("region" in ('FLANDERS', 'WALLONIA', 'BRUSSELS'));`,
    );
    this.addSql(
      `alter table "participants"."referral" add constraint "referral_participant_id_foreign" foreign key ("participant_id") references "participants"."participant" ("id");`,
    );

    // A signed form is immutable (R3: the person keeps a copy of what was signed).
    this
      .addSql(`create function "participants"."refuse_change_to_signed_referral"() returns trigger language plpgsql as $$
      begin
        raise exception 'a submitted referral form is immutable' using errcode = 'integrity_constraint_violation';
      end $$;`);
    this.addSql(`create trigger "referral_is_immutable" before update or delete on "participants"."referral"
      for each row execute function "participants"."refuse_change_to_signed_referral"();`);

    // Published view: the contract other subgraphs read (pathways registers a pathway per referral, R5).
    this.addSql(`create view "participants"."published_referral" as
      select "id" as referral_id, "participant_id", "region", "submitted_at" from "participants"."referral";`);
    this.addSql(
      `comment on view "participants"."published_referral" is 'Published contract of the participants subgraph: referrals that reached INAMI''s intake (R4, R5).';`,
    );
  }
}
