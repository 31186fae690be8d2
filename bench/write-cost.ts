/**
 * What a write costs on the command path (kit/command.ts): SQL statements and latency of
 * `submitReferral` and `recordPathwayAct` through the gateway, against a read of the same
 * pathway (`pathway(id) { id status }`) measured in the same run, interleaved so machine noise
 * hits all three alike. Prints statements per request and the median and p95 of each, and the
 * ratio of each write to the read.
 *
 *   npm run bench:writes            (ITERATIONS=200 by default)
 */
import { randomUUID } from 'node:crypto';
import { signCallerToken } from '../gateway/identity.js';
import { benchDatabase } from './database.js';
import { startPlatform } from '../platform/launcher.js';
import type { Identity } from '../schema/identity.js';
import { makeNiss } from '../subgraphs/participants/services/niss.js';

const ITERATIONS = Number(process.env.ITERATIONS ?? 200);
const { database, databaseUrls, migrationUrl, keys } = await benchDatabase();
// Demo data: the directory's physicians and coaches, and pathways with their coach.
const platform = await startPlatform({
  databaseUrls,
  migrationUrl,
  callerPublicKey: keys.caller.publicKey,
  gateway: keys.gateway,
  gatewayPort: 0,
  exposeSqlCount: true,
  seedDemo: true,
});
const url = `${platform.gateway.url}graphql`;
const tokens = new Map<string, string>();

async function call(
  as: Identity,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ ms: number; sql: number; data: Record<string, unknown> }> {
  const key = `${as.role}/${as.organisation}/${as.subject}`;
  if (!tokens.has(key)) tokens.set(key, await signCallerToken(as, keys.caller.privateKey, '1h'));
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(key)}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: Record<string, unknown>;
    errors?: unknown[];
    extensions?: { sqlStatements?: number };
  };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return { ms: performance.now() - started, sql: body.extensions?.sqlStatements ?? -1, data: body.data! };
}

const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dev-medecin-conseil' };
const SUBMIT =
  'mutation Submit($input: SubmitReferralInput!, $key: String!) { submitReferral(input: $input, idempotencyKey: $key) { referralId participantId } }';
const ACT =
  'mutation Act($input: RecordPathwayActInput!, $key: String!) { recordPathwayAct(input: $input, idempotencyKey: $key) { id kind } }';
const READ = 'query Read($id: ID!) { pathway(id: $id) { id status } }';

// A demo pathway with a coach, whose consent names the IPS partner: the coach writes to the physician on it.
const [target] = (await platform.subgraphs[0]!.orm.em.getConnection().execute<
  { id: string; job_coach: string; ips_partner: string }[]
>(
  `select p.id, p.job_coach, p.ips_partner from pathways.pathway p join access.ledger l on l.participant_id = p.participant_id
   where p.status = 'OPEN' and p.job_coach is not null and l.trial_arm = 'IPS' and 'IPS_PARTNER/administrative' = any(l.consent_grants) and l.physician_subject is not null limit 1`,
)) as [{ id: string; job_coach: string; ips_partner: string }];
const COACH: Identity = { role: 'JOB_COACH', organisation: target.ips_partner, subject: target.job_coach };
let serial = 500;
const referral = () => ({
  person: {
    niss: makeNiss('1985-07-30', serial++),
    givenName: 'Camille',
    familyName: 'Lambert',
    birthDate: '1985-07-30',
    region: 'WALLONIA',
    postcode: '4000',
    incapacityStatus: 'INVALIDITY',
  },
  form: 'FIF',
  eligibility: {
    meetsIncapacityAndMentalDisorderConditions: true,
    needsVocationalRehabilitation: true,
    needsIntensiveSupport: true,
    wantsToReturnToWork: true,
    consentsToInformationSharing: true,
    consentsToResearch: true,
  },
  signedOn: '2026-11-02',
  informationSharingConsentForm: 'CONSENT-BENCH',
  researchConsentForm: 'RESEARCH-BENCH',
});
const today = new Date().toISOString().slice(0, 10);
const runs = {
  read: () => call(COACH, READ, { id: target.id }),
  submitReferral: () => call(PHYSICIAN, SUBMIT, { input: referral(), key: randomUUID() }),
  recordPathwayAct: () =>
    call(COACH, ACT, {
      input: {
        pathwayId: target.id,
        kind: 'MESSAGE_TO_PHYSICIAN',
        actOn: today,
        detail: 'Entretien de suivi.',
        detailCategory: 'EMPLOYMENT',
      },
      key: randomUUID(),
    }),
};
type Name = keyof typeof runs;

try {
  for (let i = 0; i < 20; i++) for (const run of Object.values(runs)) await run(); // warm up
  const times: Record<Name, number[]> = { read: [], submitReferral: [], recordPathwayAct: [] };
  const sql = {} as Record<Name, number>;
  const names = Object.keys(runs) as Name[];
  for (let i = 0; i < ITERATIONS; i++) {
    // Rotate the order, so none always runs on a warmer machine.
    for (const name of names.map((_, j) => names[(i + j) % names.length]!)) {
      const result = await runs[name]();
      times[name].push(result.ms);
      sql[name] = result.sql;
    }
  }
  const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.floor(values.length * q)]!;
  console.log(
    `Writes on the command path, ${ITERATIONS} interleaved requests each, baseline: a read of the same pathway`,
  );
  for (const name of names) {
    const median = quantile(times[name], 0.5);
    console.log(
      `${name.padEnd(17)} SQL statements ${String(sql[name]).padStart(3)}  median ${median.toFixed(2)} ms  p95 ${quantile(times[name], 0.95).toFixed(2)} ms  → ${(median / quantile(times.read, 0.5)).toFixed(2)}× the read`,
    );
  }
} finally {
  await platform.stop();
  await database.stop();
}
