/** The four subgraphs by name: only the platform launchers import them all. */
import { billingSubgraph } from '../subgraphs/billing/index.js';
import type { SubgraphName } from '../schema/subgraphs.js';
import type { SubgraphDefinition } from '../subgraphs/kit/subgraph.js';
import { participantsSubgraph } from '../subgraphs/participants/index.js';
import { pathwaysSubgraph } from '../subgraphs/pathways/index.js';
import { researchSubgraph } from '../subgraphs/research/index.js';

export const SUBGRAPHS: Record<SubgraphName, SubgraphDefinition> = {
  participants: participantsSubgraph,
  pathways: pathwaysSubgraph,
  research: researchSubgraph,
  billing: billingSubgraph,
};
