import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Region } from '../../kit/domain.js';
import { TrialArm } from '../entities/allocation.entity.js';

registerEnumType(TrialArm, {
  name: 'TrialArm',
  description: 'Arm of the randomised trial (R6): IPS, or control group (groupe témoin / controlegroep).',
});

@ObjectType({
  description:
    "A participant's allocation to a trial arm — the IPS group or the control group (FR groupe témoin / NL controlegroep) (R6); immutable once made.",
})
@Directive('@key(fields: "id")')
export class Allocation {
  @Field(() => ID)
  id!: string;

  @Field(() => TrialArm, { nullable: true, description: 'Decides the SRE mailbox the form goes to (R7).' })
  arm?: TrialArm;

  @Field({ nullable: true })
  allocatedAt?: Date;

  @Field({ nullable: true, description: 'The randomisation stratum (the region).' })
  stratum?: string;

  /** Read from the allocation's `configVersion`, written by the vault's draw. */
  @Field(() => Int, {
    name: 'designVersion',
    nullable: true,
    description:
      'The version of the approved randomisation design the draw followed (CONSORT 8b): see trialDesigns and consortFlow.designChanges.',
  })
  configVersion?: number;
}

@ObjectType({
  description:
    'How many people each arm holds in a region (stratum): an aggregate, no person in it. Lagged: arms are counted only up to the last closed block (permuted blocks) or the last allocation after which the arms were level (big stick); later allocations are only counted as `pending`, so the balance never reveals the open block (CONSORT item 9).',
})
export class AllocationBalance {
  @Field(() => Region)
  region!: Region;

  @Field(() => Int, { description: 'People allocated to IPS, up to the last point of balance.' })
  ips!: number;

  @Field(() => Int, { description: 'People allocated to the control group, up to the last point of balance.' })
  control!: number;

  @Field(() => Int, {
    description: 'People allocated since the last point of balance, whose arms are not counted yet.',
  })
  pending!: number;
}

/** The participant as seen from research: its key, plus the `allocation` this subgraph contributes. */
@ObjectType('Participant')
@Directive('@key(fields: "id")')
export class ParticipantReference {
  @Field(() => ID)
  id!: string;
}
