import { GraphQLLocalDate } from 'graphql-scalars';
import {
  Arg,
  Args,
  Ctx,
  Field,
  FieldResolver,
  ID,
  ObjectType,
  Query,
  registerEnumType,
  Resolver,
  Root,
} from 'type-graphql';
import { byKey, type SubgraphContext } from '../../kit/context.js';
import { ConnectionArgs, connectionTypes, type ConnectionValue } from '../../kit/connection.js';
import { Region } from '../../kit/domain.js';
import { assertUuid } from '../../kit/validation.js';
import type { WelcomeSessionEntity } from '../entities/follow-up.entity.js';
import { PathwayActEntity, PathwayActKind } from '../entities/pathway-act.entity.js';
import type { PathwayEntity } from '../entities/pathway.entity.js';
import type { PhysicianMessageEntity } from '../entities/physician-message.entity.js';
import { Mailbox, type SreInboxItemEntity } from '../entities/routing.entity.js';
import { EmploymentContractEntity, type WorkAuthorisationEntity } from '../entities/work-authorisation.entity.js';
import { pathwaysById } from '../services/pathway.service.js';
import { IntakeStatus, WorklistService, type IntakeRow } from '../services/worklist.service.js';
import { WelcomeSession } from './follow-up.type.js';
import { PhysicianMessage } from './pathway-end.type.js';
import { Pathway } from './pathway.type.js';
import { IntakeItem, SreInboxItem } from './routing.type.js';
import { EmploymentContract, WorkAuthorisation } from './work-authorisation.type.js';
import { PathwayAct } from './pathway-act.resolver.js';

registerEnumType(IntakeStatus, {
  name: 'IntakeStatus',
  description: 'Where a form stands at the intake: waiting for INAMI to register its pathway, or registered (R5).',
});

export enum ActInboxKind {
  RP1IPS_SENT = PathwayActKind.RP1IPS_SENT,
  RP1_FILED = PathwayActKind.RP1_FILED,
}
registerEnumType(ActInboxKind, {
  name: 'ActInboxKind',
  description: "The forms INAMI receives: the job coach's RP1IPS (R13) and the SRE's RP1 (R10).",
});

@ObjectType({
  description:
    'An act addressed to the caller: a message of the physician to the referent job coach (R14), an RP1IPS or RP1 form to INAMI (R10, R13).',
})
export class ActInboxItem extends PathwayAct {
  @Field({ nullable: true })
  recordedAt?: Date;

  @Field({ nullable: true, description: 'Who wrote or filed it (their subject in their organisation).' })
  actor?: string;

  @Field({ nullable: true, description: 'Its text: shown only to those who may see its declared category (R18).' })
  detail?: string;
}

const Lists = {
  intake: connectionTypes('IntakeItem', IntakeItem, "INAMI's intake, newest first, with the total."),
  sreInbox: connectionTypes(
    'SreInboxItem',
    SreInboxItem,
    "A page of the SRE's mailboxes, newest first, with the total.",
  ),
  physicianInbox: connectionTypes(
    'PhysicianMessage',
    PhysicianMessage,
    "A page of the physician's follow-up file, newest first, with the total.",
  ),
  authorisations: connectionTypes(
    'WorkAuthorisation',
    WorkAuthorisation,
    'Work authorisation requests (R15), newest first, with the total.',
  ),
  acts: connectionTypes('ActInboxItem', ActInboxItem, 'Acts addressed to the caller, newest first, with the total.'),
  pathways: connectionTypes('Pathway', Pathway, 'Pathways, newest registered first, with the total.'),
  sessions: connectionTypes('WelcomeSession', WelcomeSession, 'Welcome sessions, latest date first, with the total.'),
};
export const worklistTotals = Object.values(Lists).map((list) => list.TotalResolver);

const contractsById = byKey<string, EmploymentContractEntity>(
  (ids, { em }) => em.find(EmploymentContractEntity, { id: { $in: [...ids] } }),
  (contract) => contract.id,
);

@Resolver()
export class WorklistResolver {
  @Query(() => Lists.intake.Connection, {
    nullable: true,
    description:
      "INAMI's single intake (R4, R5): referral forms, newest first; by default those still waiting for their pathway.",
  })
  intakeQueue(
    @Ctx() context: SubgraphContext,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('region', () => Region, { nullable: true }) region: Region | undefined,
    @Arg('status', () => IntakeStatus, { nullable: true, defaultValue: IntakeStatus.WAITING }) status: IntakeStatus,
    @Arg('receivedFrom', () => GraphQLLocalDate, { nullable: true, description: 'First day received (Belgian time).' })
    receivedFrom?: string,
    @Arg('receivedTo', () => GraphQLLocalDate, { nullable: true, description: 'Last day received (Belgian time).' })
    receivedTo?: string,
  ): Promise<ConnectionValue<IntakeRow>> {
    return new WorklistService(context).intakeQueue(page, { region, status, receivedFrom, receivedTo });
  }

  @Query(() => Lists.sreInbox.Connection, {
    nullable: true,
    description: "The SRE's mailboxes for the pilot (R7): forms forwarded by INAMI, newest first.",
  })
  sreInbox(
    @Ctx() context: SubgraphContext,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('mailbox', () => Mailbox, { nullable: true }) mailbox: Mailbox | undefined,
    @Arg('unacknowledgedOnly', () => Boolean, { nullable: true, defaultValue: false }) unacknowledgedOnly: boolean,
  ): Promise<ConnectionValue<SreInboxItemEntity>> {
    return new WorklistService(context).sreInbox(page, { mailbox, unacknowledgedOnly });
  }

  @Query(() => Lists.physicianInbox.Connection, {
    nullable: true,
    description: "The advising physician's follow-up file, newest first (R14).",
  })
  physicianInbox(
    @Ctx() context: SubgraphContext,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('unreadOnly', () => Boolean, { nullable: true, defaultValue: false }) unreadOnly: boolean,
    @Arg('participantId', () => ID, { nullable: true, description: "One person's follow-up file." })
    participantId?: string,
  ): Promise<ConnectionValue<PhysicianMessageEntity>> {
    return new WorklistService(context).physicianInbox(page, {
      unreadOnly,
      participantId: participantId ? assertUuid('participantId', participantId) : undefined,
    });
  }

  @Query(() => Lists.authorisations.Connection, {
    nullable: true,
    description: 'Art. 100 §2 work authorisation requests waiting for your decision (R15), newest first.',
  })
  pendingAuthorisations(
    @Ctx() context: SubgraphContext,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
  ): Promise<ConnectionValue<WorkAuthorisationEntity>> {
    return new WorklistService(context).pendingAuthorisations(page);
  }

  @Query(() => Lists.acts.Connection, {
    nullable: true,
    description: "The job coach's inbox: what the physician of record writes to the referent (R14), newest first.",
  })
  coachInbox(
    @Ctx() context: SubgraphContext,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
  ): Promise<ConnectionValue<PathwayActEntity>> {
    return new WorklistService(context).actInbox(page, [PathwayActKind.MESSAGE_TO_JOB_COACH]);
  }

  @Query(() => Lists.acts.Connection, {
    nullable: true,
    description: "INAMI's inbox of RP1IPS (R13) and RP1 (R10) forms across the registry, newest first.",
  })
  actInbox(
    @Ctx() context: SubgraphContext,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('kind', () => ActInboxKind, { nullable: true, description: 'One kind of form; both by default.' })
    kind?: ActInboxKind,
  ): Promise<ConnectionValue<PathwayActEntity>> {
    return new WorklistService(context).actInbox(
      page,
      kind ? [kind as unknown as PathwayActKind] : [PathwayActKind.RP1IPS_SENT, PathwayActKind.RP1_FILED],
    );
  }

  @Query(() => Lists.pathways.Connection, {
    nullable: true,
    description: "The supervisor's IPS-arm pathways still waiting for a job coach (R11), newest first.",
  })
  unassignedPathways(
    @Ctx() context: SubgraphContext,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
  ): Promise<ConnectionValue<PathwayEntity>> {
    return new WorklistService(context).unassignedPathways(page);
  }

  @Query(() => Lists.sessions.Connection, {
    nullable: true,
    description:
      'Welcome sessions of your organisation (the SRE that organises them, the IPS partner that runs them), latest first (R8, R11).',
  })
  welcomeSessions(
    @Ctx() context: SubgraphContext,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Arg('heldFrom', () => GraphQLLocalDate, {
      nullable: true,
      description: 'Only sessions held on or after this day.',
    })
    heldFrom?: string,
  ): Promise<ConnectionValue<WelcomeSessionEntity>> {
    return new WorklistService(context).welcomeSessions(page, { heldFrom });
  }

  @Query(() => Pathway, {
    nullable: true,
    description:
      "A pathway in your circle by INAMI's registry number (e.g. IPS-000042); null when there is none you may see.",
  })
  pathwayByRegistryNumber(
    @Ctx() context: SubgraphContext,
    @Arg('registryNumber', () => String) registryNumber: string,
  ): Promise<PathwayEntity | null> {
    return new WorklistService(context).byRegistryNumber(registryNumber);
  }
}

@Resolver(() => ActInboxItem)
export class ActInboxItemResolver {
  @FieldResolver(() => Pathway, { nullable: true })
  async pathway(@Root() act: PathwayActEntity, @Ctx() context: SubgraphContext): Promise<PathwayEntity | undefined> {
    return context.loaders.load(pathwaysById, act.pathwayId);
  }
}

@Resolver(() => WorkAuthorisation)
export class WorkAuthorisationLinksResolver {
  @FieldResolver(() => Pathway, { nullable: true, description: 'The pathway the job belongs to.' })
  async pathway(
    @Root() authorisation: WorkAuthorisationEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<PathwayEntity | undefined> {
    return context.loaders.load(pathwaysById, authorisation.pathwayId);
  }

  @FieldResolver(() => EmploymentContract, {
    nullable: true,
    description: 'The job to be authorised: employer, function, hours.',
  })
  async contract(
    @Root() authorisation: WorkAuthorisationEntity,
    @Ctx() context: SubgraphContext,
  ): Promise<EmploymentContractEntity | undefined> {
    return context.loaders.load(contractsById, authorisation.contractId);
  }
}
