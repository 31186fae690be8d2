import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Region } from '../../kit/domain.js';

@ObjectType({ description: 'Convention between INAMI and an IPS coaching partner (R17).' })
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

  @Field(() => Int, { description: 'Pathways funded in the region over the pilot: 340 Flanders, 200 Wallonia, 60 Brussels.' })
  regionalPathways!: number;

  @Field(() => Int)
  jobCoaches!: number;

  @Field(() => Float, { description: 'Supervisor full-time equivalents.' })
  supervisorFte!: number;
}
