import { Migration } from '@mikro-orm/migrations';

/**
 * Keyset pagination (subgraphs/kit/connection.ts): each worklist reads newest first by
 * (sort key, id) within what it is addressed to, so each gets an index in that order.
 */
export class WorklistIndexes extends Migration {
  override name = '011-worklist-indexes';

  override up(): void {
    // The supervisor's pathways waiting for a coach (R11), and every pathway by registration.
    this.addSql(
      `create index "pathway_unassigned_keyset" on "pathways"."pathway" ("ips_partner", "registered_at" desc, "id" desc) where "job_coach" is null and "status" = 'OPEN';`,
    );
    this.addSql(`create index "pathway_registered_keyset" on "pathways"."pathway" ("registered_at" desc, "id" desc);`);
    // The SRE's mailboxes (R7).
    this.addSql(
      `create index "sre_inbox_item_keyset" on "pathways"."sre_inbox_item" ("employment_service", "arrived_at" desc, "id" desc);`,
    );
    // The physician's follow-up file (R14) and their pending authorisations (R15).
    this.addSql(
      `create index "physician_message_keyset" on "pathways"."physician_message" ("physician_subject", "sent_at" desc, "id" desc);`,
    );
    this.addSql(
      `create index "work_authorisation_pending_keyset" on "pathways"."work_authorisation" ("physician_subject", "requested_at" desc, "id" desc) where "decision" = 'PENDING';`,
    );
    // The coach's inbox of the physician's messages and INAMI's inbox of RP1IPS / RP1 forms (R10, R13, R14).
    this.addSql(
      `create index "pathway_act_kind_keyset" on "pathways"."pathway_act" ("kind", "recorded_at" desc, "id" desc);`,
    );
    // Welcome sessions, by the SRE that organised them and by the IPS partner (R8, R11).
    this.addSql(
      `create index "welcome_session_partner_keyset" on "pathways"."welcome_session" ("ips_partner", "held_on" desc, "id" desc);`,
    );
    this.addSql(
      `create index "welcome_session_sre_keyset" on "pathways"."welcome_session" ("employment_service", "held_on" desc, "id" desc);`,
    );
  }
}
