/** Boundaries of DESIGN.md: arrows point one way; `npm test` fails when one is crossed. */
const SUBGRAPHS = ['participants', 'pathways', 'research', 'billing'];

module.exports = {
  forbidden: [
    ...SUBGRAPHS.map((name) => ({
      name: `${name}-imports-no-other-subgraph`,
      comment: 'Subgraphs meet only through federation and published views.',
      severity: 'error',
      from: { path: `^subgraphs/${name}/` },
      to: { path: `^subgraphs/(${SUBGRAPHS.filter((other) => other !== name).join('|')})/` },
    })),
    {
      name: 'kit-knows-no-subgraph',
      severity: 'error',
      from: { path: '^subgraphs/kit/' },
      to: { path: `^subgraphs/(${SUBGRAPHS.join('|')})/` },
    },
    {
      name: 'gateway-reaches-subgraphs-over-http-only',
      severity: 'error',
      from: { path: '^gateway/' },
      to: { path: '^(subgraphs|platform)/' },
    },
    {
      name: 'runtime-imports-only-schema-and-packages',
      comment:
        'Configuration, logs, metrics, traces: imported by gateway/, subgraphs/kit/, platform/ and schema/errors; it imports nothing of theirs.',
      severity: 'error',
      from: { path: '^runtime/' },
      to: { path: '^(subgraphs|gateway|platform|test|bench)/' },
    },
    {
      name: 'subgraphs-reach-runtime-through-the-kit',
      severity: 'error',
      from: { path: '^subgraphs/(participants|pathways|research|billing)/' },
      to: { path: '^runtime/' },
    },
    {
      name: 'schema-is-a-leaf',
      comment: 'The policy and contracts import nothing of the implementation.',
      severity: 'error',
      from: { path: '^schema/' },
      to: { path: '^(subgraphs|gateway|platform)/' },
    },
    {
      name: 'services-know-no-graphql',
      comment:
        'Services and entities work on plain data: GraphQL types implement the shapes services declare, never the reverse, so a service can be called from a route, a job or a test without the schema.',
      severity: 'error',
      from: { path: '^subgraphs/[^/]+/(services|entities|migrations)/' },
      to: { path: '^subgraphs/[^/]+/graphql/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^(gateway|schema|subgraphs/kit|platform|runtime)/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.test\\.ts$)' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
