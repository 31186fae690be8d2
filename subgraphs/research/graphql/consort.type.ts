import { Field, Int, ObjectType } from 'type-graphql';
import { EligibilityCondition, Region } from '../../kit/domain.js';
import { TrialArm } from '../entities/allocation.entity.js';
import { AllocationProcedureValue } from './randomisation.type.js';
import { SuppressionValue } from './pilot-aggregates.type.js';

@ObjectType({
  description: 'People assessed and not referred because one R1 condition was not met (CONSORT enrolment).',
})
export class ConsortUnmetCondition {
  @Field(() => EligibilityCondition)
  condition!: EligibilityCondition;

  @Field(() => Int, {
    nullable: true,
    description: 'Null when suppressed (a small cell, or one it could be computed from).',
  })
  count?: number | null;
}

@ObjectType({
  description:
    'One count of the CONSORT flow by its path, and why it is withheld when it is: PRIMARY — a count from 1 to smallCellThreshold − 1; COMPLEMENTARY — any count, even a large one, hidden so that a small one cannot be worked out from the sums (say « withheld to protect another count », never « n < threshold »).',
})
export class ConsortCount {
  @Field({
    description:
      "The count's path in the flow: assessed, notReferred, declined, unmetConditions.R1A, referred, notRegistered, registered, notRandomised, randomised, arms.IPS.allocated (received, notReceived, discontinued, withdrawn, analysed), arms.IPS.lostByWave.2, designs.0.IPS (the design versions' allocations, oldest first).",
  })
  path!: string;

  @Field(() => Int, { nullable: true, description: 'The count; null when withheld.' })
  count?: number | null;

  @Field(() => SuppressionValue)
  suppression!: SuppressionValue;

  @Field({
    description:
      "True when the published count carries the cell key method's small random noise (schema/policy.ts DISCLOSURE_CONTROL).",
  })
  perturbed!: boolean;
}

@ObjectType({
  description: 'People of an arm whose questionnaire wave (R12) was missed: lost to follow-up at that wave.',
})
export class ConsortWaveLoss {
  @Field(() => Int, { description: '0 = baseline, then every six months (1 = 6 months … 5 = 30 months).' })
  wave!: number;

  @Field(() => Int)
  monthsAfterAllocation!: number;

  @Field(() => Int, { nullable: true })
  lost?: number | null;
}

@ObjectType({
  description: 'One arm of the CONSORT flow: allocation, follow-up and analysis. A count is null when suppressed.',
})
export class ConsortArmFlow {
  @Field(() => TrialArm)
  arm!: TrialArm;

  @Field(() => Int, { nullable: true })
  allocated?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Began the allocated intervention — IPS: a referent job coach and the first individual meeting held (R11); control: a reference counsellor and the reference interview recorded (R9).',
  })
  received?: number | null;

  @Field(() => Int, { nullable: true })
  notReceived?: number | null;

  @Field(() => [ConsortWaveLoss], {
    description: 'Lost to follow-up per questionnaire wave (missed), among people still in the study.',
  })
  lostToFollowUp!: ConsortWaveLoss[];

  @Field(() => Int, {
    nullable: true,
    description:
      'Intervention discontinued: the pathway ended because the information-sharing consent was withdrawn (R18). Still analysed.',
  })
  discontinued?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Withdrew from the study: research consent (R1f) withdrawn. Not analysed.',
  })
  withdrawn?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Analysed by intention to treat: allocated, research consent in force.',
  })
  analysed?: number | null;
}

@ObjectType({
  description:
    'A version of the randomisation design in force during the trial (CONSORT 8b/9): who proposed and approved it, when, why, and the allocations drawn under it.',
})
export class ConsortDesignChange {
  @Field(() => Int)
  version!: number;

  @Field(() => AllocationProcedureValue)
  procedure!: AllocationProcedureValue;

  @Field(() => [Int], { nullable: true })
  blockSizes?: number[] | null;

  @Field(() => Int, { nullable: true })
  maximalImbalance?: number | null;

  @Field({ description: 'CONSORT 8b: the type of randomisation and its restriction, as reported.' })
  restriction!: string;

  @Field()
  rationale!: string;

  @Field()
  proposedBy!: string;

  @Field(() => Date, { nullable: true })
  proposedAt?: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'The second researcher who approved it; none for a version set before approvals existed.',
  })
  approvedBy?: string | null;

  @Field(() => Date, { nullable: true })
  approvedAt?: Date | null;

  @Field({
    description: 'When it went live: its approval (or its configuration, for a version set before approvals existed).',
  })
  liveFrom!: Date;

  @Field(() => Date, {
    nullable: true,
    description: 'When the next version replaced it; null for the version in force.',
  })
  liveUntil?: Date | null;

  @Field(() => Int, { nullable: true, description: 'Allocations to IPS drawn under this version.' })
  allocatedIps?: number | null;

  @Field(() => Int, { nullable: true, description: 'Allocations to the control group drawn under this version.' })
  allocatedControl?: number | null;
}

@ObjectType({
  description:
    "The trial's CONSORT 2010 flow from the platform's data: counts only, no person. The researchers and INAMI get exact counts; other readers get counts under smallCellThreshold suppressed (null) with the cells they could be computed from (schema/policy.ts COUNT_READERS).",
})
export class ConsortFlow {
  @Field(() => Region, { nullable: true, description: 'One stratum only; all regions when null.' })
  region?: Region | null;

  @Field(() => Int)
  smallCellThreshold!: number;

  @Field({ description: 'Whether any count is hidden for this reader.' })
  suppressed!: boolean;

  @Field({
    description:
      "True when every count carries the cell key method's noise (DISCLOSURE_CONTROL, schema/policy.ts): a few people more or fewer, the same for the same people wherever they are counted; a count 1 to smallCellThreshold − 1 is never shown as itself.",
  })
  perturbed!: boolean;

  @Field(() => Int, {
    nullable: true,
    description: "Assessed for eligibility: entries of the physicians' screening log plus people referred.",
  })
  assessed?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Assessed and not referred (the screening log): CONSORT's « excluded » box — the person declined, or an R1 condition was not met.",
  })
  notReferred?: number | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "Declined to participate: the person's own choice (IPS principle 2), never a ground held against them.",
  })
  declined?: number | null;

  @Field(() => [ConsortUnmetCondition], {
    description:
      'Not referred because an R1 condition was not met, per condition (never an R2 ground: zero exclusion).',
  })
  unmetConditions!: ConsortUnmetCondition[];

  @Field(() => Int, { nullable: true, description: 'People referred to INAMI (R4).' })
  referred?: number | null;

  @Field(() => Int, { nullable: true, description: 'Referred, no pathway registered (yet).' })
  notRegistered?: number | null;

  @Field(() => Int, { nullable: true, description: 'People with a registered pathway (R5).' })
  registered?: number | null;

  @Field(() => Int, { nullable: true, description: 'Registered, not randomised (yet).' })
  notRandomised?: number | null;

  @Field(() => Int, { nullable: true, description: 'People randomised (R6).' })
  randomised?: number | null;

  @Field(() => [ConsortArmFlow], { description: 'IPS, then control.' })
  arms!: ConsortArmFlow[];

  @Field(() => [ConsortCount], {
    description:
      'Every count of the flow above by its path, with why a withheld one is withheld and whether a published one is perturbed: a reader draws each box from this.',
  })
  counts!: ConsortCount[];

  @Field(() => [ConsortDesignChange], {
    description:
      'CONSORT 8b/9: the design versions in force, oldest first, with their approvals and the allocations drawn under each.',
  })
  designChanges!: ConsortDesignChange[];
}
