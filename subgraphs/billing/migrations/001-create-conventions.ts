import { Migration } from '@mikro-orm/migrations';

export class CreateConventions extends Migration {
  override name = '001-create-conventions';

  override up(): void {
    this.addSql(
      `create table "billing"."convention" ("id" uuid not null, "code" varchar(40) not null, "partner" varchar(200) not null, "region" text not null, "site" varchar(100) null, "employment_service" varchar(20) not null, "regional_pathways" int not null, "job_coaches" int not null, "supervisor_fte" double precision not null, primary key ("id"));`,
    );
    this.addSql(`alter table "billing"."convention" add constraint "convention_code_unique" unique ("code");`);
    this.addSql(
      `alter table "billing"."convention" add constraint "convention_region_check" check ("region" in ('FLANDERS', 'WALLONIA', 'BRUSSELS'));`,
    );

    // The pilot's conventions (DOMAIN.md table; seeds/002): reference facts, not demo data.
    this
      .addSql(`insert into "billing"."convention" ("id", "code", "partner", "region", "site", "employment_service", "regional_pathways", "job_coaches", "supervisor_fte") values
      ('0b6f1c1e-5a8e-4c55-9a43-6f3f8c1d0a01', 'VDAB-GTB', 'VDAB / GTB (existing regional convention)', 'FLANDERS', null, 'VDAB', 340, 17, 2),
      ('0b6f1c1e-5a8e-4c55-9a43-6f3f8c1d0a02', 'ARTICLE-23', 'Article 23 ASBL', 'WALLONIA', 'Liège', 'FOREM', 200, 5, 0.5),
      ('0b6f1c1e-5a8e-4c55-9a43-6f3f8c1d0a03', 'ISPPC', 'ISPPC', 'WALLONIA', 'Charleroi', 'FOREM', 200, 5, 0.5),
      ('0b6f1c1e-5a8e-4c55-9a43-6f3f8c1d0a04', 'EQUIPE-MASS', 'L''Equipe ASBL with the MASS', 'BRUSSELS', 'Brussels', 'ACTIRIS', 60, 3, 0.5);`);

    // Published view: the contract other subgraphs read (pathways checks the convention's region, R17).
    this.addSql(`create view "billing"."published_convention" as
      select "id" as convention_id, "code", "region", "employment_service" from "billing"."convention";`);
    this.addSql(
      `comment on view "billing"."published_convention" is 'Published contract of the billing subgraph: conventions with the IPS partners (R17).';`,
    );
  }
}
