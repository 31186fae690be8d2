import { Migration } from '@mikro-orm/migrations';

/** A message the platform writes keeps its catalogue id and facts, told in the reader's language. */
export class LocalisedPhysicianMessages extends Migration {
  override name = '014-localised-physician-messages';

  override up(): void {
    this.addSql(
      `alter table "pathways"."physician_message" add column "message_id" varchar(100) null, add column "message_params" jsonb null;`,
    );
    this.addSql(
      `alter table "pathways"."physician_message" add constraint "physician_message_params_check" check (("message_id" is null) = ("message_params" is null));`,
    );
  }
}
