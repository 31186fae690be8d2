import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Allocation } from './allocation.type.js';

export enum AllocationProcedureValue {
  PERMUTED_BLOCKS = 'PERMUTED_BLOCKS',
  BIG_STICK = 'BIG_STICK',
}
registerEnumType(AllocationProcedureValue, {
  name: 'AllocationProcedure',
  description:
    'How the arms are balanced: permuted blocks of random size, or the big stick design (maximal tolerated imbalance).',
});

@ObjectType({ description: 'The four CONSORT 2010 items on randomisation, for the trial report.' })
export class ConsortRandomisation {
  @Field({ description: '8a: method used to generate the random allocation sequence.' })
  sequenceGeneration!: string;

  @Field({ description: '8b: type of randomisation; details of any restriction (blocking, stratification).' })
  restriction!: string;

  @Field({ description: '9: mechanism used to implement the sequence and conceal it until assignment.' })
  concealment!: string;

  @Field({ description: '10: who generated the sequence, who enrolled participants, who assigned them.' })
  implementation!: string;
}

@ObjectType({
  description: "A version of the trial's randomisation design (R6). The latest applies to new allocations.",
})
export class TrialDesign {
  @Field(() => Int)
  version!: number;

  @Field(() => AllocationProcedureValue)
  procedure!: AllocationProcedureValue;

  @Field(() => [Int], { nullable: true, description: 'Permuted blocks: the sizes a block is drawn from.' })
  blockSizes?: number[] | null;

  @Field(() => Int, { nullable: true, description: 'Big stick: the maximal tolerated imbalance.' })
  maximalImbalance?: number | null;

  @Field(() => [String])
  strata!: string[];

  @Field()
  allocationRatio!: string;

  @Field()
  rationale!: string;

  @Field()
  configuredAt!: Date;

  @Field({ description: 'The researcher who proposed this version.' })
  configuredBy!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The second researcher who approved it (four eyes); none for a version set before approvals existed.',
  })
  approvedBy?: string | null;

  @Field(() => Date, { nullable: true })
  approvedAt?: Date | null;

  @Field(() => ConsortRandomisation)
  consort!: ConsortRandomisation;
}

export enum TrialDesignStatus {
  PROPOSED = 'PROPOSED',
  APPROVED = 'APPROVED',
}
registerEnumType(TrialDesignStatus, {
  name: 'TrialDesignStatus',
  description: 'A design proposed by a researcher is live only once a second researcher approved it (R6, CONSORT 8b).',
});

@ObjectType({
  description:
    'A randomisation design as one researcher proposed it; it becomes a live version of the design when a second researcher approves it.',
})
export class TrialDesignProposal {
  @Field(() => ID)
  id!: string;

  @Field(() => TrialDesignStatus)
  status!: TrialDesignStatus;

  @Field(() => AllocationProcedureValue)
  procedure!: AllocationProcedureValue;

  @Field(() => [Int], { nullable: true })
  blockSizes?: number[] | null;

  @Field(() => Int, { nullable: true })
  maximalImbalance?: number | null;

  @Field(() => [String])
  strata!: string[];

  @Field()
  rationale!: string;

  @Field()
  proposedBy!: string;

  @Field()
  proposedAt!: Date;

  @Field(() => String, { nullable: true })
  approvedBy?: string | null;

  @Field(() => Date, { nullable: true })
  approvedAt?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'The version of the design it became once approved: the allocations drawn under it carry it (Allocation.designVersion).',
  })
  version?: number | null;

  @Field(() => TrialDesign, { nullable: true, description: 'The live version, once approved.' })
  design?: TrialDesign | null;
}

@InputType({ description: 'A new version of the randomisation design, proposed by a researcher.' })
export class ConfigureTrialInput {
  @Field(() => AllocationProcedureValue)
  procedure!: AllocationProcedureValue;

  @Field(() => [Int], { nullable: true, description: 'Permuted blocks: even sizes, e.g. [2, 4, 6].' })
  blockSizes?: number[] | null;

  @Field(() => Int, { nullable: true, description: 'Big stick: e.g. 3.' })
  maximalImbalance?: number | null;

  @Field({ description: 'Why this design (protocol reference, amendment).' })
  rationale!: string;
}

@ObjectType({
  description:
    'Whether every draw of the vault became an allocation, unaltered: a gap is a draw that was rolled back; a mismatch, an allocation that disagrees with its draw.',
})
export class RandomisationIntegrity {
  @Field(() => Int, { description: 'Draw numbers taken (the highest).' })
  draws!: number;

  @Field(() => Int, { description: "Draws recorded in the vault's log." })
  recorded!: number;

  @Field(() => Int, { description: 'Draw numbers taken and never recorded: draws rolled back (a peek, or a failure).' })
  gaps!: number;

  @Field(() => Int, {
    description:
      "Allocations whose person, arm, draw number or stratum disagree with the vault's draw log, or present in one and not the other.",
  })
  mismatches!: number;

  @Field({
    description:
      "True when the draw log's hash chain, recomputed row by row, holds: no draw was changed, removed or slipped in.",
  })
  chainIntact!: boolean;
}

@ObjectType({
  description: 'INAMI randomised a person (R6). The arm is in `allocation`, under the policy like any read.',
})
export class RandomisationReceipt {
  @Field(() => ID)
  participantId!: string;

  @Field(() => ID)
  allocationId!: string;

  @Field()
  allocatedAt!: Date;

  @Field(() => Allocation, { nullable: true })
  allocation?: Allocation;
}
