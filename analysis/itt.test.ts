/**
 * The intention-to-treat estimates (itt.ts) on a constructed extract with a known effect, and the
 * same figures from the R (itt.R) and pandas (itt.py) versions an analyst would run on the CSV.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvRecords } from './csv.js';
import { analyse, clusteredDifference, missingColumns, studentQuantile, type Analysis } from './itt.js';

/** A small deterministic generator (the test's data only). */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PARTNERS = ['VDAB-GTB', 'ARTICLE-23', 'ISPPC', 'EQUIPE-MASS'];

/** People followed 0..30 months; IPS people work more often and receive less benefit; some rows outside follow-up. */
export function constructedExtract(people = 240, seed = 7): string {
  const next = random(seed);
  const lines = [
    'pseudonym,arm,partner,month,month_since_randomisation,working_on_benefit,benefit_amount_cents,competitive_job',
  ];
  for (let p = 0; p < people; p++) {
    const arm = p % 2 === 0 ? 'IPS' : 'CONTROL';
    const partner = PARTNERS[p % PARTNERS.length]!;
    const start = 2021 * 12 + (p % 36);
    const months = 20 + Math.floor(next() * 14); // some followed past month 30: those rows are left out
    let working = false;
    for (let m = 0; m < months; m++) {
      if (!working && next() < (arm === 'IPS' ? 0.08 : 0.04)) working = true;
      else if (working && next() < 0.05) working = false;
      const competitive = working && next() < (arm === 'IPS' ? 0.9 : 0.6);
      const stated = next() < 0.95;
      const cents = stated ? Math.round((working ? 90_000 : 140_000) + next() * 20_000) : '';
      const calendar = start + m;
      const month = `${Math.floor(calendar / 12)}-${String((calendar % 12) + 1).padStart(2, '0')}`;
      lines.push(
        [`p${String(p).padStart(4, '0')}`, arm, `"${partner}"`, month, m, working && stated, cents, competitive].join(
          ',',
        ),
      );
    }
  }
  return lines.join('\r\n') + '\r\n';
}

interface Line {
  measure: string;
  values: number[];
}
const parseLines = (output: string): Line[] =>
  output
    .trim()
    .split('\n')
    .map((line) => {
      const [measure, ...values] = line.split(',');
      return { measure: measure!, values: values.map(Number) };
    });
const asLines = (analysis: Analysis): Line[] =>
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

function expectSameFigures(actual: Line[], expected: Line[]): void {
  expect(actual.map((l) => l.measure)).toEqual(expected.map((l) => l.measure));
  actual.forEach((line, i) => line.values.forEach((value, j) => expect(value).toBeCloseTo(expected[i]!.values[j]!, 6)));
}

describe('intention-to-treat estimates', () => {
  const text = constructedExtract();
  const analysis = analyse(csvRecords(text).rows);

  it('counts every randomised person in their arm for months 0..30 since randomisation only', () => {
    const rows = csvRecords(text).rows;
    expect(analysis.people).toBe(240);
    expect(analysis.personMonths).toBe(rows.filter((r) => Number(r.month_since_randomisation) <= 30).length);
    expect(analysis.personMonths).toBeLessThan(rows.length);
    expect(analysis.months).toEqual({ from: 0, to: 30 });
  });

  it('finds the constructed effects: more months working, less benefit, more competitive quarters in IPS', () => {
    const [working, benefit, competitive] = analysis.measures;
    expect(working!.difference).toBeGreaterThan(0);
    expect(benefit!.difference).toBeLessThan(0);
    expect(competitive!.difference).toBeGreaterThan(0);
    for (const m of analysis.measures) {
      expect(m.interval.low).toBeLessThan(m.difference);
      expect(m.interval.high).toBeGreaterThan(m.difference);
      // Four partners: the sensitivity interval is wider than the person-clustered one.
      expect(m.partners).toBe(4);
      expect(m.partnerInterval!.high - m.partnerInterval!.low).toBeGreaterThan(0);
    }
    expect(competitive!.unit).toBe('PERSON_QUARTER');
  });

  it("agrees with Student's t quantiles of R (qt)", () => {
    expect(studentQuantile(0.975, 3)).toBeCloseTo(3.182446305284263, 9);
    expect(studentQuantile(0.975, 239)).toBeCloseTo(1.969939405916958, 9);
    expect(studentQuantile(0.975, 599)).toBeCloseTo(1.963932248945278, 9);
  });

  it('with one observation per cluster, the clustered variance is the heteroskedasticity-robust HC1 one', () => {
    const observations = [1, 3, 2, 6, 5, 9, 8, 7].map((value, i) => ({
      person: `p${i}`,
      partner: null,
      ips: i % 2 === 1,
      value,
    }));
    const { slope, standardError } = clusteredDifference(observations, (o) => o.person);
    const ips = observations.filter((o) => o.ips).map((o) => o.value);
    const control = observations.filter((o) => !o.ips).map((o) => o.value);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const ss = (xs: number[]) => xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0);
    // HC0 of a difference in means is ss1/n1² + ss0/n0²; CR1 with G = N adds N/(N−1) · (N−1)/(N−2) = N/(N−2).
    const hc1 = (ss(ips) / ips.length ** 2 + ss(control) / control.length ** 2) * (8 / 6);
    expect(slope).toBeCloseTo(mean(ips) - mean(control), 12);
    expect(standardError).toBeCloseTo(Math.sqrt(hc1), 12);
  });

  it('names the variables an extract lacks', () => {
    expect(missingColumns(['pseudonym', 'arm', 'month'])).toEqual([
      'working_on_benefit',
      'benefit_amount_cents',
      'competitive_job',
      'month_since_randomisation',
    ]);
    expect(
      missingColumns([
        'pseudonym',
        'arm',
        'month_since_randomisation',
        'working_on_benefit',
        'benefit_amount_cents',
        'competitive_job',
      ]),
    ).toEqual([]);
    expect(
      missingColumns([
        'pseudonym',
        'arm',
        'month',
        'allocation_month',
        'working_on_benefit',
        'benefit_amount_cents',
        'competitive_job',
      ]),
    ).toEqual([]);
  });

  describe('the same figures in R and pandas', () => {
    let dir: string;
    let file: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'ips-itt-'));
      file = join(dir, 'extract.csv');
      writeFileSync(file, text);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("R's itt.R (Debian's r-base-core)", () => {
      expectSameFigures(
        parseLines(execFileSync('Rscript', ['analysis/itt.R', file], { encoding: 'utf8' })),
        asLines(analysis),
      );
    });

    it("pandas' itt.py (Debian's python3-pandas)", () => {
      expectSameFigures(
        parseLines(execFileSync('/usr/bin/python3', ['analysis/itt.py', file], { encoding: 'utf8' })),
        asLines(analysis),
      );
    });
  });
});
