import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Region } from '../../kit/domain.js';

/** A range of Belgian postcodes a convention serves. */
@ObjectType({
  description:
    'Postcodes a convention serves (bpost ranges, inclusive): a person is registered under the convention of their postcode (R3, R17).',
})
export class ConventionCatchment {
  @Field(() => Int)
  postcodeFrom!: number;

  @Field(() => Int)
  postcodeTo!: number;

  @Field({ description: 'The area the range covers, e.g. Province of Liège.' })
  area!: string;
}

@ObjectType({
  description:
    'Convention (FR convention / NL overeenkomst) between INAMI / RIZIV and an IPS coaching partner (FR accompagnement spécialisé IPS) (R17).',
})
@Directive('@key(fields: "id")')
export class Convention {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'Stable code, e.g. ARTICLE-23.' })
  code!: string;

  @Field({ description: 'The IPS partner (accompagnement spécialisé IPS).' })
  partner!: string;

  @Field(() => Region)
  region!: Region;

  @Field({ nullable: true, description: 'Where the partner works, e.g. Liège or Charleroi.' })
  site?: string;

  @Field({ description: 'Regional employment service the partner coordinates with (VDAB, FOREM, ACTIRIS).' })
  employmentService!: string;

  @Field(() => Int, {
    description:
      "Pathways funded in the convention's region over the pilot (340 Flanders, 200 Wallonia, 60 Brussels), shared by the region's partners: never sum it across conventions, sum `partnerPathways`.",
  })
  regionalPathways!: number;

  @Field(() => Int, {
    description:
      "This partner's own share of its region's pathways (Article 23 and ISPPC: 100 each of Wallonia's 200, by their equal staffing); the shares of all conventions sum to the pilot's 600.",
  })
  partnerPathways!: number;

  @Field(() => Int)
  jobCoaches!: number;

  @Field(() => Float, { description: 'Supervisor full-time equivalents.' })
  supervisorFte!: number;
}
