/** The participants subgraph: people, referral forms and their eligibility (R1–R4). */
import { IdempotentEntity } from '../kit/idempotency.js';
import type { SubgraphDefinition } from '../kit/subgraph.js';
import { assertUuid } from '../kit/validation.js';
import { ownedBy } from '../kit/access/guard.js';
import { ConsentGrantEntity, ResearchConsentEntity } from './entities/consent.entity.js';
import { ParticipantEntity } from './entities/participant.entity.js';
import { AccessLogResolver } from './graphql/access-log.resolver.js';
import { ConsentResolver } from './graphql/consent.resolver.js';
import { ReferralEntity } from './entities/referral.entity.js';
import { OrganisationEntity, StaffMemberEntity } from './entities/staff.entity.js';
import { ScreeningEntryEntity } from './entities/screening-entry.entity.js';
import { StaffResolver } from './graphql/staff.resolver.js';
import { ScreeningResolver } from './graphql/screening.resolver.js';
import { ParticipantResolver } from './graphql/participant.resolver.js';
import { ReferralResolver } from './graphql/referral.resolver.js';
import { ParticipantList, PeopleWorklistResolver } from './graphql/worklist.resolver.js';
import { referralsById } from './services/worklist.service.js';
import { seedParticipantsDemo } from './demo.js';
import { migrations } from './migrations/index.js';
import { participantsById } from './services/participant.service.js';

export const participantsSubgraph: SubgraphDefinition = {
  name: 'participants',
  resolvers: [
    ParticipantResolver,
    ReferralResolver,
    ConsentResolver,
    StaffResolver,
    ScreeningResolver,
    AccessLogResolver,
    PeopleWorklistResolver,
    ParticipantList.TotalResolver,
  ],
  entities: [
    IdempotentEntity,
    ParticipantEntity,
    ReferralEntity,
    ConsentGrantEntity,
    ResearchConsentEntity,
    OrganisationEntity,
    StaffMemberEntity,
    ScreeningEntryEntity,
  ],
  migrations,
  seedDemo: seedParticipantsDemo,
  owners: {
    Participant: ownedBy<ParticipantEntity>((participant) => participant.id),
    Referral: ownedBy<ReferralEntity>((referral) => referral.participant.id),
    ReferralEligibility: ownedBy<ReferralEntity>((referral) => referral.participant.id), // resolved from the referral row
    ConsentGrant: ownedBy<ConsentGrantEntity>((grant) => grant.participant.id),
    ResearchConsent: ownedBy<ResearchConsentEntity>((consent) => consent.participant.id),
    AccessLogEntry: ownedBy<{ participantId: string }>((entry) => entry.participantId),
    ParticipantEdge: ownedBy<{ participantId: string }>((edge) => edge.participantId),
  },
  references: {
    Participant: ({ id }, context) => context.loaders.load(participantsById, assertUuid('id', id)),
    Referral: ({ id }, context) => context.loaders.load(referralsById, assertUuid('id', id)),
  },
};
