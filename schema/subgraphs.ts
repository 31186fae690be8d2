/** The four subgraphs of the graph, by name (PostgreSQL schema, supergraph service name). */
export const SUBGRAPH_NAMES = ['participants', 'pathways', 'research', 'billing'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];
