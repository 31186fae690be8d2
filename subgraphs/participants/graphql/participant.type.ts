import { GraphQLLocalDate } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Region } from '../../kit/domain.js';
import { IncapacityStatus } from '../entities/participant.entity.js';

registerEnumType(IncapacityStatus, {
  name: 'IncapacityStatus',
  description:
    'Recognised work incapacity (R1a): primary incapacity (incapacité primaire / primaire arbeidsongeschiktheid) or invalidity (invalidité / invaliditeit).',
});

/** Relations (`referrals`, consent, access log) are field resolvers in participant.resolver.ts, which keeps type files free of import cycles. */
@ObjectType({
  description:
    'A person referred to the IPS pilot (FR assuré social / NL sociaal verzekerde), on work incapacity (FR incapacité de travail, invalidité / NL arbeidsongeschiktheid, invaliditeit), insured by a health insurer (FR organisme assureur, mutualité / NL verzekeringsinstelling, ziekenfonds).',
})
@Directive('@key(fields: "id")')
export class Participant {
  @Field(() => ID)
  id!: string;

  @Field({ nullable: true, description: 'National number (NISS / INSZ), 11 digits. A direct identifier.' })
  niss?: string;

  @Field({ nullable: true })
  givenName?: string;

  @Field({ nullable: true })
  familyName?: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  birthDate?: string;

  @Field(() => Region, { nullable: true })
  region?: Region;

  @Field({ nullable: true, description: 'Belgian postcode of residence.' })
  postcode?: string;

  @Field({ nullable: true, description: 'INAMI code of the health insurer (organisme assureur), e.g. OA-300.' })
  healthInsurer?: string;

  @Field(() => IncapacityStatus, {
    nullable: true,
    description: 'The incapacity benefit the person receives (R16: not ended while the pathway runs).',
  })
  incapacityStatus?: IncapacityStatus;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: 'When the physician ended the recognition of incapacity (R16).',
  })
  incapacityEndedOn?: string;
}
