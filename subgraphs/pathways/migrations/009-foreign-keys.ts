import { Migration } from '@mikro-orm/migrations';

/** Inside the subgraph, records point at their pathway (and session, contract) through foreign keys; ids cross only subgraph boundaries. */
export class ForeignKeys extends Migration {
  override name = '009-foreign-keys';

  override up(): void {
    for (const table of [
      'employment_contract',
      'individual_meeting',
      'job_seeker_registration',
      'pathway_act',
      'physician_message',
      'sre_inbox_item',
      'welcome_invitation',
      'work_authorisation',
    ]) {
      this.addSql(
        `alter table "pathways"."${table}" add constraint "${table}_pathway_id_foreign" foreign key ("pathway_id") references "pathways"."pathway" ("id");`,
      );
    }
    this.addSql(
      `alter table "pathways"."welcome_invitation" add constraint "welcome_invitation_session_id_foreign" foreign key ("session_id") references "pathways"."welcome_session" ("id");`,
    );
    this.addSql(
      `alter table "pathways"."work_authorisation" add constraint "work_authorisation_contract_id_foreign" foreign key ("contract_id") references "pathways"."employment_contract" ("id");`,
    );
  }
}
