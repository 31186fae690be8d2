import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Region } from '../../kit/domain.js';
import { GraphQLLocalDate } from 'graphql-scalars';
import { PathwayEndReason, PathwayStatus } from '../entities/pathway.entity.js';

registerEnumType(PathwayStatus, {
  name: 'PathwayStatus',
  description: 'Whether the pathway (trajet / traject) is still running (R16). Labels per language: `vocabulary`.',
});

/** Relations (`participant`, `convention`) are field resolvers in pathway.resolver.ts. */
@ObjectType({
  description:
    'An IPS pilot pathway (FR trajet IPS / NL IPS-traject) registered by INAMI (INAMI / RIZIV) for a referral (R5), under the convention (convention / overeenkomst) of an IPS partner.',
})
@Directive('@key(fields: "id")')
export class Pathway {
  @Field(() => ID)
  id!: string;

  @Field({ nullable: true, description: "INAMI's registry number." })
  registryNumber?: string;

  @Field(() => ID, { nullable: true, description: 'The referral form this pathway was registered for.' })
  referralId?: string;

  @Field(() => PathwayStatus, { nullable: true })
  status?: PathwayStatus;

  @Field({ nullable: true })
  registeredAt?: Date;

  @Field({ nullable: true, description: "The job coach who is the person's referent (R11)." })
  jobCoach?: string;

  @Field({
    nullable: true,
    description:
      "The SRE's reference counsellor (conseiller référent / referentieconsulent) who is the referent in the control group (R9).",
  })
  referenceCounsellor?: string;

  @Field(() => GraphQLLocalDate, { nullable: true })
  endedOn?: string;

  @Field(() => PathwayEndReason, { nullable: true })
  endReason?: PathwayEndReason;
}

/** The participant as seen from pathways: its key, plus the `pathway` this subgraph contributes. */
@ObjectType('Participant')
@Directive('@key(fields: "id")')
export class ParticipantReference {
  @Field(() => ID)
  id!: string;
}

/** A convention owned by billing, referenced by key only. */
@ObjectType('Convention')
@Directive('@key(fields: "id", resolvable: false)')
export class ConventionReference {
  @Field(() => ID)
  id!: string;
}

@ObjectType({
  description:
    'INAMI registered a pathway (R5). The pathway itself is in `pathway` when the consent lets INAMI see it.',
})
export class PathwayRegistration {
  @Field(() => ID)
  pathwayId!: string;

  @Field(() => ID)
  participantId!: string;

  @Field()
  registeredAt!: Date;

  @Field(() => Pathway, { nullable: true })
  pathway?: Pathway;
}

@ObjectType({
  description:
    "INAMI's registry in figures: pathways per region, IPS partner, status and end reason. Everyone registered is counted — a person who withdrew their consent too — and no one is identified (ON_CONSENT_WITHDRAWN).",
})
export class RegistryCount {
  @Field(() => Region)
  region!: Region;

  @Field({ description: 'Code of the IPS partner whose convention covers the pathways.' })
  ipsPartner!: string;

  @Field(() => PathwayStatus)
  status!: PathwayStatus;

  @Field(() => PathwayEndReason, { nullable: true })
  endReason?: PathwayEndReason | null;

  @Field(() => Int)
  pathways!: number;
}
