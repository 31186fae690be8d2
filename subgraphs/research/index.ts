/** The research subgraph: allocation (R6), questionnaires (R12), fidelity and pseudonymised datasets (R19). */
import { IdempotentEntity } from '../kit/idempotency.js';
import type { SubgraphDefinition } from '../kit/subgraph.js';
import { ownedBy } from '../kit/access/guard.js';
import { assertUuid } from '../kit/validation.js';
import { AllocationEntity } from './entities/allocation.entity.js';
import { DataRequestEntity, DatasetDownloadEntity } from './entities/data-request.entity.js';
import { FidelityReviewEntity } from './entities/fidelity-review.entity.js';
import { TrialDesignProposalEntity } from './entities/trial-design-proposal.entity.js';
import { AllocationResolver, ParticipantAllocationResolver } from './graphql/allocation.resolver.js';
import { ParticipantReference } from './graphql/allocation.type.js';
import { DatasetResolver } from './graphql/dataset.resolver.js';
import { FidelityResolver } from './graphql/fidelity.resolver.js';
import { ConsortResolver } from './graphql/consort.resolver.js';
import { ParticipantQuestionnaireResolver, QuestionnaireResolver } from './graphql/questionnaire.resolver.js';
import type { QuestionnaireAnswer, QuestionnaireWave } from './graphql/questionnaire.type.js';
import { QuestionnaireWaveEntity } from './entities/questionnaire-wave.entity.js';
import { OutcomeResolver } from './graphql/outcome.resolver.js';
import { PilotAggregatesResolver } from './graphql/pilot-aggregates.resolver.js';
import { RandomisationResolver } from './graphql/randomisation.resolver.js';
import { seedResearchDemo } from './demo.js';
import { migrations } from './migrations/index.js';
import { startAggregateSnapshots } from './services/aggregate-snapshots.js';
import { allocationsById } from './services/allocation.service.js';
import { datasetFiles } from './services/download.route.js';

export const researchSubgraph: SubgraphDefinition = {
  name: 'research',
  resolvers: [
    AllocationResolver,
    ParticipantAllocationResolver,
    RandomisationResolver,
    OutcomeResolver,
    FidelityResolver,
    ConsortResolver,
    PilotAggregatesResolver,
    DatasetResolver,
    QuestionnaireResolver,
    ParticipantQuestionnaireResolver,
  ],
  orphanedTypes: [ParticipantReference], // reached only through _entities: Participant.allocation
  entities: [
    IdempotentEntity,
    AllocationEntity,
    FidelityReviewEntity,
    TrialDesignProposalEntity,
    DataRequestEntity,
    DatasetDownloadEntity,
    QuestionnaireWaveEntity,
  ],
  migrations,
  seedDemo: seedResearchDemo,
  background: startAggregateSnapshots, // the published aggregates' snapshots, computed as the data changes (kit/data-version.ts)
  files: { '/datasets/': datasetFiles }, // R19: the extracts of approved data requests, streamed (download.route.ts)
  owners: {
    Allocation: ownedBy<AllocationEntity>((allocation) => allocation.participantId),
    Participant: ownedBy<{ id: string }>((participant) => participant.id),
    QuestionnaireWave: ownedBy<QuestionnaireWave>((wave) => wave.participantId),
    QuestionnaireAnswer: ownedBy<QuestionnaireAnswer>((answer) => answer.participantId),
  },
  references: {
    Allocation: ({ id }, context) => context.loaders.load(allocationsById, assertUuid('id', id)),
  },
};
