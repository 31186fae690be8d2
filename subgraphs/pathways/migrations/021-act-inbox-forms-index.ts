import { Migration } from '@mikro-orm/migrations';

/**
 * INAMI's act inbox of both forms (actInbox without a kind: RP1IPS, R13, and RP1, R10) reads an index
 * of those acts newest first instead of sorting every one of them: at 200 000 people its first page
 * took 213 ms (a parallel scan of the acts and a sort), 2.7 ms by this index (bench/lists-scale.ts).
 * One kind alone keeps the (kind, recorded_at, id) index.
 */
export class ActInboxFormsIndex extends Migration {
  override name = '021-act-inbox-forms-index';

  override up(): void {
    this.addSql(
      `create index "pathway_act_forms_keyset" on "pathways"."pathway_act" ("recorded_at" desc, "id" desc) where "kind" in ('RP1IPS_SENT', 'RP1_FILED');`,
    );
  }
}
