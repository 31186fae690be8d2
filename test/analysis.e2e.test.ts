/**
 * The trial's analysis reproduces (R19, R6): on the pilot-sized demo, a researcher's approved
 * person-month extract, downloaded through the gateway, gives the intention-to-treat estimates of
 * `npm run analysis` (analysis/itt.ts); Debian's R, loading the same extract through the label
 * script served with it, and pandas, reading the CSV, give the same figures; and each estimate
 * recovers the effect the demo model states (subgraphs/kit/demo-model.ts), averaged over the very
 * person-months the extract holds.
 *
 * The vault draws the arms at random on every load, so the estimates vary from one run to the next:
 * a 95 % interval misses the truth once in twenty by construction, and the demo's people are one fixed
 * draw from the model (their courses are keyed by their ids), whose own effect differs from the stated
 * one by that draw's chance (for the share of months working while on benefit, about 0.8 standard
 * errors). That the intervals are calibrated is shown where it can be, over many seeded trials
 * (analysis/calibration.test.ts). Here each estimate is held on the stated effect's side of zero and
 * within 3.9 standard errors of it (a 99.99 % interval), so a biased estimator or extract fails and
 * the chance of the draw does not.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvRecords } from '../analysis/csv.js';
import { analyse, FOLLOW_UP_MONTHS, type Analysis, type MeasureEstimate } from '../analysis/itt.js';
import type { Identity } from '../schema/identity.js';
import { expectedByMonth, expectedCompetitiveInQuarter, type DemoArm } from '../subgraphs/kit/demo-model.js';
import { startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';

let graph: TestPlatform;
let workDir: string;
beforeAll(async () => {
  graph = await startTestPlatform({ seedDemo: true });
  workDir = mkdtempSync(join(tmpdir(), 'ips-analysis-'));
}, 240_000);
afterAll(async () => {
  await graph?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

// The demo's research team and INAMI agent (participants/demo.ts staff directory).
const RESEARCHER: Identity = { role: 'RESEARCHER', organisation: 'ULB', subject: 'dev-researcher' };
const INAMI: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'dev-inami' };
const VARIABLES = [
  'arm',
  'partner',
  'month_since_randomisation',
  'working_on_benefit',
  'benefit_amount_cents',
  'competitive_job',
];

async function ok<T>(pending: Promise<GraphQLResponse<T>>): Promise<T> {
  const response = await pending;
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!;
}

/** A served file, saved under the name the platform gives it (the label script reads the CSV by that name). */
async function save(path: string): Promise<string> {
  const response = await fetch(new URL(path.slice(1), graph.platform.gateway.url), {
    headers: { authorization: `Bearer ${await graph.tokenFor(RESEARCHER)}` },
  });
  if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  const name =
    /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? path.split('/').pop()!;
  const file = join(workDir, name);
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

interface Line {
  measure: string;
  values: number[];
}
const lines = (output: string): Line[] =>
  output
    .trim()
    .split('\n')
    .map((line) => {
      const [measure, ...values] = line.split(',');
      return { measure: measure!, values: values.map(Number) };
    });
const figures = (analysis: Analysis): Line[] =>
  analysis.measures.map((m) => ({
    measure: m.measure,
    values: [
      m.ips.mean,
      m.control.mean,
      m.difference,
      m.standardError,
      m.interval.low,
      m.interval.high,
      m.partnerInterval!.low,
      m.partnerInterval!.high,
    ],
  }));

/** What the demo model says each measure is, averaged over the person-months (person-quarters) the extract holds. */
function stated(
  rows: readonly Record<string, string | null>[],
  measure: MeasureEstimate['measure'],
  arm: DemoArm,
): number {
  const mine = rows.filter((row) => row.arm === arm && Number(row.month_since_randomisation) <= FOLLOW_UP_MONTHS);
  const months = expectedByMonth(arm);
  if (measure === 'WORKING_ON_BENEFIT')
    return (
      mine.reduce((sum, row) => sum + months[Number(row.month_since_randomisation)]!.workingWhileOnBenefit, 0) /
      mine.length
    );
  if (measure === 'BENEFIT_PER_MONTH')
    return (
      mine.reduce((sum, row) => sum + months[Number(row.month_since_randomisation)]!.benefitCents, 0) / mine.length
    );
  const quarters = new Set(
    mine.map((row) => `${row.pseudonym}/${Math.floor(Number(row.month_since_randomisation) / 3)}`),
  );
  return (
    [...quarters].reduce((sum, key) => sum + expectedCompetitiveInQuarter(arm, Number(key.split('/')[1])), 0) /
    quarters.size
  );
}

describe('the trial analysis on the pilot-sized demo', () => {
  let csv: string;
  let labels: string;
  let rows: Record<string, string | null>[];
  let analysis: Analysis;

  beforeAll(async () => {
    const { fileDataRequest } = await ok(
      graph.query<{ fileDataRequest: { id: string } }>(
        RESEARCHER,
        'mutation($input: FileDataRequestInput!) { fileDataRequest(input: $input) { id } }',
        {
          input: {
            project: 'IPS-ITT-DEMO',
            purpose: 'Primary intention-to-treat analysis of the three outcome measures.',
            purposeCategory: 'EMPLOYMENT',
            variables: VARIABLES,
          },
        },
      ),
    );
    const { decideDataRequest } = await ok(
      graph.query<{ decideDataRequest: { files: { csv: string; labelsR: string } } }>(
        INAMI,
        'mutation($input: DecideDataRequestInput!) { decideDataRequest(input: $input) { files { csv labelsR } } }',
        {
          input: {
            requestId: fileDataRequest.id,
            decision: 'APPROVE',
            reason: 'Protocol v1, statistical analysis plan on file.',
          },
        },
      ),
    );
    csv = await save(decideDataRequest.files.csv);
    labels = await save(decideDataRequest.files.labelsR);
    rows = csvRecords(readFileSync(csv, 'utf8')).rows;
    analysis = analyse(rows);
    console.log(
      `npm run analysis on the demo's extract:\n${JSON.stringify(
        analysis.measures.map((m) => ({
          measure: m.measure,
          ips: m.ips.mean,
          control: m.control.mean,
          difference: m.difference,
          interval: m.interval,
          partnerInterval: m.partnerInterval,
          statedDifference: stated(rows, m.measure, 'IPS') - stated(rows, m.measure, 'CONTROL'),
        })),
        null,
        1,
      )}`,
    );
  }, 180_000);

  it('follows the pilot: about 600 people in both arms, months 0..30 since randomisation, four partners as clusters', () => {
    expect(analysis.people).toBeGreaterThan(500);
    expect(analysis.months).toEqual({ from: 0, to: FOLLOW_UP_MONTHS });
    for (const m of analysis.measures) {
      expect(m.ips.people).toBeGreaterThan(200);
      expect(m.control.people).toBeGreaterThan(200);
      expect(m.partners).toBe(4);
    }
  });

  it('recovers the effect the demo model states, for each measure and each arm', () => {
    for (const m of analysis.measures) {
      const truth = { IPS: stated(rows, m.measure, 'IPS'), CONTROL: stated(rows, m.measure, 'CONTROL') };
      const z = (m.difference - (truth.IPS - truth.CONTROL)) / m.standardError;
      expect({ measure: m.measure, z: Math.abs(z) < 3.9, sign: Math.sign(m.difference) }).toEqual({
        measure: m.measure,
        z: true,
        sign: Math.sign(truth.IPS - truth.CONTROL),
      });
      // The arms' means, against their own intervals' width (half-width / 1.96 is their standard error).
      for (const [arm, estimate] of [
        ['IPS', m.ips],
        ['CONTROL', m.control],
      ] as const) {
        const se = (estimate.interval.high - estimate.interval.low) / 2 / 1.96;
        expect({ measure: m.measure, arm, z: Math.abs((estimate.mean - truth[arm]) / se) < 3.9 }).toEqual({
          measure: m.measure,
          arm,
          z: true,
        });
      }
    }
  });

  it("R, through the extract's label script, gives the same figures", () => {
    const r = lines(execFileSync('Rscript', ['analysis/itt.R', csv, labels], { encoding: 'utf8' }));
    same(r, figures(analysis));
  });

  it('pandas, from the CSV, gives the same figures', () => {
    same(lines(execFileSync('/usr/bin/python3', ['analysis/itt.py', csv], { encoding: 'utf8' })), figures(analysis));
  });
});

function same(actual: Line[], expected: Line[]): void {
  expect(actual.map((l) => l.measure)).toEqual(expected.map((l) => l.measure));
  // R and Python print 12 significant digits.
  actual.forEach((line, i) =>
    line.values.forEach((value, j) =>
      expect(Math.abs(value - expected[i]!.values[j]!)).toBeLessThanOrEqual(
        1e-9 * Math.max(1, Math.abs(expected[i]!.values[j]!)),
      ),
    ),
  );
}
