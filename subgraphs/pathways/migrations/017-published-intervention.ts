import { Migration } from '@mikro-orm/migrations';

/**
 * CONSORT 2010 (allocation: "received allocated intervention"; follow-up: "discontinued
 * intervention"): what the research subgraph counts of each pathway, as facts — whether the
 * IPS arm's intervention began (a referent job coach, R11, and the first individual meeting held)
 * and whether the control arm's did (a reference counsellor, R9, and the interview with them
 * recorded), and how the pathway ended. No date, no name, no free text.
 */
export class PublishedIntervention extends Migration {
  override name = '017-published-intervention';

  override up(): void {
    this.addSql(`create view "pathways"."published_intervention" as
      select p."id" as pathway_id, p."participant_id",
        p."job_coach" is not null and exists (
          select 1 from "pathways"."individual_meeting" m where m."pathway_id" = p."id" and m."kind" = 'FIRST' and m."held_on" is not null) as ips_received,
        p."reference_counsellor" is not null and exists (
          select 1 from "pathways"."pathway_act" a where a."pathway_id" = p."id" and a."kind" = 'REFERENCE_INTERVIEW_HELD') as control_received,
        p."status", p."end_reason"
      from "pathways"."pathway" p;`);
    this.addSql(
      `comment on view "pathways"."published_intervention" is 'Published contract of the pathways subgraph: whether each pathway''s allocated intervention began (IPS: coach and first meeting held; control: reference counsellor and reference interview) and how it ended (CONSORT flow).';`,
    );
  }
}
