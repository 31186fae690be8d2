import { Migration } from '@mikro-orm/migrations';
import { HEALTH_INSURERS } from '../../kit/domain.js';

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** The staff directory: organisations of the pilot (reference data) and their people. */
export class StaffDirectory extends Migration {
  override name = '005-staff-directory';

  override up(): void {
    this.addSql(
      `create table "participants"."organisation" ("code" varchar(40) not null, "kind" text not null, "name" varchar(200) not null, primary key ("code"));`,
    );
    this.addSql(
      `alter table "participants"."organisation" add constraint "organisation_kind_check" check ("kind" in ('HEALTH_INSURER', 'EMPLOYMENT_SERVICE', 'IPS_PARTNER', 'INAMI', 'RESEARCH_TEAM'));`,
    );
    this.addSql(
      `create table "participants"."staff_member" ("id" uuid not null, "organisation_code" varchar(40) not null, "subject" varchar(200) not null, "function" text not null, "display_name" varchar(200) not null, "enrolled_at" timestamptz not null, "enrolled_by" varchar(200) not null, "ended_at" timestamptz null, "ended_by" varchar(200) null, primary key ("id"));`,
    );
    this.addSql(`create index "staff_member_subject_index" on "participants"."staff_member" ("subject");`);
    // One active entry per person and function in an organisation; an ended one stays as history.
    this.addSql(
      `create unique index "staff_member_active" on "participants"."staff_member" ("organisation_code", "subject", "function") where "ended_at" is null;`,
    );
    this.addSql(
      `alter table "participants"."staff_member" add constraint "staff_member_function_check" check ("function" in ('ADVISING_PHYSICIAN', 'JOB_COACH', 'SUPERVISOR', 'SRE_COUNSELLOR', 'INAMI_AGENT', 'RESEARCHER'));`,
    );
    this.addSql(
      `alter table "participants"."staff_member" add constraint "staff_member_organisation_code_foreign" foreign key ("organisation_code") references "participants"."organisation" ("code");`,
    );

    const organisations: [string, string, string][] = [
      ...Object.entries(HEALTH_INSURERS).map(([code, name]): [string, string, string] => [
        code,
        'HEALTH_INSURER',
        name,
      ]),
      ['VDAB', 'EMPLOYMENT_SERVICE', 'VDAB (Vlaamse Dienst voor Arbeidsbemiddeling en Beroepsopleiding)'],
      ['FOREM', 'EMPLOYMENT_SERVICE', 'Le Forem'],
      ['ACTIRIS', 'EMPLOYMENT_SERVICE', 'Actiris'],
      ['VDAB-GTB', 'IPS_PARTNER', 'VDAB / GTB'],
      ['ARTICLE-23', 'IPS_PARTNER', 'Article 23 ASBL (Liège)'],
      ['ISPPC', 'IPS_PARTNER', 'ISPPC (Charleroi)'],
      ['EQUIPE-MASS', 'IPS_PARTNER', "L'Equipe ASBL with the MASS (Brussels)"],
      ['INAMI', 'INAMI', 'INAMI / RIZIV'],
      ['ULB', 'RESEARCH_TEAM', 'Université libre de Bruxelles (DULBEA)'],
    ];
    this.addSql(
      `insert into "participants"."organisation" ("code", "kind", "name") values ${organisations.map((row) => `(${row.map(quote).join(', ')})`).join(', ')};`,
    );

    // Published view: who holds which function now (the command path and the pathways subgraph read it).
    this.addSql(`create view "participants"."published_staff_member" as
      select s."organisation_code" as organisation, s."subject", s."function", s."display_name", s."ended_at" is null as active
      from "participants"."staff_member" s;`);
    this.addSql(
      `comment on view "participants"."published_staff_member" is 'Published contract of the participants subgraph: the staff directory.';`,
    );
  }
}
