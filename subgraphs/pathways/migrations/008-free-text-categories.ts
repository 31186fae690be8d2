import { Migration } from '@mikro-orm/migrations';

const CATEGORIES =
  "('identity', 'contact', 'administrative', 'health', 'employment', 'benefits', 'research', 'billing')";

/** Free text carries the category of its content (R18): acts' details and the physician's messages. */
export class FreeTextCategories extends Migration {
  override name = '008-free-text-categories';

  override up(): void {
    // Earlier rows were written without a declared category: the most protective one a message can have.
    this.addSql(`alter table "pathways"."pathway_act" add column "detail_category" text not null default 'health';`);
    this.addSql(`alter table "pathways"."pathway_act" alter column "detail_category" drop default;`);
    this.addSql(
      `alter table "pathways"."pathway_act" add constraint "pathway_act_detail_category_check" check ("detail_category" in ${CATEGORIES});`,
    );
    this.addSql(`alter table "pathways"."physician_message" add column "body_category" text null;`);
    this.addSql(
      `update "pathways"."physician_message" set "body_category" = case when "kind" = 'WORK_AUTHORISATION_REQUEST' then 'employment' when "kind" in ('COACH_MESSAGE', 'PATHWAY_ENDED') then 'health' else 'administrative' end;`,
    );
    this.addSql(`alter table "pathways"."physician_message" alter column "body_category" set not null;`);
    this.addSql(
      `alter table "pathways"."physician_message" add constraint "physician_message_body_category_check" check ("body_category" in ${CATEGORIES});`,
    );
  }
}
