/**
 * Jest in ESM mode (MikroORM 7 and jose are ESM-only); @swc/jest keeps decorator metadata.
 * Two projects: `unit` (beside the code, no database) and `e2e` (test/, real PostgreSQL).
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

export default {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{analysis,subgraphs,schema,gateway,platform,runtime}/**/*.test.ts'],
    },
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
