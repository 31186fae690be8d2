import { Migration } from '@mikro-orm/migrations';

/**
 * What research needs of a person's identity, coarsened here, where the identity lives (R19): the
 * research subgraph's role reads neither the NISS nor the birth date, only this view.
 * - sex: read from the NISS serial (digits 7–9: odd for men, even for women); a BIS number whose
 *   month was raised by 20 says the sex was not known when it was issued, so it stays unknown (null).
 * - age_band: age in completed years on the day the person's first referral was signed, in 5-year
 *   bands, bottom-coded below 25 and top-coded from 60. The allocation date is the research
 *   subgraph's and migrates after this one; the referral precedes randomisation by weeks, so the
 *   5-year band differs from the band at randomisation only for a birthday crossing a band's edge
 *   in between (said in the codebook).
 * - incapacity_type and incapacity_duration_band: the recognised incapacity as recorded today. The
 *   platform records no start of incapacity; in Belgian law primary incapacity is the first year
 *   and invalidity what follows it, so the type is the one duration known.
 */
export class PublishedResearchProfile extends Migration {
  override name = '013-published-research-profile';

  override up(): void {
    this.addSql(`create view "participants"."published_research_profile" as
      select p."id" as participant_id,
        case when substr(p."niss", 3, 2)::int between 20 and 39 then null
             when substr(p."niss", 7, 3)::int % 2 = 1 then 'MALE' else 'FEMALE' end as sex,
        case when f.age < 25 then '<25' when f.age >= 60 then '60+'
             else (floor(f.age / 5) * 5)::int::text || '-' || (floor(f.age / 5) * 5 + 4)::int::text end as age_band,
        p."incapacity_status" as incapacity_type,
        case p."incapacity_status" when 'PRIMARY_INCAPACITY' then 'LESS_THAN_1_YEAR' else 'AT_LEAST_1_YEAR' end as incapacity_duration_band
      from "participants"."participant" p
      cross join lateral (
        select extract(year from age(coalesce(min(r."signed_on"), (p."created_at" at time zone 'Europe/Brussels')::date), p."birth_date"))::int as age
        from "participants"."referral" r where r."participant_id" = p."id") f;`);
    this.addSql(
      `comment on view "participants"."published_research_profile" is 'Published contract of the participants subgraph: a person''s research covariates already coarsened (R19): sex from the NISS serial, 5-year age band at the first referral, incapacity type and duration band; never the NISS or the birth date.';`,
    );
  }
}
