import { GraphQLLocalDate } from 'graphql-scalars';
import { Field, Float, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import {
  AuthorisationDecision,
  AuthorisationReason,
  ContractType,
  EmploymentEndReason,
} from '../entities/work-authorisation.entity.js';

registerEnumType(ContractType, {
  name: 'ContractType',
  description:
    'An employment contract under the law of 3 July 1978, or an in-company training (which is none, and needs no authorisation).',
});
registerEnumType(AuthorisationReason, {
  name: 'AuthorisationReason',
  description: 'Why a work authorisation is asked (R15).',
});
registerEnumType(AuthorisationDecision, { name: 'AuthorisationDecision' });
registerEnumType(EmploymentEndReason, {
  name: 'EmploymentEndReason',
  description:
    'Why an employment episode ended: the fixed term or the work ran out (fin du terme / einde van de termijn), resignation (démission / ontslag door de werknemer), dismissal (licenciement / ontslag door de werkgever), mutual agreement, health, the employer closed, other.',
});

@ObjectType({
  description:
    'The work authorisation (FR autorisation de travail / NL toelating tot werken) asked of the advising physician (FR médecin conseil / NL adviserend arts) under art. 100 §2 of the coordinated law of 14 July 1994, and the decision (R15).',
})
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

  @Field(() => String, {
    nullable: true,
    description:
      "The physician's reason for the decision (art. 100 §2; always given for a refusal), shown under the category its writer declared (R18).",
  })
  decisionReason?: string | null;
}

@ObjectType({
  description: 'A job the person took during the pathway (R15): also an employment outcome for the research side.',
})
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

  @Field({
    nullable: true,
    description:
      'On the open labour market (not a sheltered workshop: entreprise de travail adapté / maatwerkbedrijf).',
  })
  openLabourMarket?: boolean;

  @Field({
    nullable: true,
    description:
      'Paid at least the minimum wage (revenu minimum mensuel moyen garanti / gewaarborgd gemiddeld minimum maandinkomen).',
  })
  paidAtLeastMinimumWage?: boolean;

  @Field({ nullable: true, description: 'Reserved for disabled people.' })
  reservedForDisabledPeople?: boolean;

  @Field({
    nullable: true,
    description:
      'Competitive employment (emploi compétitif / reguliere tewerkstelling, IPS principle 1): on the open labour market, paid at least the minimum wage, not reserved for disabled people; an in-company training is none. Null while a criterion is not recorded and none fails.',
  })
  competitive?: boolean;

  @Field(() => GraphQLLocalDate, {
    nullable: true,
    description: "The episode's actual last day, once its end is recorded.",
  })
  endedOn?: string;

  @Field(() => EmploymentEndReason, { nullable: true })
  endReason?: EmploymentEndReason;
}

@InputType({
  description:
    'The referent job coach records a job; the authorisation request opens by itself when one is needed (R15).',
})
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

  @Field(() => Boolean, {
    nullable: true,
    description: 'Competitive employment, criterion 1: on the open labour market.',
  })
  openLabourMarket?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Competitive employment, criterion 2: paid at least the minimum wage.',
  })
  paidAtLeastMinimumWage?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Competitive employment, criterion 3 (must be false): reserved for disabled people.',
  })
  reservedForDisabledPeople?: boolean | null;
}

@InputType({
  description:
    'The referent (the coach in IPS, the reference counsellor in the control group) records how an employment episode ended.',
})
export class EndEmploymentEpisodeInput {
  @Field(() => ID, { description: 'The EmploymentContract.' })
  contractId!: string;

  @Field(() => GraphQLLocalDate, {
    description: "The last day worked: not before the start, nor the pathway's registration, nor in the future.",
  })
  endedOn!: string;

  @Field(() => EmploymentEndReason)
  reason!: EmploymentEndReason;
}

@ObjectType({
  description:
    'The weekly hours of the jobs a person holds on a day with one employer: concurrent jobs with several employers are reported apart (R15).',
})
export class EmployerHours {
  @Field({ nullable: true })
  employer?: string;

  @Field({ nullable: true, description: 'Enterprise number (BCE/KBO).' })
  employerNumber?: string;

  @Field(() => Float, { nullable: true, description: 'Contractual weekly hours with this employer.' })
  weeklyHours?: number;
}
