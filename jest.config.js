/**
 * Jest in ESM mode (MikroORM 7 and jose are ESM-only); @swc/jest keeps decorator metadata.
 * Three projects: `unit` (beside the code, no database), `slow` (beside the code, no database either,
 * but minutes of CPU: the tests that check disclosure control by solving for suppressed cells with an
 * integer-programming solver, and the one that composes every role's contract with a library) and `e2e`
 * (test/, real PostgreSQL). `npm test` runs the three; `npm run test:unit` the quick loop alone.
 * globalSetup/globalTeardown belong to the e2e project: jest runs a project's global hooks
 * only when at least one of its tests is selected, so `--selectProjects unit` starts no database.
 */
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

const UNIT_TESTS = '<rootDir>/{analysis,subgraphs,schema,gateway,platform,runtime}/**/*.test.ts';
/** Named one by one: a test that solves (HiGHS) or composes contracts for every role goes here when it is added. */
const SLOW_TESTS = [
  '<rootDir>/subgraphs/kit/disclosure.test.ts',
  '<rootDir>/subgraphs/kit/optimal-suppression.test.ts',
  '<rootDir>/subgraphs/research/services/consort-flow.test.ts',
  '<rootDir>/platform/contracts.test.ts',
];

export default {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [UNIT_TESTS],
      testPathIgnorePatterns: [
        ...shared.testPathIgnorePatterns,
        ...SLOW_TESTS.map((path) => `${path.replaceAll('.', '\\.')}$`),
      ],
    },
    {
      ...shared,
      displayName: 'slow',
      testMatch: SLOW_TESTS,
    },
    // Only in the run test/global-setup.mjs starts before the e2e files: the template database they copy.
    ...(process.env.IPS_TEST_BUILD_TEMPLATE
      ? [{ ...shared, displayName: 'template', testMatch: ['<rootDir>/test/template-database.build.ts'] }]
      : []),
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e.test.ts'],
      globalSetup: '<rootDir>/test/global-setup.mjs',
      globalTeardown: '<rootDir>/test/global-teardown.mjs',
    },
  ],
  // Global options: jest-circus reads testTimeout from the top level only, not from a project.
  testTimeout: 60000,
  maxWorkers: 2,
  // Each e2e file boots a whole platform inside its worker; what a file leaves behind (module registries,
  // pools, caches) adds up over the ≈ 70 files a worker runs, and a worker once ran out of memory late in a
  // run. A worker whose heap is above this after a file is replaced by a fresh one.
  workerIdleMemoryLimit: '1500MB',
};
