/**
 * The CONSORT 2010 flow of the trial as numbers (pure: no database, no GraphQL): the counts of each
 * stage — enrolment, allocation, follow-up, analysis — and, for readers who get aggregates only
 * with small cells suppressed (schema/policy.ts COUNT_READERS), the same flow with every count
 * of 1 to SMALL_CELL_THRESHOLD − 1 hidden together with the cells it could be computed from.
 *
 * The flow's sums are its constraints: assessed = excluded + referred; excluded = declined + each
 * R1 condition not met; referred = not registered + registered; registered = not randomised +
 * randomised; randomised = allocated IPS + allocated control; in each arm, allocated = received +
 * not received = analysed + withdrawn = the allocations of each design version. Which counts are
 * hidden is the pilot's one disclosure rule on those sums (suppressedCells).
 *
 * Under the cell key method (DISCLOSURE_CONTROL.method CELL_KEY) nothing is hidden: every box is
 * published with the noise of its own people (perturbFlow), each box's key the sum of its people's
 * record keys, derived through the same sums as its count (consortKeySums), so a box that counts the
 * same people as a REFERRALS cell publishes the same number.
 */
import { DISCLOSURE_CONTROL } from '../../../schema/policy.js';
import { cellKeyOf, perturb, type CellKeyParams } from '../../kit/cell-key.js';
import { suppressSums, type SuppressedTable, type Suppression } from '../../kit/disclosure.js';
import { EligibilityCondition } from '../../kit/domain.js';
import { TrialArm } from '../entities/allocation.entity.js';

/** Counts below this are never published to readers who get suppressed aggregates (DOMAIN.md: commonly < 5). */
export const CONSORT_SMALL_CELL = DISCLOSURE_CONTROL.threshold;
/** Questionnaire waves (R12): baseline, then every six months up to 30 months. */
export const WAVES = [0, 1, 2, 3, 4, 5] as const;

export interface ArmFlow<N = number> {
  arm: TrialArm;
  allocated: N;
  /** Began the allocated intervention: IPS — a referent coach and the first meeting held (R11); control — a reference counsellor and the reference interview (R9). */
  received: N;
  notReceived: N;
  /** People whose questionnaire wave was MISSED (window closed without completion), per wave 0…5, among those still in the study. */
  lostByWave: N[];
  /** Pathway ended because the information-sharing consent was withdrawn (R18): the intervention stopped; still analysed. */
  discontinued: N;
  /** Research consent (R1f) withdrawn: out of the study, not analysed. */
  withdrawn: N;
  /** Intention to treat: allocated, research consent still in force. */
  analysed: N;
}

export interface DesignAllocations<N = number> {
  version: number;
  /** Allocations drawn under this version, per arm (IPS first). */
  allocated: Record<TrialArm, N>;
}

export interface ConsortCounts<N = number> {
  assessed: N;
  excluded: N;
  declined: N;
  unmetConditions: Record<EligibilityCondition, N>;
  referred: N;
  notRegistered: N;
  registered: N;
  notRandomised: N;
  randomised: N;
  arms: Record<TrialArm, ArmFlow<N>>;
  designs: DesignAllocations<N>[];
}

/** What the database gives: the people at each stage (see consort.service.ts); with N = bigint, their sums of record keys. */
export interface StageCounts<N = number> {
  declined: N;
  unmetConditions: Partial<Record<EligibilityCondition, N>>;
  referred: N;
  registered: N;
  arms: Record<
    TrialArm,
    { allocated: N; received: N; lostByWave: Partial<Record<number, N>>; discontinued: N; withdrawn: N }
  >;
  designs: { version: number; allocated: Partial<Record<TrialArm, N>> }[];
}

/** How the flow's boxes are derived from the stages: counts of people, or sums of their record keys, obey the same sums. */
interface Arithmetic<N> {
  zero: N;
  add(a: N, b: N): N;
  sub(a: N, b: N): N;
}
const COUNTS: Arithmetic<number> = { zero: 0, add: (a, b) => a + b, sub: (a, b) => a - b };
const KEY_SUMS: Arithmetic<bigint> = { zero: 0n, add: (a, b) => a + b, sub: (a, b) => a - b };

export const ARMS = [TrialArm.IPS, TrialArm.CONTROL] as const;

/** Why a count is withheld: small itself (PRIMARY, 1 to threshold − 1), or one a small count could be worked out from (COMPLEMENTARY, any size). */
export type Withheld = Exclude<Suppression, false>;

/**
 * The flow as a reader gets it: every count, or null when withheld, with WHY each null is withheld
 * (by the count's path, flowSums' names) — a box withheld as a complement may hide 227 people, so it
 * must never be drawn as a small count — and which published counts carry the cell key method's noise.
 */
export interface PublishedFlow extends ConsortCounts<number | null> {
  readonly withheld: ReadonlyMap<string, Withheld>;
  readonly perturbed: ReadonlySet<string>;
}

/** An exact flow as published to a reader of exact counts: nothing withheld, nothing perturbed. */
export function exactFlow(flow: ConsortCounts): PublishedFlow {
  return { ...flow, withheld: new Map(), perturbed: new Set() };
}

/** The count at a path of flowSums' names (`randomised`, `unmetConditions.R1A`, `arms.IPS.lostByWave.2`, `designs.0.IPS`). */
export function countAt<N>(flow: ConsortCounts<N>, path: string): N | undefined {
  const [head, ...rest] = path.split('.');
  if (head === 'designs') {
    const [index, arm] = rest;
    return flow.designs[Number(index)]?.allocated[arm as TrialArm];
  }
  let value: unknown = flow;
  for (const part of [head!, ...rest])
    value = value === null || typeof value !== 'object' ? undefined : (value as Record<string, unknown>)[part];
  return value as N | undefined;
}
const CONDITIONS = Object.values(EligibilityCondition);

/** The whole flow from the counts of each stage: every box's number, the differences computed once here. */
export function consortCounts(stages: StageCounts): ConsortCounts {
  return flowOf(stages, COUNTS);
}

/** Each box's sum of record keys (the cell key method's), from the stages' sums by the boxes' own sums. */
export function consortKeySums(stages: StageCounts<bigint>): ConsortCounts<bigint> {
  return flowOf(stages, KEY_SUMS);
}

function flowOf<N>(stages: StageCounts<N>, { zero, add, sub }: Arithmetic<N>): ConsortCounts<N> {
  const excluded = add(
    stages.declined,
    CONDITIONS.reduce((sum, condition) => add(sum, stages.unmetConditions[condition] ?? zero), zero),
  );
  const randomised = ARMS.reduce((sum, arm) => add(sum, stages.arms[arm].allocated), zero);
  const arm = (name: TrialArm): ArmFlow<N> => {
    const s = stages.arms[name];
    return {
      arm: name,
      allocated: s.allocated,
      received: s.received,
      notReceived: sub(s.allocated, s.received),
      lostByWave: WAVES.map((wave) => s.lostByWave[wave] ?? zero),
      discontinued: s.discontinued,
      withdrawn: s.withdrawn,
      analysed: sub(s.allocated, s.withdrawn),
    };
  };
  return {
    assessed: add(excluded, stages.referred),
    excluded,
    declined: stages.declined,
    unmetConditions: Object.fromEntries(
      CONDITIONS.map((condition) => [condition, stages.unmetConditions[condition] ?? zero]),
    ) as Record<EligibilityCondition, N>,
    referred: stages.referred,
    notRegistered: sub(stages.referred, stages.registered),
    registered: stages.registered,
    notRandomised: sub(stages.registered, randomised),
    randomised,
    arms: { [TrialArm.IPS]: arm(TrialArm.IPS), [TrialArm.CONTROL]: arm(TrialArm.CONTROL) },
    designs: stages.designs.map((design) => ({
      version: design.version,
      allocated: { [TrialArm.IPS]: design.allocated.IPS ?? zero, [TrialArm.CONTROL]: design.allocated.CONTROL ?? zero },
    })),
  };
}

/** Every box of a flow through `f`, with its path (as flowSums names it). */
export function mapFlow<A, B>(flow: ConsortCounts<A>, f: (path: string, value: A) => B): ConsortCounts<B> {
  const arm = (name: TrialArm): ArmFlow<B> => {
    const a = flow.arms[name];
    const at = (key: keyof Omit<ArmFlow, 'arm' | 'lostByWave'>) => f(`arms.${name}.${key}`, a[key]);
    return {
      arm: name,
      allocated: at('allocated'),
      received: at('received'),
      notReceived: at('notReceived'),
      lostByWave: a.lostByWave.map((n, wave) => f(`arms.${name}.lostByWave.${wave}`, n)),
      discontinued: at('discontinued'),
      withdrawn: at('withdrawn'),
      analysed: at('analysed'),
    };
  };
  return {
    assessed: f('assessed', flow.assessed),
    excluded: f('excluded', flow.excluded),
    declined: f('declined', flow.declined),
    unmetConditions: Object.fromEntries(
      CONDITIONS.map((c) => [c, f(`unmetConditions.${c}`, flow.unmetConditions[c])]),
    ) as Record<EligibilityCondition, B>,
    referred: f('referred', flow.referred),
    notRegistered: f('notRegistered', flow.notRegistered),
    registered: f('registered', flow.registered),
    notRandomised: f('notRandomised', flow.notRandomised),
    randomised: f('randomised', flow.randomised),
    arms: { [TrialArm.IPS]: arm(TrialArm.IPS), [TrialArm.CONTROL]: arm(TrialArm.CONTROL) },
    designs: flow.designs.map((design, index) => ({
      version: design.version,
      allocated: {
        [TrialArm.IPS]: f(`designs.${index}.IPS`, design.allocated.IPS),
        [TrialArm.CONTROL]: f(`designs.${index}.CONTROL`, design.allocated.CONTROL),
      },
    })),
  };
}

/**
 * The flow under the cell key method: every box published with the noise its count and its
 * people's key sum draw (kit/cell-key.ts), so the same people give the same number in every flow
 * and table that counts them, and no box is hidden.
 */
export function perturbFlow(
  flow: ConsortCounts,
  keySums: ConsortCounts<bigint>,
  params: CellKeyParams = DISCLOSURE_CONTROL.cellKey,
): ConsortCounts {
  const sums = new Map<string, bigint>();
  mapFlow(keySums, (path, sum) => sums.set(path, sum));
  return mapFlow(flow, (path, count) => perturb(count, cellKeyOf(sums.get(path)!), params).published);
}

/** Each count of the flow by a path (e.g. `arms.IPS.lostByWave.2`), and the sums that tie them. */
export function flowSums<N = number>(
  flow: ConsortCounts<N>,
): { values: Map<string, N>; sums: { total: string; parts: string[] }[] } {
  const values = new Map<string, N>();
  for (const key of [
    'assessed',
    'excluded',
    'declined',
    'referred',
    'notRegistered',
    'registered',
    'notRandomised',
    'randomised',
  ] as const)
    values.set(key, flow[key]);
  for (const condition of CONDITIONS) values.set(`unmetConditions.${condition}`, flow.unmetConditions[condition]);
  for (const arm of ARMS) {
    const a = flow.arms[arm];
    for (const key of ['allocated', 'received', 'notReceived', 'discontinued', 'withdrawn', 'analysed'] as const)
      values.set(`arms.${arm}.${key}`, a[key]);
    a.lostByWave.forEach((n, wave) => values.set(`arms.${arm}.lostByWave.${wave}`, n));
  }
  flow.designs.forEach((design, index) =>
    ARMS.forEach((arm) => values.set(`designs.${index}.${arm}`, design.allocated[arm])),
  );
  const sums = [
    { total: 'assessed', parts: ['excluded', 'referred'] },
    { total: 'excluded', parts: ['declined', ...CONDITIONS.map((c) => `unmetConditions.${c}`)] },
    { total: 'referred', parts: ['notRegistered', 'registered'] },
    { total: 'registered', parts: ['notRandomised', 'randomised'] },
    { total: 'randomised', parts: ARMS.map((arm) => `arms.${arm}.allocated`) },
    ...ARMS.flatMap((arm) => [
      { total: `arms.${arm}.allocated`, parts: [`arms.${arm}.received`, `arms.${arm}.notReceived`] },
      { total: `arms.${arm}.allocated`, parts: [`arms.${arm}.analysed`, `arms.${arm}.withdrawn`] },
      ...(flow.designs.length
        ? [{ total: `arms.${arm}.allocated`, parts: flow.designs.map((_, index) => `designs.${index}.${arm}`) }]
        : []),
    ]),
  ];
  return { values, sums };
}

/**
 * The cells to hide: the pilot's one disclosure rule (schema/policy.ts DISCLOSURE_CONTROL, applied by
 * kit/disclosure.ts) on the flow's sums — every small count, then complements until no hidden count
 * can be solved for from the published ones through any combination of the sums (not only a sum
 * left with one hidden term: two sums sharing a total can reveal together what neither does alone).
 */
export function suppressedCells(flow: ConsortCounts, threshold = CONSORT_SMALL_CELL): Set<string> {
  return new Set(withheldCells(flow, threshold).keys());
}

/** suppressedCells, each with why it is withheld. */
export function withheldCells(flow: ConsortCounts, threshold = CONSORT_SMALL_CELL): Map<string, Withheld> {
  const { values, sums } = flowSums(flow);
  const names = [...values.keys()];
  const index = new Map(names.map((name, i) => [name, i]));
  const totals = new Set(sums.map((sum) => sum.total));
  const state = suppressSums(
    {
      values: names.map((name) => values.get(name)!),
      margin: names.map((name) => totals.has(name)),
      equations: sums.map((sum) => [sum.total, ...sum.parts].map((name) => index.get(name)!)),
      name: (cell) => names[cell]!,
    },
    { threshold },
  );
  return new Map(names.flatMap((name, i) => (state[i] ? [[name, state[i]] as const] : [])));
}

/**
 * The flows of the whole trial and of each region, suppressed together: besides each flow's own sums,
 * every count of the whole trial is the sum of the regions' (when the regions' flows add up to it),
 * so a count hidden in one region cannot be had by subtracting the other regions from the whole.
 * Returns the hidden cells of each flow, by the flow's name, each with why it is hidden.
 */
export function suppressedCellsTogether(
  whole: ConsortCounts,
  regions: Readonly<Record<string, ConsortCounts>>,
  threshold = CONSORT_SMALL_CELL,
  /**
   * Another publication of some of the same counts, already suppressed (the REFERRALS table): a
   * flow's count that equals a cell of it (`link` names the cell's key) is shown or hidden as that
   * cell is, and the table's sums join the flows', so neither publication reveals what the other hides.
   */
  published?: { table: SuppressedTable; link: (flow: string, cell: string) => readonly string[] | undefined },
): Map<string, Map<string, Withheld>> {
  const flows: [string, ConsortCounts][] = [['*', whole], ...Object.entries(regions)];
  const values: number[] = [];
  const margin: boolean[] = [];
  const equations: number[][] = [];
  const names: string[] = [];
  const indexOf = new Map<string, number>();
  const initial: Suppression[] = [];
  const locked: boolean[] = [];
  const table = published?.table;
  if (table) {
    table.cells.forEach((cell, i) => {
      names.push(`table|${cell.key.join('/')}`);
      values.push(table.trueCounts[i]!);
      margin.push(cell.margin);
      initial.push(cell.suppressed);
      locked.push(true);
    });
    equations.push(...table.equations.map((equation) => [...equation]));
  }
  const tableIndex = new Map(table?.cells.map((cell, i) => [cell.key.join('\u0000'), i]) ?? []);
  for (const [flowName, flow] of flows) {
    const { values: counts, sums } = flowSums(flow);
    const totals = new Set(sums.map((sum) => sum.total));
    for (const [cell, n] of counts) {
      const index = values.length;
      indexOf.set(`${flowName}|${cell}`, index);
      names.push(`${flowName}|${cell}`);
      values.push(n);
      margin.push(flowName === '*' || totals.has(cell));
      const key = published?.link(flowName, cell);
      const linked = key ? tableIndex.get(key.join('\u0000')) : undefined;
      if (linked !== undefined && values[linked] === n) {
        initial.push(initial[linked]!);
        locked.push(true);
        equations.push([index, linked]); // the same count in both publications
      } else {
        initial.push(false);
        locked.push(false);
      }
    }
    for (const sum of sums)
      equations.push([sum.total, ...sum.parts].map((cell) => indexOf.get(`${flowName}|${cell}`)!));
  }
  // The whole is the sum of the regions, cell by cell, where the data says so (a person counted in
  // two regions' referrals would break it; then that cell is no sum and none is assumed).
  for (const [cell, n] of flowSums(whole).values) {
    const parts = Object.keys(regions).map((region) => indexOf.get(`${region}|${cell}`));
    if (parts.some((part) => part === undefined)) continue;
    if (parts.reduce<number>((total, part) => total + values[part!]!, 0) !== n) continue;
    equations.push([indexOf.get(`*|${cell}`)!, ...(parts as number[])]);
  }
  let state: Suppression[];
  try {
    state = suppressSums({ values, margin, equations, name: (cell) => names[cell]!, initial, locked }, { threshold });
  } catch {
    // No complement left among the flows' own counts (every candidate is the other publication's):
    // the flows then show only what that publication shows; each hidden count says truly why.
    state = locked.map((isLocked, i) =>
      isLocked ? initial[i]! : values[i] === 0 ? false : values[i]! < threshold ? 'PRIMARY' : 'COMPLEMENTARY',
    );
  }
  const hidden = new Map(flows.map(([flowName]) => [flowName, new Map<string, Withheld>()]));
  state.forEach((suppressed, i) => {
    if (!suppressed) return;
    const [flowName, cell] = names[i]!.split('|') as [string, string];
    hidden.get(flowName)?.set(cell, suppressed);
  });
  return hidden;
}

/** The flow with the hidden cells as null and why each is hidden (its own suppression, or the cells given). */
export function suppressFlow(
  flow: ConsortCounts,
  threshold = CONSORT_SMALL_CELL,
  given?: ReadonlyMap<string, Withheld>,
): PublishedFlow {
  const hidden = given ?? withheldCells(flow, threshold);
  const show = (key: string, n: number) => (hidden.has(key) ? null : n);
  return {
    withheld: new Map(hidden),
    perturbed: new Set(),
    assessed: show('assessed', flow.assessed),
    excluded: show('excluded', flow.excluded),
    declined: show('declined', flow.declined),
    unmetConditions: Object.fromEntries(
      CONDITIONS.map((c) => [c, show(`unmetConditions.${c}`, flow.unmetConditions[c])]),
    ) as Record<EligibilityCondition, number | null>,
    referred: show('referred', flow.referred),
    notRegistered: show('notRegistered', flow.notRegistered),
    registered: show('registered', flow.registered),
    notRandomised: show('notRandomised', flow.notRandomised),
    randomised: show('randomised', flow.randomised),
    arms: Object.fromEntries(
      ARMS.map((arm) => {
        const a = flow.arms[arm];
        const at = (key: keyof Omit<ArmFlow, 'arm' | 'lostByWave'>) => show(`arms.${arm}.${key}`, a[key]);
        return [
          arm,
          {
            arm,
            allocated: at('allocated'),
            received: at('received'),
            notReceived: at('notReceived'),
            lostByWave: a.lostByWave.map((n, wave) => show(`arms.${arm}.lostByWave.${wave}`, n)),
            discontinued: at('discontinued'),
            withdrawn: at('withdrawn'),
            analysed: at('analysed'),
          },
        ];
      }),
    ) as Record<TrialArm, ArmFlow<number | null>>,
    designs: flow.designs.map((design, index) => ({
      version: design.version,
      allocated: {
        [TrialArm.IPS]: show(`designs.${index}.IPS`, design.allocated.IPS),
        [TrialArm.CONTROL]: show(`designs.${index}.CONTROL`, design.allocated.CONTROL),
      },
    })),
  };
}
