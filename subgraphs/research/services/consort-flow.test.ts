import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DISCLOSURE_CONTROL, OPERATIONS, readsExactCounts } from '../../../schema/policy.js';
import { consortDiagram, wrap } from './consort-diagram.js';
import { exposedSmallCounts, narrowest, noisyRanges, suppressedRangesOfSums } from '../../../test/disclosure-solver.js';
import { cellKeyOf, perturb, RECORD_KEY_MODULUS } from '../../kit/cell-key.js';
import { DemoRandom } from '../../kit/demo-random.js';
import { suppressTable, TOTAL, type Dimension } from '../../kit/disclosure.js';
import {
  consortCounts,
  consortKeySums,
  flowSums,
  perturbFlow,
  suppressedCells,
  suppressedCellsTogether,
  suppressFlow,
  type ConsortCounts,
  type StageCounts,
} from './consort-flow.js';

const STAGES: StageCounts = {
  declined: 7,
  unmetConditions: { R1A: 3, R1D: 9 },
  referred: 60,
  registered: 52,
  arms: {
    IPS: { allocated: 25, received: 21, lostByWave: { 1: 2, 2: 6 }, discontinued: 1, withdrawn: 3 },
    CONTROL: { allocated: 24, received: 17, lostByWave: { 1: 5 }, discontinued: 0, withdrawn: 6 },
  },
  designs: [
    { version: 1, allocated: { IPS: 20, CONTROL: 20 } },
    { version: 2, allocated: { IPS: 5, CONTROL: 4 } },
  ],
};

/** Each box of the diagram (`<g id="box-…">`) with its text, lines joined, non-breaking spaces as spaces. */
function boxes(svg: string): Record<string, string> {
  expect(XMLValidator.validate(svg)).toBe(true);
  const parsed = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    isArray: (name) => name === 'g' || name === 'tspan',
  }).parse(svg);
  return Object.fromEntries(
    (parsed.svg.g as { id?: string; text: { tspan: { '#text': string }[] } }[])
      .filter((g) => g.id?.startsWith('box-'))
      .map((g) => [
        g.id!,
        g.text.tspan
          .map((t) => t['#text'])
          .join(' ')
          .replace(/\u00a0/g, ' '),
      ]),
  );
}

describe('the CONSORT flow from the counts of each stage', () => {
  it('derives every box of the flow: exclusions, differences between stages, analysis by intention to treat', () => {
    const flow = consortCounts(STAGES);
    expect(flow).toMatchObject({ excluded: 19, assessed: 79, notRegistered: 8, notRandomised: 3, randomised: 49 });
    expect(flow.unmetConditions).toEqual({ R1A: 3, R1B: 0, R1C: 0, R1D: 9, R1E: 0, R1F: 0 });
    expect(flow.arms.IPS).toEqual({
      arm: 'IPS',
      allocated: 25,
      received: 21,
      notReceived: 4,
      lostByWave: [0, 2, 6, 0, 0, 0],
      discontinued: 1,
      withdrawn: 3,
      analysed: 22,
    });
    expect(flow.arms.CONTROL.analysed).toBe(18);
  });

  it('hides small cells (1–4) and a second term of every sum left with one hidden term, so none can be computed back', () => {
    const flow = consortCounts(STAGES);
    const hidden = suppressedCells(flow);
    for (const small of [
      'unmetConditions.R1A',
      'arms.IPS.notReceived',
      'arms.IPS.withdrawn',
      'arms.IPS.discontinued',
      'arms.IPS.lostByWave.1',
      'designs.1.CONTROL',
      'notRandomised',
    ]) {
      expect(hidden).toContain(small);
    }
    // excluded = declined + R1A + R1D: R1A hidden, so the smaller of declined (7) and R1D (9) too.
    expect(hidden).toContain('declined');
    // registered = notRandomised + randomised: randomised is hidden with notRandomised (3).
    expect(hidden).toContain('randomised');
    expect(hidden).not.toContain('assessed');
    const shown = suppressFlow(flow);
    expect(shown.unmetConditions.R1A).toBeNull();
    expect(shown.unmetConditions.R1D).toBe(9);
    expect(shown.arms.CONTROL.lostByWave[1]).toBe(5);
    expect(shown.arms.IPS.lostByWave[2]).toBe(6);
  });

  it('hides nothing when no count is small', () => {
    const big: StageCounts = {
      ...STAGES,
      unmetConditions: { R1D: 9 },
      registered: 49,
      arms: {
        IPS: { ...STAGES.arms.IPS, received: 25, lostByWave: {}, discontinued: 0, withdrawn: 0 },
        CONTROL: { ...STAGES.arms.CONTROL, received: 24, withdrawn: 0 },
      },
      designs: [],
    };
    expect(suppressedCells(consortCounts(big)).size).toBe(0);
  });

  /** Every hidden count's range given the published ones and the flow's sums (HiGHS, integers ≥ 0). */
  async function hiddenRanges(stages: StageCounts) {
    const flow = consortCounts(stages);
    const { values, sums } = flowSums(flow);
    const names = [...values.keys()];
    const index = new Map(names.map((name, i) => [name, i]));
    const hidden = suppressedCells(flow);
    const counts = names.map((name) => (hidden.has(name) ? null : values.get(name)!));
    const ranges = await suppressedRangesOfSums({
      counts,
      equations: sums.map((sum) => [sum.total, ...sum.parts].map((name) => index.get(name)!)),
    });
    return ranges.map(({ cell, min, max }) => ({ name: names[cell]!, value: values.get(names[cell]!)!, min, max }));
  }

  it('leaves no hidden count solvable from the published ones, through any combination of the sums (solved with HiGHS)', async () => {
    // Two sums share each arm's `allocated`: received + notReceived and analysed + withdrawn. With
    // notReceived and withdrawn small, hiding one term per sum is not enough when the published
    // terms of both sums pin `allocated` (the rule of "a second term per sum" left such gaps).
    const tight: StageCounts = {
      declined: 12,
      unmetConditions: { R1B: 2 },
      referred: 40,
      registered: 40,
      arms: {
        IPS: { allocated: 20, received: 18, lostByWave: { 1: 1 }, discontinued: 0, withdrawn: 3 },
        CONTROL: { allocated: 20, received: 20, lostByWave: {}, discontinued: 0, withdrawn: 0 },
      },
      designs: [{ version: 1, allocated: { IPS: 20, CONTROL: 20 } }],
    };
    const random = new DemoRandom(2026);
    const int = (max: number) => random.integer(0, max);
    const constructed: StageCounts[] = [STAGES, tight];
    for (let i = 0; i < 40; i += 1) {
      const allocated = { IPS: 1 + int(30), CONTROL: 1 + int(30) };
      const randomised = allocated.IPS + allocated.CONTROL;
      const registered = randomised + int(6);
      const first = { IPS: int(allocated.IPS), CONTROL: int(allocated.CONTROL) };
      const arm = (n: number) => ({
        allocated: n,
        received: n - int(Math.min(n, 6)),
        lostByWave: { 1: int(Math.min(n, 5)), 2: int(3) },
        discontinued: int(Math.min(n, 3)),
        withdrawn: int(Math.min(n, 6)),
      });
      constructed.push({
        declined: int(9),
        unmetConditions: { R1A: int(6), R1C: int(3), R1F: int(12) },
        referred: registered + int(8),
        registered,
        arms: { IPS: arm(allocated.IPS), CONTROL: arm(allocated.CONTROL) },
        designs: int(1)
          ? [
              { version: 1, allocated: first },
              { version: 2, allocated: { IPS: allocated.IPS - first.IPS, CONTROL: allocated.CONTROL - first.CONTROL } },
            ]
          : [],
      });
    }
    let hiddenCounted = 0;
    for (const stages of constructed) {
      for (const range of await hiddenRanges(stages)) {
        hiddenCounted += 1;
        expect({ ...range, solvable: range.min === range.max }).toEqual({ ...range, solvable: false });
        expect(range.value).toBeGreaterThanOrEqual(range.min);
        expect(range.value).toBeLessThanOrEqual(range.max);
      }
    }
    expect(hiddenCounted).toBeGreaterThan(100); // the constructed flows do hide counts
  }, 60_000);

  it("suppresses the whole trial and its regions together: no region's hidden count is the whole minus the other regions", async () => {
    const region = (scale: number, small: number): StageCounts => ({
      declined: 6 * scale,
      unmetConditions: { R1B: small },
      referred: 30 * scale,
      registered: 30 * scale,
      arms: {
        IPS: {
          allocated: 15 * scale,
          received: 15 * scale - small,
          lostByWave: { 1: small },
          discontinued: 0,
          withdrawn: small,
        },
        CONTROL: { allocated: 15 * scale, received: 15 * scale, lostByWave: {}, discontinued: 0, withdrawn: 0 },
      },
      designs: [{ version: 1, allocated: { IPS: 15 * scale, CONTROL: 15 * scale } }],
    });
    const regions: Record<string, StageCounts> = {
      FLANDERS: region(3, 0),
      WALLONIA: region(2, 2),
      BRUSSELS: region(1, 0),
    };
    const sum = (pick: (s: StageCounts) => number) => Object.values(regions).reduce((total, s) => total + pick(s), 0);
    const whole: StageCounts = {
      declined: sum((s) => s.declined),
      unmetConditions: { R1B: sum((s) => s.unmetConditions.R1B ?? 0) },
      referred: sum((s) => s.referred),
      registered: sum((s) => s.registered),
      arms: Object.fromEntries(
        (['IPS', 'CONTROL'] as const).map((arm) => [
          arm,
          {
            allocated: sum((s) => s.arms[arm].allocated),
            received: sum((s) => s.arms[arm].received),
            discontinued: 0,
            withdrawn: sum((s) => s.arms[arm].withdrawn),
            lostByWave: { 1: sum((s) => s.arms[arm].lostByWave[1] ?? 0) },
          },
        ]),
      ) as unknown as StageCounts['arms'],
      designs: [
        {
          version: 1,
          allocated: { IPS: sum((s) => s.arms.IPS.allocated), CONTROL: sum((s) => s.arms.CONTROL.allocated) },
        },
      ],
    };
    const counts: [string, ConsortCounts][] = [
      ['*', consortCounts(whole)],
      ...Object.entries(regions).map(([name, s]) => [name, consortCounts(s)] as [string, ConsortCounts]),
    ];
    const hidden = suppressedCellsTogether(counts[0]![1], Object.fromEntries(counts.slice(1)));
    // Wallonia's 2s are hidden in Wallonia; the whole (2 as well: the other regions have 0) hides them too.
    expect(hidden.get('WALLONIA')!.get('arms.IPS.withdrawn')).toBe('PRIMARY');
    expect(hidden.get('*')!.get('arms.IPS.withdrawn')).toBe('PRIMARY');
    // What a reader of every region's flow and the whole's has: all the published counts, all the sums.
    const names: string[] = [];
    const published: (number | null)[] = [];
    const index = new Map<string, number>();
    const equations: number[][] = [];
    for (const [flowName, flow] of counts) {
      const { values, sums } = flowSums(flow);
      for (const [cell, n] of values) {
        index.set(`${flowName}|${cell}`, names.length);
        names.push(`${flowName}|${cell}`);
        published.push(hidden.get(flowName)!.has(cell) ? null : n);
      }
      for (const s of sums) equations.push([s.total, ...s.parts].map((cell) => index.get(`${flowName}|${cell}`)!));
    }
    for (const cell of flowSums(counts[0]![1]).values.keys())
      equations.push([`*|${cell}`, ...Object.keys(regions).map((r) => `${r}|${cell}`)].map((name) => index.get(name)!));
    const ranges = await suppressedRangesOfSums({ counts: published, equations });
    expect(ranges.length).toBeGreaterThan(0);
    for (const range of ranges)
      expect({ cell: names[range.cell], solvable: range.min === range.max }).toEqual({
        cell: names[range.cell],
        solvable: false,
      });
  }, 60_000);
});

describe('the CONSORT 2010 flow diagram (SVG)', () => {
  it('wraps a long label to the box, never splitting a word nor a count', () => {
    const label = 'R1a: recognised work incapacity and a moderate to severe mental disorder not met (n\u00a0=\u00a03)';
    const lines = wrap(label, 200); // 28 characters a line
    expect(lines.join(' ')).toBe(label);
    expect(lines.every((line) => line.length <= 28)).toBe(true);
    expect(lines.at(-1)).toBe('met (n\u00a0=\u00a03)');
  });

  it.each([
    [
      'en',
      'Assessed for eligibility (n = 79)',
      'Allocated to the IPS group (n = 25)',
      'Allocated to the control group (n = 24)',
      'Analysed (n = 22)',
    ],
    [
      'fr',
      'Éligibilité évaluée (n = 79)',
      'Répartis dans le groupe IPS (n = 25)',
      'Répartis dans le groupe témoin (n = 24)',
      'Analysés (n = 22)',
    ],
    [
      'nl',
      'Beoordeeld op geschiktheid (n = 79)',
      'Toegewezen aan de IPS-groep (n = 25)',
      'Toegewezen aan de controlegroep (n = 24)',
      'Geanalyseerd (n = 22)',
    ],
  ] as const)('puts each count in its box, in %s', (language, assessed, ips, control, analysedIps) => {
    const found = boxes(consortDiagram(consortCounts(STAGES), { language, threshold: 5 }));
    expect(Object.keys(found).sort()).toEqual(
      [
        'box-allocated-CONTROL',
        'box-allocated-IPS',
        'box-analysed-CONTROL',
        'box-analysed-IPS',
        'box-assessed',
        'box-excluded',
        'box-follow-up-CONTROL',
        'box-follow-up-IPS',
        'box-not-randomised',
        'box-not-registered',
        'box-randomised',
        'box-referred',
        'box-registered',
      ].sort(),
    );
    expect(found['box-assessed']).toBe(assessed);
    expect(found['box-allocated-IPS']).toContain(ips);
    expect(found['box-allocated-CONTROL']).toContain(control);
    expect(found['box-analysed-IPS']).toBe(analysedIps);
    expect(found['box-excluded']).toMatch(/\(n = 19\).*\(n = 7\).*R1a.*\(n = 3\).*R1d.*\(n = 9\)/);
    expect(found['box-allocated-IPS']).toMatch(/\(n = 25\).*\(n = 21\).*\(n = 4\)/);
    expect(found['box-follow-up-IPS']).toMatch(
      /\(n = 0\).*\(n = 2\).*\(n = 6\).*\(n = 0\).*\(n = 0\).*\(n = 0\).*\(n = 1\).*\(n = 3\)/,
    );
    expect(found['box-referred']).toContain('(n = 60)');
    expect(found['box-not-registered']).toContain('(n = 8)');
    expect(found['box-registered']).toContain('(n = 52)');
    expect(found['box-not-randomised']).toContain('(n = 3)');
    expect(found['box-randomised']).toContain('(n = 49)');
  });

  it('shows a count withheld as small as below the threshold, never its value', () => {
    const found = boxes(consortDiagram(suppressFlow(consortCounts(STAGES)), { language: 'en', threshold: 5 }));
    expect(found['box-not-randomised']).toContain('(n < 5)');
    expect(found['box-excluded']).toMatch(/R1a.*\(n < 5\)/);
    expect(found['box-assessed']).toContain('(n = 79)');
  });

  it.each([
    ['en', 'withheld to protect another count', 'Randomised'],
    ['fr', 'masqué pour protéger un autre effectif', 'Randomisés'],
    ['nl', 'afgeschermd om een ander aantal te beschermen', 'Gerandomiseerd'],
  ] as const)(
    'says why every withheld count is withheld, in %s: « n < 5 » only for a small count, a complement (of any size) as withheld to protect another',
    (language, complement, randomised) => {
      const exact = consortCounts(STAGES);
      const flow = suppressFlow(exact);
      const text = Object.values(boxes(consortDiagram(flow, { language, threshold: 5 }))).join(' ');
      const drawn = [...flowSums(exact).values].filter(([path]) => !path.startsWith('designs.'));
      const kinds = drawn.map(([path, n]) => ({ path, n, why: flow.withheld.get(path) ?? 'NONE' }));
      // The mechanism: a count is PRIMARY exactly when it is small (1–4); every other withheld one is a complement.
      for (const { path, n, why } of kinds)
        expect({ path, why: why === 'NONE' ? 'NONE' : why === 'PRIMARY' }).toEqual({
          path,
          why: why === 'NONE' ? 'NONE' : n > 0 && n < 5,
        });
      const occurrences = (needle: string) => text.split(needle).length - 1;
      expect(occurrences('(n < 5)')).toBe(kinds.filter((k) => k.why === 'PRIMARY').length);
      expect(occurrences(`(n ${complement})`)).toBe(kinds.filter((k) => k.why === 'COMPLEMENTARY').length);
      expect(occurrences('(n = ')).toBe(kinds.filter((k) => k.why === 'NONE').length);
      expect(kinds.filter((k) => k.why === 'COMPLEMENTARY').length).toBeGreaterThan(0);
      // 49 people randomised, withheld with the 3 not randomised: never drawn as fewer than 5.
      expect(flow.withheld.get('randomised')).toBe('COMPLEMENTARY');
      expect(boxes(consortDiagram(flow, { language, threshold: 5 }))['box-randomised']).toBe(
        `${randomised} (n ${complement})`,
      );
    },
  );

  it('says so when a published count is perturbed (cell key method), and a count withheld without a known reason is only « withheld »', () => {
    const exact = consortCounts(STAGES);
    const found = boxes(
      consortDiagram(
        { ...exact, randomised: null, withheld: new Map(), perturbed: new Set(['assessed']) },
        { language: 'en', threshold: 5 },
      ),
    );
    expect(found['box-assessed']).toBe('Assessed for eligibility (n = 79, perturbed)');
    expect(found['box-randomised']).toBe('Randomised (n withheld)');
  });

  it('escapes text so the document stays well-formed', () => {
    expect(
      XMLValidator.validate(consortDiagram(suppressFlow(consortCounts(STAGES)), { language: 'fr', threshold: 5 })),
    ).toBe(true);
  });
});

describe('who gets exact CONSORT counts (schema/policy.ts COUNT_READERS)', () => {
  it("gives exact flows only to the trial's own readers, every other reader of the flow or its diagram suppressed flows", () => {
    for (const field of ['consortFlow', 'consortDiagram']) {
      expect(OPERATIONS.Query[field]!.filter(readsExactCounts).sort()).toEqual(['INAMI', 'RESEARCHER']);
      expect(OPERATIONS.Query[field]!.filter((role) => !readsExactCounts(role))).toContain('INTEGRATOR');
    }
  });

  it('suppresses the flows together with the REFERRALS table that publishes some of the same counts: neither reveals what the other hides (HiGHS)', async () => {
    const GROUPS = { FLANDERS: ['VDAB-GTB'], WALLONIA: ['ARTICLE-23', 'ISPPC'], BRUSSELS: ['MASS'] } as const;
    const STAGE_GROUPS = { NOT_REGISTERED: ['REFERRED'], REGISTERED: ['AWAITING_RANDOMISATION', 'IPS', 'CONTROL'] };
    const dimensions: Dimension[] = [
      { name: 'partner', members: Object.values(GROUPS).flat(), groups: GROUPS },
      { name: 'quarter', members: ['2026-Q1', '2026-Q2'] },
      { name: 'stage', members: Object.values(STAGE_GROUPS).flat(), groups: STAGE_GROUPS },
    ];
    const random = new DemoRandom(13);
    let checkedSmall = 0;
    let checkedComplements = 0;
    // From round 6, no one of the control arm has begun the intervention yet (received 0): a box the
    // table's published cells and the zeros determine, which hiding cannot protect.
    for (let round = 0; round < 14; round += 1) {
      const counts = new Map<string, number>();
      const count = (key: readonly string[]) => {
        const k = key.join('/');
        if (!counts.has(k)) counts.set(k, random.integer(0, key[2] === 'IPS' || key[2] === 'CONTROL' ? 9 : 4));
        return counts.get(k)!;
      };
      const table = suppressTable(dimensions, count, { threshold: 5 });
      const sumOf = (partners: readonly string[], stage: string) =>
        partners.reduce((sum, p) => sum + ['2026-Q1', '2026-Q2'].reduce((s2, q) => s2 + count([p, q, stage]), 0), 0);
      const stagesOf = (partners: readonly string[]): StageCounts => {
        const ips = sumOf(partners, 'IPS');
        const control = sumOf(partners, 'CONTROL');
        const arm = (n: number, notBegun = false) => ({
          allocated: n,
          received: notBegun ? 0 : n - random.integer(0, Math.min(n, 3)),
          lostByWave: { 1: random.integer(0, Math.min(n, 2)) },
          discontinued: 0,
          withdrawn: random.integer(0, Math.min(n, 3)),
        });
        return {
          declined: random.integer(0, 6),
          unmetConditions: { R1A: random.integer(0, 4) },
          referred: sumOf(partners, 'REFERRED') + sumOf(partners, 'AWAITING_RANDOMISATION') + ips + control,
          registered: sumOf(partners, 'AWAITING_RANDOMISATION') + ips + control,
          arms: { IPS: arm(ips), CONTROL: arm(control, round >= 6) },
          designs: [],
        };
      };
      const regions = Object.fromEntries(
        Object.entries(GROUPS).map(([region, partners]) => [region, consortCounts(stagesOf(partners))]),
      );
      const add = (pick: (c: ConsortCounts) => number) => Object.values(regions).reduce((sum, c) => sum + pick(c), 0);
      const whole = consortCounts({
        declined: add((c) => c.declined),
        unmetConditions: { R1A: add((c) => c.unmetConditions.R1A) },
        referred: add((c) => c.referred),
        registered: add((c) => c.registered),
        arms: Object.fromEntries(
          (['IPS', 'CONTROL'] as const).map((a) => [
            a,
            {
              allocated: add((c) => c.arms[a].allocated),
              received: add((c) => c.arms[a].received),
              discontinued: 0,
              withdrawn: add((c) => c.arms[a].withdrawn),
              lostByWave: { 1: add((c) => c.arms[a].lostByWave[1]!) },
            },
          ]),
        ) as unknown as StageCounts['arms'],
        designs: [],
      });
      const STAGE: Record<string, string> = {
        referred: TOTAL,
        notRegistered: 'NOT_REGISTERED',
        registered: 'REGISTERED',
        notRandomised: 'AWAITING_RANDOMISATION',
        'arms.IPS.allocated': 'IPS',
        'arms.CONTROL.allocated': 'CONTROL',
      };
      const link = (flow: string, cell: string) => (STAGE[cell] ? [flow, TOTAL, STAGE[cell]] : undefined);
      const hidden = suppressedCellsTogether(whole, regions, 5, { table, link });
      // Each hidden count says truly why: PRIMARY exactly when it is small (1–4), a complement otherwise.
      for (const [flowName, flow] of [['*', whole], ...Object.entries(regions)] as [string, ConsortCounts][]) {
        for (const [cell, why] of hidden.get(flowName)!) {
          const n = flowSums(flow).values.get(cell)!;
          expect({ flowName, cell, n, why }).toEqual({
            flowName,
            cell,
            n,
            why: n > 0 && n < 5 ? 'PRIMARY' : 'COMPLEMENTARY',
          });
        }
      }
      // What a reader of both publications has: every published cell, every sum, every link.
      const names: string[] = [];
      const published: (number | null)[] = [];
      const index = new Map<string, number>();
      const equations: number[][] = [];
      table.cells.forEach((cell) => {
        index.set(`table|${cell.key.join('/')}`, names.length);
        names.push(`table|${cell.key.join('/')}`);
        published.push(cell.count);
      });
      equations.push(...table.equations.map((e) => [...e]));
      for (const [flowName, flow] of [['*', whole], ...Object.entries(regions)] as [string, ConsortCounts][]) {
        const { values, sums } = flowSums(flow);
        for (const [cell, n] of values) {
          index.set(`${flowName}|${cell}`, names.length);
          names.push(`${flowName}|${cell}`);
          published.push(hidden.get(flowName)!.has(cell) ? null : n);
          const key = link(flowName, cell);
          if (key) equations.push([index.get(`${flowName}|${cell}`)!, index.get(`table|${key.join('/')}`)!]);
        }
        for (const sum of sums)
          equations.push([sum.total, ...sum.parts].map((cell) => index.get(`${flowName}|${cell}`)!));
      }
      for (const cell of flowSums(whole).values.keys())
        equations.push([`*|${cell}`, ...Object.keys(regions).map((r) => `${r}|${cell}`)].map((n) => index.get(n)!));
      const ranges = await suppressedRangesOfSums({ counts: published, equations }, { integer: false });
      const trueValue = (cell: number) => {
        const [flowName, name] = names[cell]!.split('|') as [string, string];
        if (flowName === 'table') return table.trueCounts[table.cells.findIndex((c) => c.key.join('/') === name)]!;
        return flowSums(flowName === '*' ? whole : regions[flowName]!).values.get(name)!;
      };
      // No small count (1–4), in either publication, can be solved for.
      for (const range of ranges.filter((r) => trueValue(r.cell) > 0 && trueValue(r.cell) < 5)) {
        expect({ cell: names[range.cell], solvable: range.max - range.min < 1e-6 }).toEqual({
          cell: names[range.cell],
          solvable: false,
        });
      }
      checkedSmall += ranges.filter((r) => trueValue(r.cell) > 0 && trueValue(r.cell) < 5).length;
      // Nor any other withheld count: a complement the published counts determine protects nothing, and is published.
      for (const range of ranges)
        expect({ cell: names[range.cell], solvable: range.max - range.min < 1e-6 }).toEqual({
          cell: names[range.cell],
          solvable: false,
        });
      checkedComplements += ranges.length;
    }
    expect(checkedSmall).toBeGreaterThan(50);
    expect(checkedComplements).toBeGreaterThan(checkedSmall);
  }, 120_000);
});

describe('the CONSORT flows under the cell key method (DISCLOSURE_CONTROL.method CELL_KEY)', () => {
  const { maxNoise: d, smallCounts: js } = DISCLOSURE_CONTROL.cellKey;

  /**
   * A region's people as record keys, each stage a set of them nested as the stages are (registered
   * among referred, each arm among registered, received, withdrawn, lost and each design's among the
   * arm's): each stage's sum of keys, as consort.service.ts reads them from the database.
   */
  function keySumsOf(stages: StageCounts, random: DemoRandom): StageCounts<bigint> {
    const people = (n: number) => Array.from({ length: n }, () => BigInt(random.integer(0, RECORD_KEY_MODULUS - 1)));
    const sum = (keys: readonly bigint[]) => keys.reduce((a, b) => a + b, 0n);
    const referred = people(stages.referred);
    const registered = referred.slice(0, stages.registered);
    const armPeople = {
      IPS: registered.slice(0, stages.arms.IPS.allocated),
      CONTROL: registered.slice(stages.arms.IPS.allocated, stages.arms.IPS.allocated + stages.arms.CONTROL.allocated),
    };
    const arm = (name: 'IPS' | 'CONTROL') => {
      const a = stages.arms[name];
      const own = armPeople[name];
      return {
        allocated: sum(own),
        received: sum(own.slice(0, a.received)),
        discontinued: sum(own.slice(0, a.discontinued)),
        withdrawn: sum(own.slice(own.length - a.withdrawn)),
        lostByWave: Object.fromEntries(Object.entries(a.lostByWave).map(([wave, n]) => [wave, sum(own.slice(0, n))])),
      };
    };
    return {
      declined: sum(people(stages.declined)),
      unmetConditions: Object.fromEntries(
        Object.entries(stages.unmetConditions).map(([condition, n]) => [condition, sum(people(n))]),
      ),
      referred: sum(referred),
      registered: sum(registered),
      arms: { IPS: arm('IPS'), CONTROL: arm('CONTROL') },
      designs: stages.designs.map((design, index) => {
        const before = (name: 'IPS' | 'CONTROL') =>
          stages.designs.slice(0, index).reduce((n, d) => n + (d.allocated[name] ?? 0), 0);
        const of = (name: 'IPS' | 'CONTROL') =>
          sum(armPeople[name].slice(before(name), before(name) + (design.allocated[name] ?? 0)));
        return { version: design.version, allocated: { IPS: of('IPS'), CONTROL: of('CONTROL') } };
      }),
    };
  }

  function constructedRegion(random: DemoRandom): StageCounts {
    const int = (max: number) => random.integer(0, max);
    const allocated = { IPS: int(30), CONTROL: int(30) };
    const registered = allocated.IPS + allocated.CONTROL + int(6);
    const first = { IPS: int(allocated.IPS), CONTROL: int(allocated.CONTROL) };
    const arm = (n: number) => ({
      allocated: n,
      received: n - int(Math.min(n, 6)),
      lostByWave: { 1: int(Math.min(n, 5)), 2: int(Math.min(n, 3)) },
      discontinued: int(Math.min(n, 3)),
      withdrawn: int(Math.min(n, 6)),
    });
    return {
      declined: int(9),
      unmetConditions: { R1A: int(6), R1C: int(3), R1F: int(12) },
      referred: registered + int(8),
      registered,
      arms: { IPS: arm(allocated.IPS), CONTROL: arm(allocated.CONTROL) },
      designs: [
        { version: 1, allocated: first },
        { version: 2, allocated: { IPS: allocated.IPS - first.IPS, CONTROL: allocated.CONTROL - first.CONTROL } },
      ],
    };
  }

  it('publishes every box within ±D, never as 1..js; boxes of the same people publish the same number', () => {
    const random = new DemoRandom(7);
    for (let round = 0; round < 40; round += 1) {
      const stages = constructedRegion(random);
      const flow = consortCounts(stages);
      const keys = consortKeySums(keySumsOf(stages, random));
      const shown = perturbFlow(flow, keys);
      const truth = flowSums(flow).values;
      for (const [box, published] of flowSums(shown).values) {
        expect({
          box,
          within: Math.abs(published - truth.get(box)!) <= d,
          small: published > 0 && published <= js,
          zeroKept: truth.get(box) !== 0 || published === 0,
        }).toEqual({ box, within: true, small: false, zeroKept: true });
      }
      // analysed = allocated − withdrawn: with nobody withdrawn, the same people, the same number
      for (const arm of ['IPS', 'CONTROL'] as const)
        if (stages.arms[arm].withdrawn === 0) expect(shown.arms[arm].analysed).toBe(shown.arms[arm].allocated);
      expect(perturbFlow(flow, keys)).toEqual(shown); // asked again: the same answer
    }
  });

  it('the whole trial and every region together: no small count pinned nor confined below the threshold (HiGHS, noise ±D)', async () => {
    const random = new DemoRandom(2027);
    const checked = [];
    for (let round = 0; round < 20; round += 1) {
      const regions = ['FLANDERS', 'WALLONIA', 'BRUSSELS'].map((name) => {
        const stages = constructedRegion(random);
        return { name, stages, keys: keySumsOf(stages, random) };
      });
      // The whole trial's people are the regions' together: its counts and key sums are theirs added.
      const whole = { counts: new Map<string, number>(), keys: new Map<string, bigint>() };
      const flows = regions.map(({ name, stages, keys }) => {
        const counts = consortCounts(stages);
        const sums = flowSums(consortKeySums(keys)).values;
        for (const [box, n] of flowSums(counts).values) {
          whole.counts.set(box, (whole.counts.get(box) ?? 0) + n);
          whole.keys.set(box, (whole.keys.get(box) ?? 0n) + sums.get(box)!);
        }
        return { name, counts, published: perturbFlow(counts, consortKeySums(keys)) };
      });
      const wholeStages: StageCounts = {
        declined: whole.counts.get('declined')!,
        unmetConditions: {
          R1A: whole.counts.get('unmetConditions.R1A')!,
          R1C: whole.counts.get('unmetConditions.R1C')!,
          R1F: whole.counts.get('unmetConditions.R1F')!,
        },
        referred: whole.counts.get('referred')!,
        registered: whole.counts.get('registered')!,
        arms: Object.fromEntries(
          (['IPS', 'CONTROL'] as const).map((arm) => [
            arm,
            {
              allocated: whole.counts.get(`arms.${arm}.allocated`)!,
              received: whole.counts.get(`arms.${arm}.received`)!,
              discontinued: whole.counts.get(`arms.${arm}.discontinued`)!,
              withdrawn: whole.counts.get(`arms.${arm}.withdrawn`)!,
              lostByWave: {
                1: whole.counts.get(`arms.${arm}.lostByWave.1`)!,
                2: whole.counts.get(`arms.${arm}.lostByWave.2`)!,
              },
            },
          ]),
        ) as unknown as StageCounts['arms'],
        designs: [1, 2].map((version, index) => ({
          version,
          allocated: {
            IPS: whole.counts.get(`designs.${index}.IPS`)!,
            CONTROL: whole.counts.get(`designs.${index}.CONTROL`)!,
          },
        })),
      };
      const wholeFlow = consortCounts(wholeStages);
      expect(flowSums(wholeFlow).values).toEqual(whole.counts);
      // the whole's boxes published from its own people's key sums, as the service does from its own statements
      const wholeShown = new Map(
        [...whole.counts].map(([box, n]) => [
          box,
          perturb(n, cellKeyOf(whole.keys.get(box)!), DISCLOSURE_CONTROL.cellKey).published,
        ]),
      );
      // What a reader of every flow has: every published box, each flow's sums, the whole as the sum of the regions.
      const names: string[] = [];
      const published: number[] = [];
      const truth: number[] = [];
      const index = new Map<string, number>();
      const add = (name: string, shown: number, value: number) => {
        index.set(name, names.length);
        names.push(name);
        published.push(shown);
        truth.push(value);
      };
      for (const [box, n] of flowSums(wholeFlow).values) add(`*|${box}`, wholeShown.get(box)!, n);
      for (const flow of flows) {
        const shown = flowSums(flow.published).values;
        for (const [box, n] of flowSums(flow.counts).values) add(`${flow.name}|${box}`, shown.get(box)!, n);
      }
      const equations: number[][] = [];
      for (const flowName of ['*', ...flows.map((f) => f.name)])
        for (const sum of flowSums(wholeFlow).sums)
          equations.push([sum.total, ...sum.parts].map((box) => index.get(`${flowName}|${box}`)!));
      for (const box of flowSums(wholeFlow).values.keys())
        equations.push([`*|${box}`, ...flows.map((f) => `${f.name}|${box}`)].map((name) => index.get(name)!));
      const small = truth.flatMap((n, i) => (n > 0 && n < DISCLOSURE_CONTROL.threshold ? [i] : []));
      const ranges = await noisyRanges({ published, equations, maxNoise: d }, small, { integer: true });
      const round_ = ranges.map(({ cell, min, max }) => ({ name: names[cell]!, truth: truth[cell]!, min, max }));
      expect(exposedSmallCounts(round_, DISCLOSURE_CONTROL.threshold)).toEqual([]);
      checked.push(...round_);
    }
    expect(checked.length).toBeGreaterThan(200);
    console.log(`CONSORT flows, whole trial and regions: ${narrowest(checked, DISCLOSURE_CONTROL.threshold)}`);
  }, 120_000);
});
