import { Migration } from '@mikro-orm/migrations';

/**
 * The physician's reason for a work authorisation decision (R15, art. 100 §2): free text with the category its writer
 * declared (one a message may carry; administrative where there is none, so a record without a reason reads as one), required for a refusal from now on (refusals recorded before it keep none: the constraint is not validated against them), so the coach and the person read why as the policy allows.
 */
export class DecisionReasons extends Migration {
  override name = '026-decision-reasons';

  override up(): void {
    this.addSql(
      `alter table "pathways"."work_authorisation" add column "decision_reason" text null, add column "decision_reason_category" varchar(20) not null default 'administrative';`,
    );
    this.addSql(
      `alter table "pathways"."work_authorisation" add constraint "work_authorisation_decision_reason_category_check" check (decision_reason_category in ('administrative', 'health', 'employment', 'benefits'));`,
    );
    this.addSql(
      `alter table "pathways"."work_authorisation" add constraint "work_authorisation_refusal_reason_check" check (decision <> 'REFUSED' or decision_reason is not null) not valid;`,
    );
  }
}
