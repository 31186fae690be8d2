/**
 * Claims under the conventions (R17): the partner's supervisor claims a month, computed at submission from the
 * convention in force and what the platform knows (claim-lines.ts); INAMI decides each line; an approved claim
 * never changes — the partner corrects it by a credit note — and INAMI records its payments.
 *
 * Who reads is the policy's (NON_PERSONAL_TYPES, ORGANISATION_RECORDS.Claim: INAMI every claim, a partner's
 * supervisor its own; another's answers as none); who writes is ACTIONS' (submitClaim, decideClaimLine,
 * issueCreditNote, recordClaimPayment), each through the command path.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { InvalidInputError } from '../../../schema/errors.js';
import { ORGANISATION_RECORDS } from '../../../schema/policy.js';
import { lockById, runCommand, type CommandTx } from '../../kit/command.js';
import type { BatchLoad, SubgraphContext } from '../../kit/context.js';
import { belgianToday } from '../../kit/domain.js';
import { queryRows, type SqlRunner } from '../../kit/raw-sql.js';
import { assertUuid, cleanText } from '../../kit/validation.js';
import {
  ClaimEntity,
  ClaimLineDecision,
  ClaimLineEntity,
  ClaimPaymentEntity,
  ClaimStatus,
  CreditNoteEntity,
  CreditNoteLineEntity,
} from '../entities/claim.entity.js';
import { ConventionEntity } from '../entities/convention.entity.js';
import {
  ClaimLineKind,
  ClaimLineSourceKind,
  type ClaimLineDecisionRequest,
  type ClaimPaymentRequest,
  type ClaimSubmission,
  type ClaimView,
  type CreditNoteRequest,
} from './claim.view.js';
import { computeClaimLines, monthDays, type ClaimMembership, type ClaimPathway } from './claim-lines.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_CENTS = 100_000_000;

/** Claims, their lines, credit notes and payments, as read: a fixed number of statements whatever the number of claims. */
async function claimViews(em: EntityManager, claims: ClaimEntity[]): Promise<ClaimView[]> {
  if (claims.length === 0) return [];
  const ids = claims.map((claim) => claim.id);
  const [lines, notes, noteLines, payments] = await Promise.all([
    em.find(ClaimLineEntity, { claim: { $in: ids } }, { orderBy: { position: 'asc' } }),
    em.find(CreditNoteEntity, { claim: { $in: ids } }, { orderBy: { issuedAt: 'asc', id: 'asc' } }),
    em.find(CreditNoteLineEntity, { creditNote: { claim: { $in: ids } } }, { orderBy: { id: 'asc' } }),
    em.find(ClaimPaymentEntity, { claim: { $in: ids } }, { orderBy: { paidOn: 'asc', recordedAt: 'asc' } }),
  ]);
  return claims.map((claim) => {
    const own = lines.filter((line) => line.claim.id === claim.id);
    const ownNotes = notes.filter((note) => note.claim.id === claim.id);
    const ownPayments = payments.filter((payment) => payment.claim.id === claim.id);
    const approvedCents = own
      .filter((line) => line.decision === ClaimLineDecision.APPROVED)
      .reduce((sum, line) => sum + line.amountCents, 0);
    const creditedCents = ownNotes.reduce((sum, note) => sum + note.totalCents, 0);
    const paidCents = ownPayments.reduce((sum, payment) => sum + payment.amountCents, 0);
    return {
      id: claim.id,
      code: claim.code,
      period: claim.period,
      conventionVersion: claim.conventionVersion,
      status: claim.status,
      claimedCents: claim.claimedCents,
      approvedCents,
      creditedCents,
      totalCents: approvedCents + creditedCents,
      paidCents,
      dueCents: approvedCents + creditedCents - paidCents,
      submittedBy: claim.submittedBy,
      submittedAt: claim.submittedAt,
      decidedAt: claim.decidedAt ?? null,
      lines: own.map((line) => ({
        id: line.id,
        position: line.position,
        kind: ClaimLineKind[line.kind],
        quantity: line.quantity,
        fundedQuantity: line.fundedQuantity ?? null,
        paidQuantity: line.paidQuantity,
        unitCents: line.unitCents,
        amountCents: line.amountCents,
        explanation: line.explanation,
        sources: line.sources.map(({ kind, ...source }) => ({ ...source, kind: ClaimLineSourceKind[kind] })),
        decision: line.decision ?? null,
        decisionReason: line.decisionReason ?? null,
        decidedBy: line.decidedBy ?? null,
        decidedAt: line.decidedAt ?? null,
      })),
      creditNotes: ownNotes.map((note) => ({
        id: note.id,
        reason: note.reason,
        totalCents: note.totalCents,
        issuedBy: note.issuedBy,
        issuedAt: note.issuedAt,
        lines: noteLines
          .filter((line) => line.creditNote.id === note.id)
          .map((line) => ({ claimLineId: line.claimLine.id, amountCents: line.amountCents })),
      })),
      payments: ownPayments.map((payment) => ({
        id: payment.id,
        paidOn: payment.paidOn,
        reference: payment.reference,
        amountCents: payment.amountCents,
        recordedBy: payment.recordedBy,
        recordedAt: payment.recordedAt,
      })),
    };
  });
}

/** Every claim of each convention (by convention id), newest period first. */
/** One claim's view: claimViews answers one view per claim it is given. */
async function oneClaimView(em: EntityManager, claim: ClaimEntity): Promise<ClaimView> {
  const [view] = await claimViews(em, [claim]);
  if (!view) throw new Error(`claim ${claim.id} read without its view`);
  return view;
}

export const claimsByConvention: BatchLoad<string, ClaimView[]> = async (conventionIds, { em }) => {
  const claims = await em.find(
    ClaimEntity,
    { convention: { $in: [...conventionIds] } },
    { orderBy: { period: 'desc' } },
  );
  const views = await claimViews(em, claims);
  return conventionIds.map((id) => views.filter((_, index) => claims[index]?.convention.id === id));
};

/** The partner's memberships and the pathways started under its convention in the month, read on the transaction's connection. */
async function monthFacts(
  runner: SqlRunner,
  code: string,
  period: string,
): Promise<{ memberships: ClaimMembership[]; pathways: ClaimPathway[] }> {
  const { first, last } = monthDays(period);
  const memberships = await queryRows<{
    subject: string;
    function: 'JOB_COACH' | 'SUPERVISOR';
    fte_hundredths: number;
    enrolled_on: string;
    ended_on: string | null;
  }>(
    runner,
    `select subject, function, fte_hundredths, enrolled_on::text as enrolled_on, ended_on::text as ended_on from participants.published_staff_member
     where organisation = ? and function in ('JOB_COACH', 'SUPERVISOR') and enrolled_on <= ?::date and (ended_on is null or ended_on >= ?::date)`,
    [code, last, first],
  );
  const pathways = await queryRows<{ pathway_id: string; started_on: string; arm: 'IPS' | 'CONTROL' | null }>(
    runner,
    `select p.pathway_id, pp.started_on::text as started_on, a.arm from pathways.published_pathway p
       join pathways.published_pathway_period pp on pp.pathway_id = p.pathway_id
       left join research.published_allocation a on a.participant_id = p.participant_id
     where p.ips_partner = ? and pp.started_on between ?::date and ?::date`,
    [code, first, last],
  );
  return {
    memberships: memberships.map((m) => ({
      subject: m.subject,
      function: m.function,
      fteHundredths: m.fte_hundredths,
      enrolledOn: m.enrolled_on,
      endedOn: m.ended_on,
    })),
    pathways: pathways.map((p) => ({ pathwayId: p.pathway_id, startedOn: p.started_on, arm: p.arm })),
  };
}

async function lockClaimOf(tx: CommandTx, claimId: string): Promise<ClaimEntity | null> {
  return lockById(tx, ClaimEntity, claimId);
}

export class ClaimService {
  constructor(private readonly context: SubgraphContext) {}

  /** Whether the caller reads this convention's claims (ORGANISATION_RECORDS.Claim): INAMI all, a supervisor their own. */
  mayRead(convention: ConventionEntity): boolean {
    const property = ORGANISATION_RECORDS.Claim?.[this.context.identity.role];
    return (
      property === undefined ||
      (convention as unknown as Record<string, unknown>)[property] === this.context.identity.organisation
    );
  }

  async claims(convention: ConventionEntity, period: string | null | undefined): Promise<ClaimView[] | null> {
    if (period != null && !MONTH.test(period)) throw new InvalidInputError('period', { id: 'input.month' });
    if (!this.mayRead(convention)) return null;
    const claims = (await this.context.loaders.load(claimsByConvention, convention.id)) ?? [];
    return period == null ? claims : claims.filter((claim) => claim.period === period);
  }

  /**
   * The partner's supervisor submits its claim for a month: the convention's row is locked, so submissions of one
   * partner queue; the first writes the claim, every other is a CONFLICT (noClaimForPeriod), a retry with the same
   * key gets the first answer, and the unique (convention, period) stops any second claim.
   */
  submit(input: ClaimSubmission, idempotencyKey: string): Promise<ClaimView> {
    return runCommand(this.context, {
      action: 'submitClaim',
      idempotencyKey,
      args: input,
      validate: () => {
        const conventionId = assertUuid('input.conventionId', input.conventionId);
        // A month that has ended: what was staffed and started is known.
        if (!MONTH.test(input.period) || input.period >= belgianToday().slice(0, 7))
          throw new InvalidInputError('input.period', { id: 'claim.period' });
        return { conventionId, period: input.period };
      },
      target: async (tx, { conventionId, period }) => {
        const convention = await lockById(tx, ConventionEntity, conventionId);
        if (!convention) return undefined;
        const [existing] = await queryRows<{ id: string }>(
          tx,
          'select id from billing.claim where convention_id = ? and period = ?',
          [conventionId, period],
        );
        return { organisation: convention.code, state: { noClaimForPeriod: existing === undefined } };
      },
      apply: async (tx, { conventionId, period }) => {
        const convention = await tx.em.findOneOrFail(ConventionEntity, { id: conventionId });
        const { first, last } = monthDays(period);
        if (last < convention.validFrom || (convention.validTo != null && first > convention.validTo))
          throw new InvalidInputError('input.period', { id: 'claim.period' });
        const { memberships, pathways } = await monthFacts(tx, convention.code, period);
        const lines = computeClaimLines(
          {
            code: convention.code,
            version: convention.version,
            coachFteHundredths: convention.coachFteHundredths,
            supervisorFteHundredths: convention.supervisorFteHundredths,
            coachFteMonthCents: convention.coachFteMonthCents,
            supervisorFteMonthCents: convention.supervisorFteMonthCents,
            pathwayStartCents: convention.pathwayStartCents ?? null,
          },
          period,
          memberships,
          pathways,
        );
        const claim = tx.em.create(ClaimEntity, {
          convention,
          code: convention.code,
          period,
          conventionVersion: convention.version,
          status: ClaimStatus.SUBMITTED,
          claimedCents: lines.reduce((sum, line) => sum + line.amountCents, 0),
          submittedBy: tx.identity.subject,
          ...tx.idempotency,
        });
        lines.forEach((line, index) =>
          tx.em.create(ClaimLineEntity, {
            claim,
            position: index + 1,
            kind: line.kind,
            quantity: line.quantity,
            fundedQuantity: line.fundedQuantity,
            paidQuantity: line.paidQuantity,
            unitCents: line.unitCents,
            amountCents: line.amountCents,
            explanation: line.explanation,
            sources: line.sources,
          }),
        );
        await tx.em.flush();
        return claim.id;
      },
      answer: (id) => this.claim(id),
    });
  }

  /** An INAMI agent decides one line, once; the last decision approves the claim (one line approved at least) or rejects it. */
  decideLine(input: ClaimLineDecisionRequest, idempotencyKey: string): Promise<ClaimView> {
    return runCommand(this.context, {
      action: 'decideClaimLine',
      idempotencyKey,
      args: input,
      validate: () => {
        const lineId = assertUuid('input.lineId', input.lineId);
        const rejected = input.decision === ClaimLineDecision.REJECTED;
        const reason =
          rejected || (input.reason ?? '').trim() !== ''
            ? cleanText('input.reason', input.reason, { min: 3, max: 2000, multiline: true })
            : null;
        if (rejected && !reason) throw new InvalidInputError('input.reason', { id: 'claim.reasonRequired' });
        return { lineId, decision: input.decision, reason };
      },
      target: async (tx, { lineId }) => {
        // The claim first, then the line: every write on a claim locks in that order.
        const [row] = await queryRows<{ claim_id: string }>(
          tx,
          'select claim_id from billing.claim_line where id = ?',
          [lineId],
        );
        if (!row) return undefined;
        const claim = await lockClaimOf(tx, row.claim_id);
        const line = await lockById(tx, ClaimLineEntity, lineId);
        if (!claim || !line) return undefined;
        return { organisation: claim.code, state: { lineUndecided: line.decision == null } };
      },
      apply: async (tx, { lineId, decision, reason }) => {
        const line = await tx.em.findOneOrFail(ClaimLineEntity, { id: lineId });
        Object.assign(line, {
          decision,
          decisionReason: reason,
          decidedBy: tx.identity.subject,
          decidedAt: new Date(),
        });
        const lines = await tx.em.find(ClaimLineEntity, { claim: line.claim.id });
        if (lines.every((each) => each.decision != null)) {
          const claim = await tx.em.findOneOrFail(ClaimEntity, { id: line.claim.id });
          claim.status = lines.some((each) => each.decision === ClaimLineDecision.APPROVED)
            ? ClaimStatus.APPROVED
            : ClaimStatus.REJECTED;
          claim.decidedAt = new Date();
        }
        await tx.em.flush();
        return line.claim.id;
      },
      answer: (id) => this.claim(id),
    });
  }

  /** The partner corrects its approved claim: negative amounts on approved lines, each line credited no further than its amount. */
  issueCreditNote(input: CreditNoteRequest, idempotencyKey: string): Promise<ClaimView> {
    return runCommand(this.context, {
      action: 'issueCreditNote',
      idempotencyKey,
      args: input,
      validate: () => {
        const claimId = assertUuid('input.claimId', input.claimId);
        const reason = cleanText('input.reason', input.reason, { min: 3, max: 2000, multiline: true });
        if (!Array.isArray(input.lines) || input.lines.length === 0 || input.lines.length > 10)
          throw new InvalidInputError('input.lines', { id: 'claim.creditLine' });
        const lines = input.lines.map((line, index) => {
          const claimLineId = assertUuid(`input.lines.${index}.claimLineId`, line.claimLineId);
          if (!Number.isInteger(line.amountCents) || line.amountCents >= 0 || line.amountCents < -MAX_CENTS)
            throw new InvalidInputError(`input.lines.${index}.amountCents`, { id: 'claim.creditLine' });
          return { claimLineId, amountCents: line.amountCents };
        });
        lines.forEach((line, index) => {
          if (lines.findIndex((other) => other.claimLineId === line.claimLineId) !== index)
            throw new InvalidInputError(`input.lines.${index}.claimLineId`, { id: 'claim.creditLine' });
        });
        return { claimId, reason, lines };
      },
      target: async (tx, { claimId }) => {
        const claim = await lockClaimOf(tx, claimId);
        return claim
          ? { organisation: claim.code, state: { claimApproved: claim.status === ClaimStatus.APPROVED } }
          : undefined;
      },
      apply: async (tx, { claimId, reason, lines }) => {
        const claim = await tx.em.findOneOrFail(ClaimEntity, { id: claimId });
        const claimLines = await tx.em.find(ClaimLineEntity, { claim: claimId });
        const credited = await queryRows<{ claim_line_id: string; cents: string }>(
          tx,
          'select l.claim_line_id, sum(l.amount_cents) as cents from billing.credit_note_line l join billing.credit_note n on n.id = l.credit_note_id where n.claim_id = ? group by l.claim_line_id',
          [claimId],
        );
        const note = tx.em.create(CreditNoteEntity, {
          claim,
          reason,
          totalCents: lines.reduce((sum, line) => sum + line.amountCents, 0),
          issuedBy: tx.identity.subject,
          issuedByOrganisation: tx.identity.organisation,
          ...tx.idempotency,
        });
        lines.forEach((line, index) => {
          const claimLine = claimLines.find((each) => each.id === line.claimLineId);
          const already = Number(credited.find((row) => row.claim_line_id === line.claimLineId)?.cents ?? 0);
          if (!claimLine || claimLine.decision !== ClaimLineDecision.APPROVED)
            throw new InvalidInputError(`input.lines.${index}.claimLineId`, { id: 'claim.creditLine' });
          if (claimLine.amountCents + already + line.amountCents < 0)
            throw new InvalidInputError(`input.lines.${index}.amountCents`, { id: 'claim.creditLine' });
          tx.em.create(CreditNoteLineEntity, { creditNote: note, claimLine, amountCents: line.amountCents });
        });
        await tx.em.flush();
        return claimId;
      },
      answer: (id) => this.claim(id),
    });
  }

  /** INAMI records a payment of an approved claim, never above what is still due. */
  recordPayment(input: ClaimPaymentRequest, idempotencyKey: string): Promise<ClaimView> {
    return runCommand(this.context, {
      action: 'recordClaimPayment',
      idempotencyKey,
      args: input,
      validate: () => {
        const claimId = assertUuid('input.claimId', input.claimId);
        if (typeof input.paidOn !== 'string' || !DAY.test(input.paidOn) || input.paidOn > belgianToday())
          throw new InvalidInputError('input.paidOn', { id: 'input.day' });
        const reference = cleanText('input.reference', input.reference, { min: 1, max: 100 });
        if (!Number.isInteger(input.amountCents) || input.amountCents <= 0 || input.amountCents > MAX_CENTS)
          throw new InvalidInputError('input.amountCents', { id: 'claim.overpaid', params: { due: '—' } });
        return { claimId, paidOn: input.paidOn, reference, amountCents: input.amountCents };
      },
      target: async (tx, { claimId }) => {
        const claim = await lockClaimOf(tx, claimId);
        return claim
          ? { organisation: claim.code, state: { claimApproved: claim.status === ClaimStatus.APPROVED } }
          : undefined;
      },
      apply: async (tx, { claimId, paidOn, reference, amountCents }) => {
        const claim = await tx.em.findOneOrFail(ClaimEntity, { id: claimId });
        const view = await oneClaimView(tx.em, claim);
        if (amountCents > view.dueCents)
          throw new InvalidInputError('input.amountCents', {
            id: 'claim.overpaid',
            params: { due: String(view.dueCents) },
          });
        tx.em.create(ClaimPaymentEntity, {
          claim,
          paidOn,
          reference,
          amountCents,
          recordedBy: tx.identity.subject,
          ...tx.idempotency,
        });
        await tx.em.flush();
        return claimId;
      },
      answer: (id) => this.claim(id),
    });
  }

  /** A claim read fresh by id (a command's answer, also for a replay). */
  private async claim(id: string): Promise<ClaimView> {
    const claim = await this.context.em.findOneOrFail(ClaimEntity, { id }, { refresh: true });
    return oneClaimView(this.context.em, claim);
  }
}
