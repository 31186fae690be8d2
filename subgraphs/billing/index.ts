/** The billing subgraph: INAMI's conventions with the IPS partners, capacity and (later) claims (R17). */
import type { SubgraphDefinition } from '../kit/subgraph.js';
import { assertUuid } from '../kit/validation.js';
import { ConventionCatchmentEntity } from './entities/convention-catchment.entity.js';
import { ConventionEntity } from './entities/convention.entity.js';
import { ConventionResolver } from './graphql/convention.resolver.js';
import { VocabularyResolver } from './graphql/vocabulary.resolver.js';
import { migrations } from './migrations/index.js';
import { conventionsById } from './services/convention.service.js';

export const billingSubgraph: SubgraphDefinition = {
  name: 'billing',
  resolvers: [ConventionResolver, VocabularyResolver],
  entities: [ConventionEntity, ConventionCatchmentEntity],
  migrations,
  owners: {}, // conventions carry no personal data
  references: {
    Convention: ({ id }, context) => context.loaders.load(conventionsById, assertUuid('id', id)),
  },
};
