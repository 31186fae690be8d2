import { Migration } from '@mikro-orm/migrations';

/**
 * Claims under the conventions (R17): a partner's claim for a month, its lines (each with the source
 * records it was computed from and INAMI's decision), credit notes correcting an approved claim, and
 * INAMI's payments. An approved claim never changes: the owner role may update only a claim's status and
 * a line's decision (kit/privileges.ts), and credit notes and payments are appended, never changed.
 */
export class Claims extends Migration {
  override name = '007-claims';

  override up(): void {
    this.addSql(
      `create table "billing"."claim" ("id" uuid not null, "convention_id" uuid not null, "code" varchar(40) not null, "period" varchar(7) not null, "convention_version" int not null, "status" text not null, "claimed_cents" int not null, "submitted_by" varchar(200) not null, "submitted_at" timestamptz not null, "decided_at" timestamptz null, "idempotency_key" varchar(100) null, "requested_by" varchar(400) null, "request_fingerprint" varchar(64) null, primary key ("id"));`,
    );
    // One claim per partner and month: of two submissions racing, the second fails (CONFLICT) even past the lock.
    this.addSql(
      `alter table "billing"."claim" add constraint "claim_convention_id_period_unique" unique ("convention_id", "period");`,
    );
    this.addSql(
      `alter table "billing"."claim" add constraint "claim_status_check" check ("status" in ('SUBMITTED', 'APPROVED', 'REJECTED'));`,
    );
    this.addSql(
      `alter table "billing"."claim" add constraint "claim_convention_id_foreign" foreign key ("convention_id") references "billing"."convention" ("id");`,
    );

    this.addSql(
      `create table "billing"."claim_line" ("id" uuid not null, "claim_id" uuid not null, "position" int not null, "kind" text not null, "quantity" int not null, "funded_quantity" int null, "paid_quantity" int not null, "unit_cents" int not null, "amount_cents" int not null, "explanation" varchar(1000) not null, "sources" jsonb not null, "decision" text null, "decision_reason" varchar(2000) null, "decided_by" varchar(200) null, "decided_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "billing"."claim_line" add constraint "claim_line_claim_id_position_unique" unique ("claim_id", "position");`,
    );
    this.addSql(
      `alter table "billing"."claim_line" add constraint "claim_line_amount_check" check ((amount_cents >= 0));`,
    );
    // A rejection always says why (R17: INAMI rejects a line with a reason).
    this.addSql(
      `alter table "billing"."claim_line" add constraint "claim_line_rejection_reason" check ((decision IS DISTINCT FROM 'REJECTED'::text) OR (decision_reason IS NOT NULL));`,
    );
    this.addSql(
      `alter table "billing"."claim_line" add constraint "claim_line_decision_check" check ((decision IS NULL) OR (decision = ANY (ARRAY['APPROVED'::text, 'REJECTED'::text])));`,
    );
    this.addSql(
      `alter table "billing"."claim_line" add constraint "claim_line_kind_check" check (kind = ANY (ARRAY['COACH_FTE_MONTHS'::text, 'SUPERVISOR_FTE_MONTHS'::text, 'PATHWAY_STARTS'::text]));`,
    );
    this.addSql(
      `alter table "billing"."claim_line" add constraint "claim_line_claim_id_foreign" foreign key ("claim_id") references "billing"."claim" ("id");`,
    );

    // An approved claim never changes, in the data too: a line is decided once, a claim leaves SUBMITTED once.
    this
      .addSql(`create function "billing"."keep_decided_claims"() returns trigger language plpgsql set search_path = pg_catalog as $$
      begin
        -- Each table's own column, in its own branch: a row of the other table has no such field.
        if tg_table_name = 'claim_line' then
          if old.decision is not null then
            raise exception 'a decided claim never changes: a credit note corrects it (R17)' using errcode = 'insufficient_privilege';
          end if;
        elsif old.status <> 'SUBMITTED' then
          raise exception 'a decided claim never changes: a credit note corrects it (R17)' using errcode = 'insufficient_privilege';
        end if;
        return new;
      end $$;`);
    this.addSql(
      `create trigger "claim_line_decided_once" before update on "billing"."claim_line" for each row execute function "billing"."keep_decided_claims"();`,
    );
    this.addSql(
      `create trigger "claim_decided_once" before update on "billing"."claim" for each row execute function "billing"."keep_decided_claims"();`,
    );

    this.addSql(
      `create table "billing"."credit_note" ("id" uuid not null, "claim_id" uuid not null, "reason" varchar(2000) not null, "total_cents" int not null, "issued_by" varchar(200) not null, "issued_by_organisation" varchar(100) not null, "issued_at" timestamptz not null, "idempotency_key" varchar(100) null, "requested_by" varchar(400) null, "request_fingerprint" varchar(64) null, primary key ("id"));`,
    );
    this.addSql(`create index "credit_note_claim_id_index" on "billing"."credit_note" ("claim_id");`);
    this.addSql(
      `alter table "billing"."credit_note" add constraint "credit_note_claim_id_foreign" foreign key ("claim_id") references "billing"."claim" ("id");`,
    );
    this.addSql(
      `create table "billing"."credit_note_line" ("id" uuid not null, "credit_note_id" uuid not null, "claim_line_id" uuid not null, "amount_cents" int not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "billing"."credit_note_line" add constraint "credit_note_line_amount_check" check ((amount_cents < 0));`,
    );
    this.addSql(
      `alter table "billing"."credit_note_line" add constraint "credit_note_line_credit_note_id_foreign" foreign key ("credit_note_id") references "billing"."credit_note" ("id");`,
    );
    this.addSql(
      `alter table "billing"."credit_note_line" add constraint "credit_note_line_claim_line_id_foreign" foreign key ("claim_line_id") references "billing"."claim_line" ("id");`,
    );

    this.addSql(
      `create table "billing"."claim_payment" ("id" uuid not null, "claim_id" uuid not null, "paid_on" date not null, "reference" varchar(100) not null, "amount_cents" int not null, "recorded_by" varchar(200) not null, "recorded_at" timestamptz not null, "idempotency_key" varchar(100) null, "requested_by" varchar(400) null, "request_fingerprint" varchar(64) null, primary key ("id"));`,
    );
    this.addSql(`create index "claim_payment_claim_id_index" on "billing"."claim_payment" ("claim_id");`);
    this.addSql(
      `alter table "billing"."claim_payment" add constraint "claim_payment_amount_check" check ((amount_cents > 0));`,
    );
    this.addSql(
      `alter table "billing"."claim_payment" add constraint "claim_payment_claim_id_foreign" foreign key ("claim_id") references "billing"."claim" ("id");`,
    );
  }
}
