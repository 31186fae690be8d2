/**
 * `npm run outcomes -- [--from 2019-01] [--to 2021-12] [--region FLANDERS] [--url http://127.0.0.1:4000/graphql]`
 * asks a running platform (`npm start`, demo data) for the trial's outcome measures per arm, as a
 * researcher signed by the local development identity provider, and prints them.
 */
import { parseArgs } from 'node:util';
import { signCallerToken } from './identity.js';
import { loadDevKeys } from './keys.js';
import { formatOutcomes, OUTCOMES_QUERY, type OutcomesAnswer } from './outcomes-format.js';

const { values } = parseArgs({
  options: {
    // By default the longest window (120 months) up to this month: every month of follow-up the platform holds.
    from: {
      type: 'string',
      default: new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 119, 15))
        .toISOString()
        .slice(0, 7),
    },
    to: { type: 'string', default: new Date().toISOString().slice(0, 7) },
    region: { type: 'string' },
    url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? 4000}/graphql` },
  },
});
const keys = await loadDevKeys();
const token = await signCallerToken(
  { role: 'RESEARCHER', organisation: 'ULB', subject: 'dev-researcher' },
  keys.caller.privateKey,
  '5m',
);
const response = await fetch(values.url, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({
    query: OUTCOMES_QUERY,
    variables: { from: values.from, to: values.to, region: values.region ?? null },
  }),
});
const body = (await response.json()) as { data?: { trialOutcomes: OutcomesAnswer | null }; errors?: unknown[] };
if (body.errors || !body.data?.trialOutcomes) {
  console.error(JSON.stringify(body.errors ?? body, null, 2));
  process.exit(1);
}
console.log(formatOutcomes(body.data.trialOutcomes));
