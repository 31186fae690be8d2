import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, Float, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { AuthorisationDecision, AuthorisationReason, ContractType } from '../entities/work-authorisation.entity.js';

registerEnumType(ContractType, {
  name: 'ContractType',
  description: 'An employment contract under the law of 3 July 1978, or an in-company training (which is none, and needs no authorisation).',
});
registerEnumType(AuthorisationReason, { name: 'AuthorisationReason', description: 'Why a work authorisation is asked (R15).' });
registerEnumType(AuthorisationDecision, { name: 'AuthorisationDecision' });

@ObjectType({ description: 'The work authorisation (FR autorisation de travail / NL toelating tot werken) asked of the advising physician (FR médecin conseil / NL adviserend arts) under art. 100 §2 of the coordinated law of 14 July 1994, and the decision (R15).' })
export class WorkAuthorisation {
  @Field(() => ID)
  id!: string;

  @Field(() => AuthorisationReason, { nullable: true })
  reason?: AuthorisationReason;

  @Field({ nullable: true })
  requestedAt?: Date;

  @Field(() => AuthorisationDecision, { nullable: true })
  decision?: AuthorisationDecision;

  @Field({ nullable: true })
  decidedAt?: Date;
}

@ObjectType({ description: 'A job the person took during the pathway (R15): also an employment outcome for the research side.' })
export class EmploymentContract {
  @Field(() => ID)
  id!: string;

  @Field({ nullable: true })
  employer?: string;

  @Field({ nullable: true, description: 'Belgian enterprise number (BCE/KBO).' })
  employerNumber?: string;

  @Field({ nullable: true })
  jobFunction?: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  startsOn?: string;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'Last day, for a fixed-term contract or a training.' })
  endsOn?: string;

  @Field(() => Float, { nullable: true })
  weeklyHours?: number;

  @Field(() => ContractType, { nullable: true })
  contractType?: ContractType;
}

@InputType({ description: 'The referent job coach records a job; the authorisation request opens by itself when one is needed (R15).' })
export class RecordEmploymentContractInput {
  @Field(() => ID)
  pathwayId!: string;

  @Field()
  employer!: string;

  @Field({ description: 'Belgian enterprise number (BCE/KBO), e.g. 0203.201.340.' })
  employerNumber!: string;

  @Field()
  jobFunction!: string;

  @Field(() => GraphQLLocalDate)
  startsOn!: string;

  @Field(() => GraphQLLocalDate, { nullable: true, description: 'Last day, when the contract has one.' })
  endsOn?: string | null;

  @Field(() => Float)
  weeklyHours!: number;

  @Field(() => ContractType)
  contractType!: ContractType;
}
