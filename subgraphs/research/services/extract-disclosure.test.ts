/** The re-identification check of an extract (R19, schema/policy.ts EXTRACT_DISCLOSURE): k-anonymity, coarsened step by step. */
import { EXTRACT_DISCLOSURE } from '../../../schema/policy.js';
import {
  coarsenRow,
  coarsenValue,
  planDisclosure,
  quasiIdentifiersOf,
  smallestGroup,
  type Coarsening,
  type DisclosurePolicy,
} from './extract-disclosure.js';

const person = (age_band: string, sex: string, region: string, allocation_month: string, pseudonym = '') => ({
  pseudonym,
  age_band,
  sex,
  region,
  allocation_month,
});
/** A plan that coarsens every person alike. */
const everyone = (levels: Record<string, Coarsening>) => ({
  levels,
  suppressed: new Map<string, never>(),
  quasiIdentifiers: [],
});

describe('coarsening a value', () => {
  it('widens age bands, turns calendar months into quarters or years in every calendar column, and empties a withheld column', () => {
    expect(
      ['<25', '25-29', '30-34', '45-49', '55-59', '60+'].map((band) =>
        coarsenValue('age_band', band, { age_band: 'TEN_YEARS' }),
      ),
    ).toEqual(['<30', '<30', '30-39', '40-49', '50-59', '60+']);
    expect(
      ['<25', '35-39', '40-44', '55-59', '60+'].map((band) =>
        coarsenValue('age_band', band, { age_band: 'TWENTY_YEARS' }),
      ),
    ).toEqual(['<40', '<40', '40-59', '40-59', '60+']);
    expect(
      ['2025-01', '2025-03', '2025-04', '2025-12'].map((month) =>
        coarsenValue('allocation_month', month, { allocation_month: 'QUARTER' }),
      ),
    ).toEqual(['2025-Q1', '2025-Q1', '2025-Q2', '2025-Q4']);
    // One calendar level for every calendar column: a month left precise would give the allocation month back.
    expect(
      coarsenRow(
        { pseudonym: 'p', month: '2025-05', wave_due_month: '2025-11', allocation_month: '2025-05', arm: 'IPS' },
        everyone({ allocation_month: 'YEAR' }),
      ),
    ).toEqual({ pseudonym: 'p', month: '2025', wave_due_month: '2025', allocation_month: '2025', arm: 'IPS' });
    expect(
      coarsenRow(
        { allocation_month: '2025-05', month: '2025-06', sex: 'MALE' },
        everyone({ allocation_month: 'WITHHELD', sex: 'WITHHELD' }),
      ),
    ).toEqual({ allocation_month: null, month: null, sex: null });
    expect(coarsenValue('sex', null, { sex: 'WITHHELD' })).toBeNull();
    expect(coarsenRow({ arm: 'IPS' }, everyone({}))).toEqual({ arm: 'IPS' });
  });
});

describe('the quasi-identifiers of an extract', () => {
  it("are the policy's the extract holds, and the allocation month whenever a calendar column is there", () => {
    expect(quasiIdentifiersOf(['arm', 'region', 'sex'])).toEqual(['sex', 'region']);
    expect(quasiIdentifiersOf(['arm', 'month'])).toEqual(['allocation_month']);
    expect(quasiIdentifiersOf(['arm', 'competitive_job'])).toEqual([]);
  });
});

describe('the plan (k-anonymity)', () => {
  // 40 people: 20 per region; ages spread over 5-year bands and months of 2025 so that every fine group is small.
  const people = Array.from({ length: 40 }, (_, i) =>
    person(
      ['25-29', '30-34', '35-39', '40-44', '45-49', '50-54'][i % 6]!,
      i % 2 ? 'MALE' : 'FEMALE',
      i < 20 ? 'WALLONIA' : 'FLANDERS',
      `2025-${String((i % 12) + 1).padStart(2, '0')}`,
    ),
  );

  it("coarsens step by step, in the policy's order, until every group counts at least k, and says which steps and the k reached", () => {
    const plan = planDisclosure(people, ['arm', 'age_band', 'sex', 'region', 'allocation_month']);
    expect(smallestGroup(people, plan.quasiIdentifiers, {})).toBe(1); // as recorded, people stand alone
    expect(plan.quasiIdentifiers).toEqual(['age_band', 'sex', 'region', 'allocation_month']);
    expect(plan.applied[0]).toEqual({ variable: 'allocation_month', to: 'QUARTER' });
    expect(plan.applied.map((s) => s.variable).every((v) => plan.quasiIdentifiers.includes(v))).toBe(true);
    expect(plan.satisfied).toBe(true);
    expect(plan.kReached).toBeGreaterThanOrEqual(EXTRACT_DISCLOSURE.k);
    // The k stated is the k of the rows as sent, and one step fewer would not have reached it.
    const sent = people.map((p) => coarsenRow(p, plan));
    expect(smallestGroup(sent, plan.quasiIdentifiers, {})).toBe(plan.kReached);
    const oneFewer = Object.fromEntries(plan.applied.slice(0, -1).map((s) => [s.variable, s.to]));
    expect(smallestGroup(people, plan.quasiIdentifiers, oneFewer)!).toBeLessThan(EXTRACT_DISCLOSURE.k);
  });

  it('coarsens nothing when k already holds, or when the extract holds no quasi-identifier', () => {
    const plan = planDisclosure(people, ['arm', 'region']);
    expect([plan.applied, plan.kReached, plan.satisfied]).toEqual([[], 20, true]);
    expect(planDisclosure(people, ['arm', 'competitive_job'])).toMatchObject({
      quasiIdentifiers: [],
      applied: [],
      kReached: 40,
      satisfied: true,
    });
  });

  it('withholds calendar time in every calendar column at once: a month left would give the allocation month back', () => {
    const policy: DisclosurePolicy = {
      k: 5,
      quasiIdentifiers: ['allocation_month'],
      steps: [
        { variable: 'allocation_month', to: 'QUARTER' },
        { variable: 'allocation_month', to: 'WITHHELD' },
      ],
    };
    // A first partial year of randomisations: one person alone in 2025-Q1.
    const sparse = [
      person('25-29', 'MALE', 'WALLONIA', '2025-01'),
      ...Array.from({ length: 9 }, () => person('25-29', 'MALE', 'WALLONIA', '2026-06')),
    ];
    const plan = planDisclosure(sparse, ['allocation_month', 'month'], policy);
    expect(plan).toMatchObject({ levels: { allocation_month: 'WITHHELD' }, kReached: 10, satisfied: true });
    expect(coarsenRow({ month: '2025-03', allocation_month: '2025-01', month_since_randomisation: 2 }, plan)).toEqual({
      month: null,
      allocation_month: null,
      month_since_randomisation: 2,
    });
  });

  it('withholds, never coarsens, the calendar of a month-by-month extract: its rows per quarter, or the months since randomisation, give the allocation month back', () => {
    const policy: DisclosurePolicy = {
      k: 5,
      quasiIdentifiers: ['allocation_month'],
      steps: [
        { variable: 'allocation_month', to: 'QUARTER' },
        { variable: 'allocation_month', to: 'YEAR' },
        { variable: 'allocation_month', to: 'WITHHELD' },
      ],
    };
    // Everyone alone in their allocation month, but five to a quarter: quarters would satisfy k on the allocation month column alone.
    const people = Array.from({ length: 10 }, (_, i) =>
      person(
        '30-34',
        'MALE',
        'WALLONIA',
        `2025-${String(i < 5 ? (i % 3) + 1 : (i % 3) + 4).padStart(2, '0')}`,
        `p${i}`,
      ),
    );
    expect(planDisclosure(people, ['allocation_month'], policy).levels).toEqual({ allocation_month: 'QUARTER' });
    // What an analyst derives from a person's rows coarsened to quarters, with the months since randomisation: one month.
    const rows = (allocation: string) =>
      Array.from({ length: 6 }, (_, m) => {
        const calendar = Number(allocation.slice(0, 4)) * 12 + Number(allocation.slice(5, 7)) - 1 + m;
        return coarsenRow(
          {
            month: `${Math.floor(calendar / 12)}-${String((calendar % 12) + 1).padStart(2, '0')}`,
            month_since_randomisation: m,
          },
          everyone({ allocation_month: 'QUARTER' }),
        );
      });
    const candidates = (served: ReturnType<typeof rows>) =>
      ['2025-01', '2025-02', '2025-03', '2025-04'].filter((a) =>
        rows(a).every((row, m) => row.month === served[m]!.month),
      );
    expect(candidates(rows('2025-02'))).toEqual(['2025-02']);
    // Without the months since: the rows run from month 0, so the count of rows in the first quarter says the month.
    expect(rows('2025-02').filter((row) => row.month === '2025-Q1').length).toBe(2);
    // So the plan of such an extract withholds the calendar instead.
    for (const held of [['month'], ['month', 'month_since_randomisation']])
      expect(planDisclosure(people, held, policy).levels).toEqual({ allocation_month: 'WITHHELD' });
    const plan = planDisclosure(people, ['month', 'month_since_randomisation'], policy);
    expect(plan).toMatchObject({
      levels: { allocation_month: 'WITHHELD' },
      applied: [{ variable: 'allocation_month', to: 'WITHHELD' }],
      satisfied: true,
    });
    expect(coarsenRow({ month: '2025-03', month_since_randomisation: 1 }, plan)).toEqual({
      month: null,
      month_since_randomisation: 1,
    });
  });

  it("withholds only the few outliers' own calendar (local suppression) rather than coarsening everyone's, and they stand among all who share the rest", () => {
    const policy: DisclosurePolicy = { ...EXTRACT_DISCLOSURE, localSuppression: { maxShare: 0.05 } };
    // 60 people in 2026 (k = 10 per quarter-region-sex), and two in a first, partial year.
    const many = Array.from({ length: 60 }, (_, i) =>
      person(
        '30-34',
        i % 2 ? 'MALE' : 'FEMALE',
        i % 3 ? 'WALLONIA' : 'FLANDERS',
        `2026-${String((i % 3) * 3 + 1).padStart(2, '0')}`,
        `p${i}`,
      ),
    );
    const early = [
      person('30-34', 'MALE', 'WALLONIA', '2022-12', 'early-1'),
      person('30-34', 'FEMALE', 'FLANDERS', '2022-12', 'early-2'),
    ];
    const plan = planDisclosure([...many, ...early], ['month', 'sex', 'region', 'age_band'], policy);
    expect([...plan.suppressed]).toEqual([
      ['early-1', 'CALENDAR'],
      ['early-2', 'CALENDAR'],
    ]);
    expect(plan.applied).toEqual([]); // nobody else coarsened
    expect(plan.satisfied).toBe(true);
    expect(plan.kReached).toBeGreaterThanOrEqual(5);
    expect(
      coarsenRow(
        {
          pseudonym: 'early-1',
          month: '2023-01',
          allocation_month: '2022-12',
          sex: 'MALE',
          month_since_randomisation: 1,
        },
        plan,
      ),
    ).toEqual({ pseudonym: 'early-1', month: null, allocation_month: null, sex: 'MALE', month_since_randomisation: 1 });
    expect(coarsenRow({ pseudonym: 'p1', month: '2026-04', sex: 'MALE' }, plan)).toEqual({
      pseudonym: 'p1',
      month: '2026-04',
      sex: 'MALE',
    });
    // Too many outliers for local suppression: everyone is coarsened instead.
    expect(
      planDisclosure([...many, ...early], ['month', 'sex', 'region', 'age_band'], {
        ...policy,
        localSuppression: { maxShare: 0.01 },
      }).applied.length,
    ).toBeGreaterThan(0);
  });

  it('is not satisfied when the extract holds fewer people than k, whatever is withheld; an empty extract identifies no one', () => {
    const few = people.slice(0, 3);
    const plan = planDisclosure(few, ['age_band', 'sex', 'region', 'allocation_month']);
    expect([plan.kReached, plan.satisfied, plan.persons]).toEqual([3, false, 3]);
    expect(plan.applied.map((s) => `${s.variable}:${s.to}`)).toEqual(
      EXTRACT_DISCLOSURE.steps
        .filter((s) => plan.quasiIdentifiers.includes(s.variable))
        .map((s) => `${s.variable}:${s.to}`),
    );
    expect(planDisclosure([], ['age_band'])).toMatchObject({ kReached: null, satisfied: true, applied: [] });
  });
});
