/**
 * Builds the run's template database (test/harness.ts runTemplate) in a jest run of its own, which jest's
 * globalSetup (test/global-setup.mjs) starts before any test file: the migrations and first snapshots run
 * once, outside every test file's hooks and their timeouts. Only in that run (jest.config.js `template`).
 */
import { runTemplate } from './harness.js';

test('builds the template database every test file copies', async () => {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) throw new Error('TEST_DATABASE_URL is not set (jest globalSetup sets it)');
  expect(await runTemplate(serverUrl)).toBe(process.env.IPS_TEST_TEMPLATE);
}, 300_000);
