/**
 * Conventions as versioned agreements (R17): their terms in force, their amendments, the partner's
 * pathways against the capacity and the staffing against the convention's.
 *
 * Who reads is the policy's (NON_PERSONAL_TYPES and ORGANISATION_RECORDS: INAMI reads every convention,
 * a partner's supervisor its own; another's answers as none). Who amends is the policy's too
 * (ACTIONS.amendConvention, approveConventionAmendment): a change of money (CONVENTION_MONEY_TERMS) is
 * proposed by one INAMI agent and applies once another approves it, on the version still in force.
 */
import { InvalidInputError } from '../../../schema/errors.js';
import { CONVENTION_CAPACITY, CONVENTION_MONEY_TERMS, ORGANISATION_RECORDS } from '../../../schema/policy.js';
import { lockById, runCommand } from '../../kit/command.js';
import { groupedBy, type SubgraphContext } from '../../kit/context.js';
import { queryRows } from '../../kit/raw-sql.js';
import { assertUuid, cleanText } from '../../kit/validation.js';
import {
  AmendmentStatus,
  ConventionAmendmentEntity,
  type TermChange,
} from '../entities/convention-amendment.entity.js';
import { ConventionEntity } from '../entities/convention.entity.js';
import {
  CapacityState,
  StaffingState,
  type ConventionAmendmentRequest,
  type ConventionAmendmentView,
  type ConventionCapacityView,
  type ConventionStaffingView,
  type ConventionTermsChange,
  type ConventionTermsView,
} from './convention-terms.view.js';

/** The terms an amendment may change, in the order they are listed. */
const TERMS = [
  'validTo',
  'partnerPathways',
  'coachFteHundredths',
  'supervisorFteHundredths',
  'coachFteMonthCents',
  'supervisorFteMonthCents',
  'pathwayStartCents',
] as const;
type Term = (typeof TERMS)[number];
type Terms = Partial<Record<Term, number | string | null>>;
const MONEY: ReadonlySet<string> = new Set(CONVENTION_MONEY_TERMS);
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Validates the terms given (pure): whole numbers in range, a day; BAD_USER_INPUT names the term. */
export function validateTerms(input: ConventionTermsChange): Terms {
  const terms: Terms = {};
  for (const term of TERMS) {
    const value = input[term];
    if (value === undefined) continue;
    const field = `input.terms.${term}`;
    if (term === 'validTo') {
      if (value !== null && (typeof value !== 'string' || !DAY.test(value)))
        throw new InvalidInputError(field, { id: 'input.day' });
    } else if (term === 'pathwayStartCents' || term.endsWith('Cents')) {
      if (value === null && term === 'pathwayStartCents') {
        terms[term] = null;
        continue;
      }
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 100_000_000)
        throw new InvalidInputError(field, { id: 'convention.cents' });
    } else if (term.endsWith('Hundredths')) {
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) > 100_000)
        throw new InvalidInputError(field, { id: 'convention.fteHundredths' });
    } else if (!Number.isInteger(value) || (value as number) < 0)
      throw new InvalidInputError(field, { id: 'input.notNegative' });
    terms[term] = value;
  }
  return terms;
}

/** A month's staffing funded at the convention's FTE, in euro cents (FTE hundredths × cents / 100, rounded half up). */
export function fundedStaffingMonthCents(
  c: Pick<
    ConventionEntity,
    'coachFteHundredths' | 'supervisorFteHundredths' | 'coachFteMonthCents' | 'supervisorFteMonthCents'
  >,
): number {
  return Math.round(
    (c.coachFteHundredths * c.coachFteMonthCents + c.supervisorFteHundredths * c.supervisorFteMonthCents) / 100,
  );
}

/** Capacity state of a count against a capacity (CONVENTION_CAPACITY.nearFullShare warns INAMI). */
export function capacityState(counted: number, capacity: number): CapacityState {
  if (counted >= capacity) return CapacityState.FULL;
  return counted >= Math.ceil(capacity * CONVENTION_CAPACITY.nearFullShare)
    ? CapacityState.NEAR_FULL
    : CapacityState.OPEN;
}

export function staffingState(coachDifference: number, supervisorDifference: number): StaffingState {
  const signs = new Set([Math.sign(coachDifference), Math.sign(supervisorDifference)].filter((sign) => sign !== 0));
  if (signs.size === 0) return StaffingState.AS_CONVENTION;
  if (signs.size === 2) return StaffingState.MIXED;
  return signs.has(1) ? StaffingState.ABOVE : StaffingState.BELOW;
}

const termValue = (c: ConventionEntity, term: Term): number | string | null => {
  const value = c[term];
  return value === undefined ? null : value;
};

function applyTerms(c: ConventionEntity, changes: TermChange[]): void {
  for (const change of changes) (c as unknown as Record<string, unknown>)[change.term] = change.new;
  // The published staffing figures follow the exact terms.
  c.jobCoaches = Math.round(c.coachFteHundredths / 100);
  c.supervisorFte = c.supervisorFteHundredths / 100;
}

export const amendmentsByConvention = groupedBy<string, ConventionAmendmentEntity>(
  (ids, { em }) =>
    em.find(
      ConventionAmendmentEntity,
      { convention: { $in: [...ids] } },
      { orderBy: { proposedAt: 'asc', id: 'asc' } },
    ),
  (amendment) => amendment.convention.id,
);

interface CapacityRow {
  code: string;
  capacity: number;
  counted: string;
  active_ips: string;
  awaiting: string;
  registered: string;
}

/** Every convention's capacity in one statement: pathways (pathways.published_pathway) by arm (research.published_allocation). */
export const capacityByCode = async (
  codes: readonly string[],
  context: SubgraphContext,
): Promise<(ConventionCapacityView | undefined)[]> => {
  const rows = await queryRows<CapacityRow>(
    context,
    `select c.code, c.partner_pathways as capacity,
            count(p.pathway_id) filter (where p.status = 'OPEN' and (a.arm is null or a.arm = 'IPS')) as counted,
            count(p.pathway_id) filter (where p.status = 'OPEN' and a.arm = 'IPS') as active_ips,
            count(p.pathway_id) filter (where p.status = 'OPEN' and a.arm is null) as awaiting,
            count(p.pathway_id) as registered
     from billing.convention c
       left join pathways.published_pathway p on p.ips_partner = c.code
       left join research.published_allocation a on a.participant_id = p.participant_id
     where c.code in (?) group by c.code, c.partner_pathways`,
    [[...codes]],
  );
  const byCode = new Map(rows.map((row) => [row.code, row]));
  return codes.map((code) => {
    const row = byCode.get(code);
    if (!row) return undefined;
    const counted = Number(row.counted);
    const state = capacityState(counted, row.capacity);
    const left = row.capacity - counted;
    return {
      code,
      capacity: row.capacity,
      counted,
      activeIps: Number(row.active_ips),
      awaitingRandomisation: Number(row.awaiting),
      registered: Number(row.registered),
      share: row.capacity === 0 ? 1 : counted / row.capacity,
      state,
      warning:
        state === CapacityState.FULL
          ? `${code} is full (${counted} of ${row.capacity}): registration is paused, referrals wait in the intake`
          : state === CapacityState.NEAR_FULL
            ? `${code} is at ${Math.floor((counted / row.capacity) * 100)} % of its capacity: ${left} place${left === 1 ? '' : 's'} left`
            : null,
    };
  });
};

/**
 * Each month's staffing of the partners, from the staff directory's published memberships: a membership
 * counts its FTE for the days of the month it was active (enrolled on or before the day, not ended).
 * Keys are `code|first month|last month`; one statement per range of months asked (a page asks one).
 */
export const staffingByKey = async (
  keys: readonly string[],
  context: SubgraphContext,
): Promise<(ConventionStaffingView[] | undefined)[]> => {
  const ranges = new Map<string, string[]>();
  for (const key of keys) {
    const [code, from, to] = key.split('|') as [string, string, string];
    ranges.set(`${from}|${to}`, [...(ranges.get(`${from}|${to}`) ?? []), code]);
  }
  const answers = new Map<string, ConventionStaffingView[]>();
  for (const [range, codes] of ranges) {
    const [from, to] = range.split('|') as [string, string];
    const months = monthsBetween(from, to);
    const rows = await queryRows<{
      code: string;
      month: string;
      coach: string;
      supervisor: string;
      coach_funded: number;
      supervisor_funded: number;
    }>(
      context,
      `with m as (select to_date(x, 'YYYY-MM') as first_day, (to_date(x, 'YYYY-MM') + interval '1 month')::date as next_first from unnest(?::text[]) x),
            s as (select s.*, m.first_day, (least(m.next_first, coalesce(s.ended_on + 1, m.next_first)) - greatest(m.first_day, s.enrolled_on))::numeric / (m.next_first - m.first_day) as share
                  from m join participants.published_staff_member s on s.enrolled_on < m.next_first and (s.ended_on is null or s.ended_on >= m.first_day)
                  where s.organisation in (?) and s.function in ('JOB_COACH', 'SUPERVISOR'))
       select c.code, to_char(m.first_day, 'YYYY-MM') as month, c.coach_fte_hundredths as coach_funded, c.supervisor_fte_hundredths as supervisor_funded,
         coalesce(sum(s.fte_hundredths * s.share) filter (where s.function = 'JOB_COACH'), 0) as coach,
         coalesce(sum(s.fte_hundredths * s.share) filter (where s.function = 'SUPERVISOR'), 0) as supervisor
       from billing.convention c cross join m left join s on s.organisation = c.code and s.first_day = m.first_day
       where c.code in (?) group by c.code, m.first_day, c.coach_fte_hundredths, c.supervisor_fte_hundredths order by c.code, m.first_day`,
      [`{${months.join(',')}}`, codes, codes],
    );
    for (const row of rows) {
      const coach = Math.round(Number(row.coach));
      const supervisor = Math.round(Number(row.supervisor));
      const coachDifference = coach - row.coach_funded;
      const supervisorDifference = supervisor - row.supervisor_funded;
      const key = `${row.code}|${range}`;
      answers.set(key, [
        ...(answers.get(key) ?? []),
        {
          code: row.code,
          month: row.month,
          coachFteHundredths: coach,
          supervisorFteHundredths: supervisor,
          conventionCoachFteHundredths: row.coach_funded,
          conventionSupervisorFteHundredths: row.supervisor_funded,
          coachDifferenceHundredths: coachDifference,
          supervisorDifferenceHundredths: supervisorDifference,
          state: staffingState(coachDifference, supervisorDifference),
        },
      ]);
    }
  }
  return keys.map((key) => answers.get(key));
};

/** The months from `from` to `to` (YYYY-MM), at most 60; BAD_USER_INPUT names the argument. */
export function monthsBetween(from: string, to: string): string[] {
  if (!MONTH.test(from)) throw new InvalidInputError('from', { id: 'input.month' });
  if (!MONTH.test(to)) throw new InvalidInputError('to', { id: 'input.month' });
  if (to < from) throw new InvalidInputError('to', { id: 'date.beforeStart' });
  const months: string[] = [];
  for (
    let [y, m] = from.split('-').map(Number) as [number, number];
    months.length < 60;
    m === 12 ? ((y += 1), (m = 1)) : (m += 1)
  ) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > to) break;
    months.push(month);
  }
  return months;
}

export function amendmentView(a: ConventionAmendmentEntity): ConventionAmendmentView {
  const text = (value: number | string | null) => (value === null ? null : String(value));
  return {
    id: a.id,
    version: a.version ?? null,
    basedOnVersion: a.basedOnVersion,
    status: a.status,
    reason: a.reason,
    changes: a.changes.map((change) => ({ term: change.term, before: text(change.old), after: text(change.new) })),
    changesMoney: a.changesMoney,
    proposedBy: a.proposedBy,
    proposedAt: a.proposedAt,
    approvedBy: a.approvedBy ?? null,
    approvedAt: a.approvedAt ?? null,
  };
}

export class ConventionTermsService {
  constructor(private readonly context: SubgraphContext) {}

  /** Whether the caller reads this convention's terms, capacity and staffing (ORGANISATION_RECORDS): INAMI all, a supervisor their own. */
  mayRead(
    type: 'ConventionTerms' | 'ConventionCapacity' | 'ConventionStaffing',
    convention: ConventionEntity,
  ): boolean {
    const property = ORGANISATION_RECORDS[type]?.[this.context.identity.role];
    return (
      property === undefined ||
      (convention as unknown as Record<string, unknown>)[property] === this.context.identity.organisation
    );
  }

  async terms(convention: ConventionEntity): Promise<ConventionTermsView | null> {
    if (!this.mayRead('ConventionTerms', convention)) return null;
    const amendments = (await this.context.loaders.load(amendmentsByConvention, convention.id)) ?? [];
    return {
      code: convention.code,
      version: convention.version,
      validFrom: convention.validFrom,
      validTo: convention.validTo ?? null,
      partnerPathways: convention.partnerPathways,
      coachFteHundredths: convention.coachFteHundredths,
      supervisorFteHundredths: convention.supervisorFteHundredths,
      coachFteMonthCents: convention.coachFteMonthCents,
      supervisorFteMonthCents: convention.supervisorFteMonthCents,
      pathwayStartCents: convention.pathwayStartCents ?? null,
      fundedStaffingMonthCents: fundedStaffingMonthCents(convention),
      illustrative: convention.illustrative,
      amendments: amendments.map(amendmentView),
    };
  }

  async capacity(convention: ConventionEntity): Promise<ConventionCapacityView | null> {
    if (!this.mayRead('ConventionCapacity', convention)) return null;
    return (await this.context.loaders.load(capacityByCode, convention.code)) ?? null;
  }

  /**
   * INAMI amends a convention: the terms given, each differing from the version in force. A change of
   * money waits for a second agent (PROPOSED); any other applies at once as the next version. The
   * convention's row is locked: two amendments of one convention queue, and the loser of a race on a
   * version is a CONFLICT (unique version per convention).
   */
  amend(input: ConventionAmendmentRequest, idempotencyKey: string): Promise<ConventionAmendmentView> {
    return runCommand(this.context, {
      action: 'amendConvention',
      idempotencyKey,
      args: input,
      validate: () => ({
        conventionId: assertUuid('input.conventionId', input.conventionId),
        reason: cleanText('input.reason', input.reason, { min: 3, max: 2000, multiline: true }),
        terms: validateTerms(input.terms),
      }),
      target: async (tx, { conventionId }) => ((await lockById(tx, ConventionEntity, conventionId)) ? {} : undefined),
      apply: async (tx, { conventionId, reason, terms }) => {
        const convention = await tx.em.findOneOrFail(ConventionEntity, { id: conventionId });
        const changes = changesTo(convention, terms);
        const changesMoney = changes.some((change) => MONEY.has(change.term));
        const amendment = tx.em.create(ConventionAmendmentEntity, {
          convention,
          basedOnVersion: convention.version,
          status: changesMoney ? AmendmentStatus.PROPOSED : AmendmentStatus.APPLIED,
          reason,
          changes,
          changesMoney,
          proposedBy: tx.identity.subject,
          proposedByOrganisation: tx.identity.organisation,
          ...tx.idempotency,
        });
        if (!changesMoney) {
          applyTerms(convention, changes);
          convention.version += 1;
          amendment.version = convention.version;
        }
        await tx.em.flush();
        return amendment.id;
      },
      answer: (id) => this.amendment(id),
    });
  }

  /** A second INAMI agent approves an amendment of money (ACTIONS.approveConventionAmendment: four eyes, once, on the version in force). */
  approve(amendmentId: string, idempotencyKey: string): Promise<ConventionAmendmentView> {
    return runCommand(this.context, {
      action: 'approveConventionAmendment',
      idempotencyKey,
      args: { amendmentId },
      validate: () => assertUuid('amendmentId', amendmentId),
      target: async (tx, id) => {
        const amendment = await lockById(tx, ConventionAmendmentEntity, id);
        if (!amendment) return undefined;
        const convention = await lockById(tx, ConventionEntity, amendment.convention.id);
        if (!convention) throw new Error('An amendment names a convention that does not exist');
        return {
          author: { organisation: amendment.proposedByOrganisation, subject: amendment.proposedBy },
          state: {
            amendmentProposed: amendment.status === AmendmentStatus.PROPOSED,
            amendmentCurrent: convention.version === amendment.basedOnVersion,
          },
        };
      },
      apply: async (tx, id) => {
        const amendment = await tx.em.findOneOrFail(ConventionAmendmentEntity, { id });
        const convention = await tx.em.findOneOrFail(ConventionEntity, { id: amendment.convention.id });
        applyTerms(convention, amendment.changes);
        convention.version += 1;
        Object.assign(amendment, {
          status: AmendmentStatus.APPLIED,
          version: convention.version,
          approvedBy: tx.identity.subject,
          approvedByOrganisation: tx.identity.organisation,
          approvedAt: new Date(),
        });
        await tx.em.flush();
        return id;
      },
      answer: (id) => this.amendment(id),
    });
  }

  private async amendment(id: string): Promise<ConventionAmendmentView> {
    return amendmentView(await this.context.em.findOneOrFail(ConventionAmendmentEntity, { id }, { refresh: true }));
  }
}

/** The terms that differ from the version in force, with their old and new values; none is BAD_USER_INPUT. */
function changesTo(convention: ConventionEntity, terms: Terms): TermChange[] {
  const changes = TERMS.filter((term) => term in terms && terms[term] !== termValue(convention, term)).map((term) => ({
    term,
    old: termValue(convention, term),
    new: terms[term] ?? null,
  }));
  if (changes.length === 0) throw new InvalidInputError('input.terms', { id: 'convention.noChange' });
  const partnerPathways = terms.partnerPathways;
  if (typeof partnerPathways === 'number' && partnerPathways > convention.regionalPathways) {
    throw new InvalidInputError('input.terms.partnerPathways', {
      id: 'convention.partnerPathways',
      params: { regional: convention.regionalPathways },
    });
  }
  if (typeof terms.validTo === 'string' && terms.validTo < convention.validFrom)
    throw new InvalidInputError('input.terms.validTo', { id: 'date.beforeStart' });
  return changes;
}
