import { Migration } from '@mikro-orm/migrations';

/**
 * R3: the codes each convention reserves at its SRE for the pilot's free job seekers, against which a
 * registration is checked, and the corrections the SRE makes to a registration (who, when, old and new).
 * The codes themselves are not in the texts (seeds/002 names "the code reserved for the regional
 * convention" only): these rows are illustrative reference data, one code per SRE, shared by the conventions
 * of its region; a real code list replaces them by a migration.
 */
export class RegistrationCodes extends Migration {
  override name = '024-registration-codes';

  override up(): void {
    this.addSql(
      `create table "pathways"."reserved_registration_code" ("convention_code" varchar(40) not null, "code" varchar(40) not null, "employment_service" varchar(20) not null, primary key ("convention_code", "code"));`,
    );
    this
      .addSql(`insert into "pathways"."reserved_registration_code" ("convention_code", "code", "employment_service") values
      ('VDAB-GTB', 'IPS-VDAB', 'VDAB'),
      ('ARTICLE-23', 'IPS-FOREM', 'FOREM'),
      ('ISPPC', 'IPS-FOREM', 'FOREM'),
      ('EQUIPE-MASS', 'IPS-ACTIRIS', 'ACTIRIS');`);
    this.addSql(
      `create table "pathways"."job_seeker_registration_correction" ("id" uuid not null, "registration_id" uuid not null, "participant_id" uuid not null, "previous_convention_code" varchar(40) not null, "convention_code" varchar(40) not null, "previous_registered_on" date not null, "registered_on" date not null, "corrected_by" varchar(200) not null, "corrected_by_organisation" varchar(20) not null, "corrected_at" timestamptz not null, primary key ("id"));`,
    );
    this.addSql(
      `create index "job_seeker_registration_correction_registration_id_index" on "pathways"."job_seeker_registration_correction" ("registration_id");`,
    );
    this.addSql(
      `create index "job_seeker_registration_correction_participant_id_index" on "pathways"."job_seeker_registration_correction" ("participant_id");`,
    );
    this.addSql(
      `alter table "pathways"."job_seeker_registration_correction" add constraint "job_seeker_registration_correction_registration_id_foreign" foreign key ("registration_id") references "pathways"."job_seeker_registration" ("id");`,
    );
  }
}
