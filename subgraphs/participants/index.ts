/** The participants subgraph: people, referral forms and their eligibility (R1–R4). */
import type { SubgraphDefinition } from '../kit/subgraph.js';
import { assertUuid } from '../kit/validation.js';
import { ParticipantEntity } from './entities/participant.entity.js';
import { ReferralEntity } from './entities/referral.entity.js';
import { ParticipantResolver } from './graphql/participant.resolver.js';
import { ReferralResolver } from './graphql/referral.resolver.js';
import { seedParticipantsDemo } from './demo.js';
import { migrations } from './migrations/index.js';
import { participantsById } from './services/participant.service.js';

export const participantsSubgraph: SubgraphDefinition = {
  name: 'participants',
  resolvers: [ParticipantResolver, ReferralResolver],
  entities: [ParticipantEntity, ReferralEntity],
  migrations,
  seedDemo: seedParticipantsDemo,
  references: {
    Participant: ({ id }, context) => context.loaders.load(participantsById, assertUuid('id', id)),
    Referral: ({ id }, { em }) => em.findOne(ReferralEntity, { id: assertUuid('id', id) }),
  },
};
