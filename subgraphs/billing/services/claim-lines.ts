/**
 * A partner's claim for one month under its convention (R17), computed line by line from the convention's
 * funding lines and what the platform knows — pure: no database, so a month built by hand is checked
 * against amounts computed by hand (claim-lines.test.ts).
 *
 * The funding model (the texts give no formula: seeds/002 names only the staffing per partner):
 * - COACH_FTE_MONTHS: each coach membership counts its FTE for the days of the month it was active
 *   (enrolled on or before the day, not yet ended), as the convention's staffing does; INAMI pays
 *   at most the convention's funded coach FTE, at its amount per coach FTE-month.
 * - SUPERVISOR_FTE_MONTHS: the same for supervisors.
 * - PATHWAY_STARTS, only where the convention sets an amount per pathway started: each pathway
 *   registered under the convention that month and drawn into the IPS arm. A control-arm pathway is
 *   followed by the SRE (R9), not the partner; one not yet randomised is named but not paid.
 * Amounts are integer euro cents; each staffing line is rounded half up once, from the exact
 * FTE-days, never from a rounded FTE.
 */

export type ClaimLineKind = 'COACH_FTE_MONTHS' | 'SUPERVISOR_FTE_MONTHS' | 'PATHWAY_STARTS';

/** The convention's terms in force the claim is computed from. */
export interface ClaimTerms {
  code: string;
  version: number;
  coachFteHundredths: number;
  supervisorFteHundredths: number;
  coachFteMonthCents: number;
  supervisorFteMonthCents: number;
  pathwayStartCents: number | null;
}

/** A staff membership of the partner (the staff directory's published view). */
export interface ClaimMembership {
  subject: string;
  function: 'JOB_COACH' | 'SUPERVISOR';
  fteHundredths: number;
  enrolledOn: string;
  endedOn: string | null;
}

/** A pathway registered under the convention (its start day, Belgian time) and its arm (null: not randomised yet). */
export interface ClaimPathway {
  pathwayId: string;
  startedOn: string;
  arm: 'IPS' | 'CONTROL' | null;
}

/** One source record of a line: a membership and its days counted, or a pathway started. */
export interface ClaimLineSource {
  /** The staff subject, or the pathway id. */
  reference: string;
  kind: 'STAFF_MEMBERSHIP' | 'PATHWAY';
  /** The membership's FTE (hundredths); null for a pathway. */
  fteHundredths: number | null;
  /** The first and last day counted in the month. */
  from: string;
  to: string;
  /** Days counted (a membership), 1 for a pathway. */
  days: number;
  /** Whether it is paid on this line (a pathway not in the IPS arm is named, not paid). */
  counted: boolean;
}

export interface ComputedClaimLine {
  kind: ClaimLineKind;
  /** Staffed FTE-months (hundredths, rounded for reading) or pathways started in the IPS arm (units). */
  quantity: number;
  /** What the convention funds: its FTE (hundredths); null for pathways (no cap). */
  fundedQuantity: number | null;
  /** What is paid: min(staffed, funded) in hundredths of FTE-months, or the pathways paid. */
  paidQuantity: number;
  unitCents: number;
  amountCents: number;
  explanation: string;
  sources: ClaimLineSource[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The first day, last day and number of days of a month (YYYY-MM). */
export function monthDays(period: string): { first: string; last: string; days: number } {
  if (!MONTH.test(period)) throw new Error(`not a month: ${period}`);
  const [year, month] = period.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { first: `${period}-01`, last: `${period}-${String(days).padStart(2, '0')}`, days };
}

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
const dayText = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);

/** n / d rounded half up, exact in integers. */
export function roundHalfUp(n: bigint, d: bigint): number {
  return Number((2n * n + d) / (2n * d));
}

const euros = (cents: number) => `${Math.trunc(cents / 100)}.${String(Math.abs(cents % 100)).padStart(2, '0')} €`;
const fte = (hundredths: number) => (hundredths / 100).toFixed(2);

function staffingLine(
  kind: ClaimLineKind,
  fn: ClaimMembership['function'],
  terms: ClaimTerms,
  period: string,
  memberships: readonly ClaimMembership[],
): ComputedClaimLine {
  const { first, last, days } = monthDays(period);
  const [firstDay, lastDay] = [dayNumber(first), dayNumber(last)];
  const sources: ClaimLineSource[] = [];
  let fteDays = 0n; // Σ FTE hundredths × days active
  for (const m of [...memberships]
    .filter((m) => m.function === fn)
    .sort((a, b) => a.subject.localeCompare(b.subject) || a.enrolledOn.localeCompare(b.enrolledOn))) {
    const from = Math.max(firstDay, dayNumber(m.enrolledOn));
    const to = Math.min(lastDay, m.endedOn === null ? lastDay : dayNumber(m.endedOn));
    if (to < from) continue;
    const counted = to - from + 1;
    fteDays += BigInt(m.fteHundredths * counted);
    sources.push({
      reference: m.subject,
      kind: 'STAFF_MEMBERSHIP',
      fteHundredths: m.fteHundredths,
      from: dayText(from),
      to: dayText(to),
      days: counted,
      counted: true,
    });
  }
  const funded = fn === 'JOB_COACH' ? terms.coachFteHundredths : terms.supervisorFteHundredths;
  const unit = fn === 'JOB_COACH' ? terms.coachFteMonthCents : terms.supervisorFteMonthCents;
  const cap = BigInt(funded) * BigInt(days);
  const paidFteDays = fteDays < cap ? fteDays : cap;
  const staffed = roundHalfUp(fteDays, BigInt(days));
  const paid = roundHalfUp(paidFteDays, BigInt(days));
  const amountCents = roundHalfUp(paidFteDays * BigInt(unit), 100n * BigInt(days));
  const who = fn === 'JOB_COACH' ? 'coach' : 'supervisor';
  const explanation =
    `${fte(staffed)} ${who} FTE-months staffed in ${period} (${sources.length} membership${sources.length === 1 ? '' : 's'}, FTE × days active / ${days} days)` +
    (fteDays > cap
      ? `, paid at the convention's ${fte(funded)} FTE (at most the funded FTE)`
      : `, within the convention's ${fte(funded)} FTE`) +
    ` × ${euros(unit)} per FTE-month = ${euros(amountCents)}`;
  return {
    kind,
    quantity: staffed,
    fundedQuantity: funded,
    paidQuantity: paid,
    unitCents: unit,
    amountCents,
    explanation,
    sources,
  };
}

function pathwayLine(
  terms: ClaimTerms & { pathwayStartCents: number },
  period: string,
  pathways: readonly ClaimPathway[],
): ComputedClaimLine {
  const started = [...pathways]
    .filter((p) => p.startedOn.startsWith(`${period}-`))
    .sort((a, b) => a.startedOn.localeCompare(b.startedOn) || a.pathwayId.localeCompare(b.pathwayId));
  const sources: ClaimLineSource[] = started.map((p) => ({
    reference: p.pathwayId,
    kind: 'PATHWAY',
    fteHundredths: null,
    from: p.startedOn,
    to: p.startedOn,
    days: 1,
    counted: p.arm === 'IPS',
  }));
  const paid = sources.filter((s) => s.counted).length;
  const control = started.filter((p) => p.arm === 'CONTROL').length;
  const waiting = started.filter((p) => p.arm === null).length;
  const amountCents = paid * terms.pathwayStartCents;
  const explanation =
    `${paid} pathway${paid === 1 ? '' : 's'} started in ${period} in the IPS arm × ${euros(terms.pathwayStartCents)} = ${euros(amountCents)}` +
    (control > 0 ? `; ${control} in the control arm not paid (followed by the SRE, R9)` : '') +
    (waiting > 0 ? `; ${waiting} not yet randomised, not paid` : '');
  return {
    kind: 'PATHWAY_STARTS',
    quantity: paid,
    fundedQuantity: null,
    paidQuantity: paid,
    unitCents: terms.pathwayStartCents,
    amountCents,
    explanation,
    sources,
  };
}

/** The claim's lines for one month: coaches, supervisors, and pathways started where the convention pays for them. */
export function computeClaimLines(
  terms: ClaimTerms,
  period: string,
  memberships: readonly ClaimMembership[],
  pathways: readonly ClaimPathway[],
): ComputedClaimLine[] {
  const lines = [
    staffingLine('COACH_FTE_MONTHS', 'JOB_COACH', terms, period, memberships),
    staffingLine('SUPERVISOR_FTE_MONTHS', 'SUPERVISOR', terms, period, memberships),
  ];
  if (terms.pathwayStartCents !== null)
    lines.push(pathwayLine({ ...terms, pathwayStartCents: terms.pathwayStartCents }, period, pathways));
  return lines;
}
