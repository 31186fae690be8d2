/** The billing subgraph: INAMI's conventions with the IPS partners (R17), and the health insurers' monthly benefit statements. */
import { ownedBy } from '../kit/access/guard.js';
import { UploadBatchEntity } from '../kit/upload-batch.entity.js';
import type { SubgraphDefinition } from '../kit/subgraph.js';
import { assertUuid } from '../kit/validation.js';
import { seedBillingDemo } from './demo.js';
import { BenefitStatementEntity } from './entities/benefit-statement.entity.js';
import {
  ClaimEntity,
  ClaimLineEntity,
  ClaimPaymentEntity,
  CreditNoteEntity,
  CreditNoteLineEntity,
} from './entities/claim.entity.js';
import { ConventionAmendmentEntity } from './entities/convention-amendment.entity.js';
import { ConventionCatchmentEntity } from './entities/convention-catchment.entity.js';
import { ConventionEntity } from './entities/convention.entity.js';
import { BenefitStatementResolver, ParticipantBenefitsResolver } from './graphql/benefit-statement.resolver.js';
import { ParticipantReference } from './graphql/benefit-statement.type.js';
import { ClaimResolver } from './graphql/claim.resolver.js';
import { ConventionTermsResolver } from './graphql/convention-terms.resolver.js';
import { ConventionResolver } from './graphql/convention.resolver.js';
import { VocabularyResolver } from './graphql/vocabulary.resolver.js';
import { migrations } from './migrations/index.js';
import { benefitStatementUploads } from './services/benefit-upload.route.js';
import { claimExportFile } from './services/claim-export.route.js';
import { conventionsById } from './services/convention.service.js';

export const billingSubgraph: SubgraphDefinition = {
  name: 'billing',
  resolvers: [
    ConventionResolver,
    ConventionTermsResolver,
    ClaimResolver,
    BenefitStatementResolver,
    ParticipantBenefitsResolver,
    VocabularyResolver,
  ],
  orphanedTypes: [ParticipantReference], // reached only through _entities: Participant.benefitStatements
  entities: [
    ConventionEntity,
    ConventionCatchmentEntity,
    ConventionAmendmentEntity,
    ClaimEntity,
    ClaimLineEntity,
    CreditNoteEntity,
    CreditNoteLineEntity,
    ClaimPaymentEntity,
    BenefitStatementEntity,
    UploadBatchEntity,
  ],
  migrations,
  seedDemoAfterAll: seedBillingDemo,
  files: { '/claims/': claimExportFile }, // R17: INAMI's CSV of a period's claims (claim-export.route.ts)
  uploads: { '/uploads/benefit-statements': benefitStatementUploads }, // the insurers' monthly files of benefits paid (kit/upload.ts) // statements follow the demo people's arms and jobs
  owners: {
    BenefitStatement: ownedBy<BenefitStatementEntity>((statement) => statement.participantId),
    Participant: ownedBy<{ id: string }>((participant) => participant.id),
  },
  references: {
    Convention: ({ id }, context) => context.loaders.load(conventionsById, assertUuid('id', id)),
  },
};
