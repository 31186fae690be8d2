import { Migration } from '@mikro-orm/migrations';

/**
 * Each convention carries its own partner's share of the region's pathways (Wallonia's 200 belong
 * to two partners: the region's figure on each convention would count them twice), and the postcodes
 * each convention serves: the rule that sends a Walloon person to Liège or Charleroi.
 */
export class PartnerShareAndCatchment extends Migration {
  override name = '003-partner-share-and-catchment';

  override up(): void {
    // seeds/002: "Région wallonne … (suivi de 200 parcours) – Article 23 à Liège: 5 job coaches + ½ superviseurs –
    // ISPPC à Charleroi: 5 job coaches + ½ superviseurs". The text gives no split; equal staffing gives 100 each.
    this.addSql(`alter table "billing"."convention" add column "partner_pathways" int null;`);
    this.addSql(
      `update "billing"."convention" set "partner_pathways" = case "code" when 'VDAB-GTB' then 340 when 'ARTICLE-23' then 100 when 'ISPPC' then 100 when 'EQUIPE-MASS' then 60 end;`,
    );
    this.addSql(
      `alter table "billing"."convention" alter column "partner_pathways" set not null, add constraint "convention_partner_pathways_check" check ("partner_pathways" between 0 and "regional_pathways");`,
    );

    // Catchment areas by bpost postcode ranges: no two conventions serve one postcode.
    this.addSql(
      `create table "billing"."convention_catchment" ("id" uuid not null, "convention_id" uuid not null, "postcode_from" int not null, "postcode_to" int not null, "area" varchar(200) not null, primary key ("id"));`,
    );
    this.addSql(
      `alter table "billing"."convention_catchment" add constraint "convention_catchment_convention_id_foreign" foreign key ("convention_id") references "billing"."convention" ("id");`,
    );
    this.addSql(
      `alter table "billing"."convention_catchment" add constraint "convention_catchment_range_check" check ("postcode_from" between 1000 and 9999 and "postcode_to" between "postcode_from" and 9999);`,
    );
    this.addSql(
      `alter table "billing"."convention_catchment" add constraint "convention_catchment_no_overlap" exclude using gist (int4range("postcode_from", "postcode_to", '[]') with &&);`,
    );
    this.addSql(
      `create index "convention_catchment_convention_id_index" on "billing"."convention_catchment" ("convention_id");`,
    );
    // R3: the FIF serves "la région de Charleroi et de Liège"; Flanders and Brussels have one convention each for
    // the whole region. The Walloon catchments are the partners' areas: the province of Liège (Article 23, Liège)
    // and the arrondissements of Charleroi and Thuin (ISPPC, the intercommunale of the Pays de Charleroi). The
    // texts name no partner for Walloon Brabant, Namur, Luxembourg or western Hainaut: no convention serves them.
    this
      .addSql(`insert into "billing"."convention_catchment" ("id", "convention_id", "postcode_from", "postcode_to", "area") values
      ('6c1a0d52-7f0e-4d1b-8e55-2a3b4c5d0001', '0b6f1c1e-5a8e-4c55-9a43-6f3f8c1d0a01', 1500, 3999, 'Flemish Brabant, Antwerp, Limburg'),
      ('6c1a0d52-7f0e-4d1b-8e55-2a3b4c5d0002', '0b6f1c1e-5a8e-4c55-9a43-6f3f8c1d0a01', 8000, 9999, 'West and East Flanders'),
      ('6c1a0d52-7f0e-4d1b-8e55-2a3b4c5d0003', '0b6f1c1e-5a8e-4c55-9a43-6f3f8c1d0a02', 4000, 4999, 'Province of Liège'),
      ('6c1a0d52-7f0e-4d1b-8e55-2a3b4c5d0004', '0b6f1c1e-5a8e-4c55-9a43-6f3f8c1d0a03', 6000, 6599, 'Arrondissements of Charleroi and Thuin'),
      ('6c1a0d52-7f0e-4d1b-8e55-2a3b4c5d0005', '0b6f1c1e-5a8e-4c55-9a43-6f3f8c1d0a04', 1000, 1299, 'Brussels-Capital');`);

    // Published: which convention serves a postcode (pathways derives and checks a registration's convention, R17).
    this.addSql(`create view "billing"."published_convention_catchment" as
      select k."convention_id", c."code", k."postcode_from", k."postcode_to" from "billing"."convention_catchment" k join "billing"."convention" c on c."id" = k."convention_id";`);
    this.addSql(
      `comment on view "billing"."published_convention_catchment" is 'Published contract of the billing subgraph: the postcodes each convention serves (R3, R17).';`,
    );
  }
}
