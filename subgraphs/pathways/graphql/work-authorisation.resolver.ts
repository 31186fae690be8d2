import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { DataCategoryValue } from '../../kit/domain.js';
import { IDEMPOTENCY_KEY_ARG } from '../../kit/idempotency.js';
import { byKey, groupedBy } from '../../kit/context.js';
import type { PathwayEntity } from '../entities/pathway.entity.js';
import {
  EmploymentContractEntity,
  isCompetitive,
  WorkAuthorisationEntity,
} from '../entities/work-authorisation.entity.js';
import {
  hoursByEmployer,
  WorkAuthorisationService,
  type EmployerHours as EmployerHoursRow,
} from '../services/work-authorisation.service.js';
import { belgianToday } from '../../kit/domain.js';
import { GraphQLLocalDate } from 'graphql-scalars';
import { Pathway } from './pathway.type.js';
import {
  EmployerHours,
  EmploymentContract,
  EndEmploymentEpisodeInput,
  RecordEmploymentContractInput,
  WorkAuthorisation,
} from './work-authorisation.type.js';

const contractsByPathway = groupedBy<string, EmploymentContractEntity>(
  (pathwayIds, { em }) =>
    em.find(
      EmploymentContractEntity,
      { pathwayId: { $in: [...pathwayIds] } },
      { orderBy: { startsOn: 'asc', recordedAt: 'asc' } },
    ),
  (contract) => contract.pathwayId,
);
const authorisationByContract = byKey<string, WorkAuthorisationEntity>(
  (contractIds, { em }) => em.find(WorkAuthorisationEntity, { contractId: { $in: [...contractIds] } }),
  (authorisation) => authorisation.contractId,
);

@Resolver(() => EmploymentContract)
export class WorkAuthorisationResolver {
  @Mutation(() => EmploymentContract, {
    description: 'The referent job coach records a job; a work authorisation request opens when R15 needs one.',
  })
  async recordEmploymentContract(
    @Arg('input', () => RecordEmploymentContractInput) input: RecordEmploymentContractInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<EmploymentContractEntity> {
    return new WorkAuthorisationService(context).recordContract(input, idempotencyKey);
  }

  @Mutation(() => EmploymentContract, {
    description:
      'The referent (the coach in IPS, the reference counsellor in the control group) records how an employment episode ended, once.',
  })
  async endEmploymentEpisode(
    @Arg('input', () => EndEmploymentEpisodeInput) input: EndEmploymentEpisodeInput,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
  ): Promise<EmploymentContractEntity> {
    return new WorkAuthorisationService(context).endEpisode(input, idempotencyKey);
  }

  @FieldResolver(() => Boolean, { nullable: true })
  competitive(@Root() contract: EmploymentContractEntity): boolean | null {
    return isCompetitive(contract);
  }

  @Mutation(() => WorkAuthorisation, {
    description: 'The advising physician grants or refuses a work authorisation (R15).',
  })
  async decideWorkAuthorisation(
    @Arg('id', () => ID) id: string,
    @Arg('granted') granted: boolean,
    @Arg('idempotencyKey', IDEMPOTENCY_KEY_ARG) idempotencyKey: string,
    @Ctx() context: SubgraphContext,
    @Arg('reason', () => String, {
      nullable: true,
      description:
        'Why (art. 100 §2): required for a refusal, at most 2000 characters. The coach and the person read it, as the policy and the consent allow.',
    })
    reason?: string | null,
    @Arg('reasonCategory', () => DataCategoryValue, {
      nullable: true,
      description:
        'The kind of data the reason holds (ADMINISTRATIVE when not said): one the job coach, the reference counsellor and the person may all read — a health reason is refused, since they may never read it (R18).',
    })
    reasonCategory?: DataCategoryValue | null,
  ): Promise<WorkAuthorisationEntity> {
    return new WorkAuthorisationService(context).decide(id, { granted, reason, reasonCategory }, idempotencyKey);
  }

  @FieldResolver(() => WorkAuthorisation, {
    nullable: true,
    description: 'The authorisation this contract needed; none for a renewal in the same function, or a training.',
  })
  async authorisation(
    @Root() contract: EmploymentContractEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<WorkAuthorisationEntity | undefined> {
    return context.loaders.load(authorisationByContract, contract.id);
  }
}

@Resolver(() => Pathway)
export class PathwayContractsResolver {
  @FieldResolver(() => [EmploymentContract], {
    nullable: true,
    description: 'Jobs taken during the pathway, in order (R15).',
  })
  async contracts(
    @Root() pathway: PathwayEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<EmploymentContractEntity[]> {
    return (await context.loaders.load(contractsByPathway, pathway.id)) ?? [];
  }

  @FieldResolver(() => [EmployerHours], {
    nullable: true,
    description: 'Weekly hours of the jobs held on a day (today by default), one row per employer (R15).',
  })
  async weeklyHoursByEmployer(
    @Root() pathway: PathwayEntity,
    @Arg('on', () => GraphQLLocalDate, { nullable: true }) on: string | undefined,
    @Ctx() context: SubgraphContext,
  ): Promise<EmployerHoursRow[]> {
    return hoursByEmployer((await context.loaders.load(contractsByPathway, pathway.id)) ?? [], on ?? belgianToday());
  }
}
