import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import type { PathwayEntity } from '../entities/pathway.entity.js';
import type {
  BenefitsCounsellingEntity,
  EmployerContactEntity,
  FollowAlongSupportEntity,
} from '../entities/practice.entity.js';
import {
  benefitsCounsellingByPathway,
  employerContactsByPathway,
  followAlongByPathway,
  PracticeService,
} from '../services/practice.service.js';
import { PracticeIndicatorsService, type TeamPracticeRow } from '../services/practice-indicators.service.js';
import { Pathway } from './pathway.type.js';
import {
  BenefitsCounsellingSession,
  EmployerContact,
  FollowAlongSupport,
  JobDevelopmentContact,
  PracticeIndicators,
  RecordBenefitsCounsellingInput,
  RecordEmployerContactInput,
  RecordFollowAlongSupportInput,
  RecordJobDevelopmentContactInput,
} from './practice.type.js';

@Resolver()
export class PracticeResolver {
  @Mutation(() => EmployerContact, {
    description:
      "The person's coach (or the partner's supervisor) records a contact with an employer on their behalf (IPS principles 5 and 8).",
  })
  async recordEmployerContact(
    @Arg('input', () => RecordEmployerContactInput) input: RecordEmployerContactInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<EmployerContactEntity> {
    return new PracticeService(context).recordEmployerContact(input, idempotencyKey);
  }

  @Mutation(() => JobDevelopmentContact, {
    description:
      "A team's coach or supervisor records a contact with an employer not tied to one person (IPS principle 8).",
  })
  async recordJobDevelopmentContact(
    @Arg('input', () => RecordJobDevelopmentContactInput) input: RecordJobDevelopmentContactInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<EmployerContactEntity> {
    return new PracticeService(context).recordJobDevelopmentContact(input, idempotencyKey);
  }

  @Mutation(() => BenefitsCounsellingSession, {
    description:
      "The person's coach (or the partner's supervisor) records a benefits-counselling session (IPS principle 7).",
  })
  async recordBenefitsCounselling(
    @Arg('input', () => RecordBenefitsCounsellingInput) input: RecordBenefitsCounsellingInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<BenefitsCounsellingEntity> {
    return new PracticeService(context).recordBenefitsCounselling(input, idempotencyKey);
  }

  @Mutation(() => FollowAlongSupport, {
    description:
      "The person's coach (or the partner's supervisor) records follow-along support once a job has started, also after the pathway's end (IPS principle 6).",
  })
  async recordFollowAlongSupport(
    @Arg('input', () => RecordFollowAlongSupportInput) input: RecordFollowAlongSupportInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<FollowAlongSupportEntity> {
    return new PracticeService(context).recordFollowAlongSupport(input, idempotencyKey);
  }

  @Query(() => [PracticeIndicators], {
    nullable: true,
    description:
      "The supervisor's own team's IPS practice per quarter (principles 5–8), beside its IPS-25 reviews (fidelityReviews): the quarters asked (e.g. 2026-Q3, at most eight), else the current one and the three before.",
  })
  async practiceIndicators(
    @Arg('quarters', () => [String], { nullable: true }) quarters: string[] | null,
    @Ctx() context: SubgraphContext,
  ): Promise<TeamPracticeRow[]> {
    return new PracticeIndicatorsService(context).forSupervisor(quarters);
  }
}

@Resolver(() => Pathway)
export class PathwayPracticeResolver {
  @FieldResolver(() => [EmployerContact], {
    nullable: true,
    description: "Employer contacts on the person's behalf (IPS principles 5 and 8), by day.",
  })
  async employerContacts(
    @Root() pathway: PathwayEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<EmployerContactEntity[]> {
    return (await context.loaders.load(employerContactsByPathway, pathway.id)) ?? [];
  }

  @FieldResolver(() => [BenefitsCounsellingSession], {
    nullable: true,
    description: 'Benefits-counselling sessions (IPS principle 7), by day.',
  })
  async benefitsCounselling(
    @Root() pathway: PathwayEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<BenefitsCounsellingEntity[]> {
    return (await context.loaders.load(benefitsCounsellingByPathway, pathway.id)) ?? [];
  }

  @FieldResolver(() => [FollowAlongSupport], {
    nullable: true,
    description: "Follow-along support once a job has started (IPS principle 6), after the pathway's end too, by day.",
  })
  async followAlongSupport(
    @Root() pathway: PathwayEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<FollowAlongSupportEntity[]> {
    return (await context.loaders.load(followAlongByPathway, pathway.id)) ?? [];
  }
}
