import { Migration } from '@mikro-orm/migrations';

export class AddConsentAndIncapacity extends Migration {
  override name = '002-add-consent-and-incapacity';

  override up(): void {
    this.addSql(
      `alter table "participants"."participant" add column "incapacity_status" text not null default 'PRIMARY_INCAPACITY';`,
    );
    this.addSql(`alter table "participants"."participant" alter column "incapacity_status" drop default;`);
    this.addSql(
      `alter table "participants"."participant" add constraint "participant_incapacity_status_check" check ("incapacity_status" in ('PRIMARY_INCAPACITY', 'INVALIDITY'));`,
    );

    this.addSql(
      `create table "participants"."consent_grant" ("id" uuid not null, "participant_id" uuid not null, "recipient" text not null, "category" text not null, "signed_form_reference" varchar(200) not null, "granted_at" timestamptz not null, "granted_by" varchar(200) not null, "revoked_at" timestamptz null, "revoked_by" varchar(200) null, primary key ("id"));`,
    );
    this.addSql(
      `create index "consent_grant_participant_id_index" on "participants"."consent_grant" ("participant_id");`,
    );
    this.addSql(
      `alter table "participants"."consent_grant" add constraint "consent_grant_recipient_check" check ("recipient" in ('INAMI', 'HEALTH_INSURER', 'SRE', 'IPS_PARTNER'));`,
    );
    this.addSql(
      `alter table "participants"."consent_grant" add constraint "consent_grant_category_check" check ("category" in ('identity', 'contact', 'administrative', 'health', 'employment', 'benefits', 'research', 'billing'));`,
    );
    this.addSql(
      `alter table "participants"."consent_grant" add constraint "consent_grant_participant_id_foreign" foreign key ("participant_id") references "participants"."participant" ("id");`,
    );
    // At most one grant in force per recipient and category.
    this.addSql(
      `create unique index "consent_grant_in_force" on "participants"."consent_grant" ("participant_id", "recipient", "category") where "revoked_at" is null;`,
    );

    this.addSql(
      `create table "participants"."research_consent" ("id" uuid not null, "participant_id" uuid not null, "signed_form_reference" varchar(200) not null, "given_at" timestamptz not null, "given_by" varchar(200) not null, "withdrawn_at" timestamptz null, "withdrawn_by" varchar(200) null, primary key ("id"));`,
    );
    this.addSql(
      `create index "research_consent_participant_id_index" on "participants"."research_consent" ("participant_id");`,
    );
    this.addSql(
      `alter table "participants"."research_consent" add constraint "research_consent_participant_id_foreign" foreign key ("participant_id") references "participants"."participant" ("id");`,
    );

    // Consent history is never lost (R18): rows are never deleted, and only revoked once.
    this.addSql(`create function "participants"."keep_consent_history"() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          raise exception 'consent history is never deleted' using errcode = 'integrity_constraint_violation';
        end if;
        if tg_table_name = 'consent_grant' then
          if old.revoked_at is not null or (to_jsonb(new) - 'revoked_at' - 'revoked_by') <> (to_jsonb(old) - 'revoked_at' - 'revoked_by') then
            raise exception 'a consent grant can only be revoked, once' using errcode = 'integrity_constraint_violation';
          end if;
        elsif old.withdrawn_at is not null or (to_jsonb(new) - 'withdrawn_at' - 'withdrawn_by') <> (to_jsonb(old) - 'withdrawn_at' - 'withdrawn_by') then
          raise exception 'a research consent can only be withdrawn, once' using errcode = 'integrity_constraint_violation';
        end if;
        return new;
      end $$;`);
    this.addSql(
      `create trigger "consent_grant_history" before update or delete on "participants"."consent_grant" for each row execute function "participants"."keep_consent_history"();`,
    );
    this.addSql(
      `create trigger "research_consent_history" before update or delete on "participants"."research_consent" for each row execute function "participants"."keep_consent_history"();`,
    );
  }
}
