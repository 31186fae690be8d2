/** The pathways subgraph: the pathway from INAMI's registry to its end (R5, R8–R16). */
import { PhysicianMessageBodyResolver, TimelineSummaryResolver } from './graphql/localised-text.resolver.js';
import { IdempotentEntity } from '../kit/idempotency.js';
import type { SubgraphDefinition } from '../kit/subgraph.js';
import { ownedBy } from '../kit/access/guard.js';
import { assertUuid } from '../kit/validation.js';
import { PathwayEntity } from './entities/pathway.entity.js';
import { PhysicianMessageEntity } from './entities/physician-message.entity.js';
import {
  JobSeekerRegistrationCorrectionEntity,
  JobSeekerRegistrationEntity,
  ReservedRegistrationCodeEntity,
  SreInboxItemEntity,
} from './entities/routing.entity.js';
import { PathwayEndResolver } from './graphql/pathway-end.resolver.js';
import {
  FollowUpResolver,
  PathwayMeetingsResolver,
  WelcomeInvitationResolver,
  WelcomeSessionInviteesResolver,
} from './graphql/follow-up.resolver.js';
import { PathwayActResolver, PathwayTimelineResolver } from './graphql/pathway-act.resolver.js';
import { PathwayActEntity } from './entities/pathway-act.entity.js';
import { IndividualMeetingEntity, WelcomeInvitationEntity, WelcomeSessionEntity } from './entities/follow-up.entity.js';
import { PathwayContractsResolver, WorkAuthorisationResolver } from './graphql/work-authorisation.resolver.js';
import { EmploymentContractEntity, WorkAuthorisationEntity } from './entities/work-authorisation.entity.js';
import {
  IntakeResolver,
  PathwayRegistrationResolver,
  JobSeekerRegistrationResolver,
  SreInboxResolver,
} from './graphql/routing.resolver.js';
import { ParticipantPathwayResolver, PathwayResolver } from './graphql/pathway.resolver.js';
import {
  ActInboxItemResolver,
  WorklistResolver,
  WorkAuthorisationLinksResolver,
  worklistTotals,
} from './graphql/worklist.resolver.js';
import {
  ActInboxItemFormResolver,
  PathwayRpFormsResolver,
  PhysicianMessageFormResolver,
  RpFormResolver,
} from './graphql/rp-form.resolver.js';
import { RpFormEntity } from './entities/rp-form.entity.js';
import { PathwayPracticeResolver, PracticeResolver } from './graphql/practice.resolver.js';
import {
  BenefitsCounsellingEntity,
  EmployerContactEntity,
  FollowAlongSupportEntity,
} from './entities/practice.entity.js';
import { seedPathwaysDemo } from './demo.js';
import { seedPathwaysOutcomesDemo } from './demo-outcomes.js';
import { seedPathwaysPracticeDemo } from './demo-practice.js';
import { migrations } from './migrations/index.js';
import { pathwaysById } from './services/pathway.service.js';
import { pathwaysOutbox } from './services/withdrawal.service.js';
import { employmentDeclarationUploads } from './services/employment-declaration-upload.route.js';
import { EmploymentDeclarationEntity } from './entities/employment-declaration.entity.js';
import { UploadBatchEntity } from '../kit/upload-batch.entity.js';

export const pathwaysSubgraph: SubgraphDefinition = {
  name: 'pathways',
  resolvers: [
    PathwayResolver,
    ParticipantPathwayResolver,
    IntakeResolver,
    SreInboxResolver,
    PathwayRegistrationResolver,
    JobSeekerRegistrationResolver,
    PathwayEndResolver,
    WorkAuthorisationResolver,
    PathwayContractsResolver,
    FollowUpResolver,
    PathwayMeetingsResolver,
    WelcomeSessionInviteesResolver,
    WelcomeInvitationResolver,
    PathwayActResolver,
    PathwayTimelineResolver,
    WorklistResolver,
    ActInboxItemResolver,
    WorkAuthorisationLinksResolver,
    TimelineSummaryResolver,
    PhysicianMessageBodyResolver,
    RpFormResolver,
    PathwayRpFormsResolver,
    PracticeResolver,
    PathwayPracticeResolver,
    PhysicianMessageFormResolver,
    ActInboxItemFormResolver,
    ...worklistTotals,
  ],
  entities: [
    IdempotentEntity,
    PathwayEntity,
    SreInboxItemEntity,
    JobSeekerRegistrationEntity,
    ReservedRegistrationCodeEntity,
    JobSeekerRegistrationCorrectionEntity,
    PhysicianMessageEntity,
    EmploymentContractEntity,
    WorkAuthorisationEntity,
    WelcomeSessionEntity,
    WelcomeInvitationEntity,
    IndividualMeetingEntity,
    PathwayActEntity,
    EmploymentDeclarationEntity,
    UploadBatchEntity,
    RpFormEntity,
    EmployerContactEntity,
    BenefitsCounsellingEntity,
    FollowAlongSupportEntity,
  ],
  migrations,
  outbox: pathwaysOutbox,
  seedDemo: seedPathwaysDemo,
  // Jobs in both arms, once research has allocated; then the IPS practice around them (principles 5–8).
  seedDemoAfterAll: async (orm) => (await seedPathwaysOutcomesDemo(orm)) + (await seedPathwaysPracticeDemo(orm)),
  uploads: { '/uploads/employment-declarations': employmentDeclarationUploads }, // INAMI's monthly files of employment declared to social security (kit/upload.ts)
  owners: {
    Pathway: ownedBy<PathwayEntity>((pathway) => pathway.participantId),
    Participant: ownedBy<{ id: string }>((participant) => participant.id),
    Referral: ownedBy<{ participantId: string }>((referral) => referral.participantId), // key-only references carry their owner
    IntakeItem: ownedBy<{ participantId: string }>((item) => item.participantId),
    SreInboxItem: ownedBy<SreInboxItemEntity>((item) => item.participantId),
    JobSeekerRegistration: ownedBy<JobSeekerRegistrationEntity>((registration) => registration.participantId),
    JobSeekerRegistrationCorrection: ownedBy<JobSeekerRegistrationCorrectionEntity>(
      (correction) => correction.participantId,
    ),
    PhysicianMessage: ownedBy<PhysicianMessageEntity>((message) => message.participantId),
    EmploymentContract: ownedBy<EmploymentContractEntity>((contract) => contract.participantId),
    WorkAuthorisation: ownedBy<WorkAuthorisationEntity>((authorisation) => authorisation.participantId),
    IndividualMeeting: ownedBy<IndividualMeetingEntity>((meeting) => meeting.participantId),
    EmployerHours: ownedBy<{ participantId: string }>((row) => row.participantId),
    WelcomeInvitation: ownedBy<WelcomeInvitationEntity>((invitation) => invitation.participantId),
    CaseloadEntry: ownedBy<{ pathway: PathwayEntity }>((entry) => entry.pathway.participantId),
    PathwayAct: ownedBy<PathwayActEntity>((act) => act.participantId),
    TimelineEvent: ownedBy<{ participantId: string }>((event) => event.participantId),
    ActInboxItem: ownedBy<PathwayActEntity>((act) => act.participantId),
    RpForm: ownedBy<RpFormEntity>((form) => form.participantId),
    EmployerContact: ownedBy<EmployerContactEntity>((contact) => contact.participantId ?? undefined),
    BenefitsCounsellingSession: ownedBy<BenefitsCounsellingEntity>((session) => session.participantId),
    FollowAlongSupport: ownedBy<FollowAlongSupportEntity>((support) => support.participantId),
    // Edges of the worklists (kit/connection.ts) belong to their node's participant.
    ...Object.fromEntries(
      ['Pathway', 'IntakeItem', 'SreInboxItem', 'PhysicianMessage', 'WorkAuthorisation', 'ActInboxItem'].map((node) => [
        `${node}Edge`,
        ownedBy<{ participantId: string }>((edge) => edge.participantId),
      ]),
    ),
  },
  references: {
    Pathway: ({ id }, context) => context.loaders.load(pathwaysById, assertUuid('id', id)),
  },
};
