/**
 * Work authorisation (R15): each employment contract under the law of 3 July 1978 needs a
 * request to the advising physician (art. 100 §2 of the coordinated law of 14 July 1994)
 * and their decision; a new function with the same employer, or a new employer, needs a
 * new one. The system tells which from the pathway's earlier contracts and opens the
 * request itself, copied to the physician's follow-up file (R14), in one transaction.
 * An in-company training is no contract: recorded, but no authorisation.
 */
import { ConflictError, InvalidInputError } from '../../../schema/errors.js';
import { FREE_TEXT_CATEGORIES, type DataCategory } from '../../../schema/policy.js';
import { followUpFacts, inFollowUp } from '../../kit/access/ledger.js';
import { loadFresh, lockById, runCommand, type CommandTx } from '../../kit/command.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday, DataCategoryValue } from '../../kit/domain.js';
import { queryRows } from '../../kit/raw-sql.js';
import { assertUuid, cleanText } from '../../kit/validation.js';
import { PathwayEndReason, PathwayEntity, PathwayStatus } from '../entities/pathway.entity.js';
import { PhysicianMessageEntity, PhysicianMessageKind } from '../entities/physician-message.entity.js';
import type { WorkAuthorisationParams } from './localised-text.js';
import {
  AuthorisationDecision,
  AuthorisationReason,
  ContractType,
  EmploymentContractEntity,
  EmploymentEndReason,
  WorkAuthorisationEntity,
} from '../entities/work-authorisation.entity.js';
import { assertNotBeforeRegistration, pathwayTarget } from './pathway.service.js';

export interface ContractRequest {
  pathwayId: string;
  employer: string;
  employerNumber: string;
  jobFunction: string;
  startsOn: string;
  endsOn?: string | null;
  weeklyHours: number;
  contractType: ContractType;
  openLabourMarket?: boolean | null;
  paidAtLeastMinimumWage?: boolean | null;
  reservedForDisabledPeople?: boolean | null;
}

export interface EndEpisodeRequest {
  contractId: string;
  endedOn: string;
  reason: EmploymentEndReason;
}

/** Belgian enterprise number (BCE/KBO): 10 digits, starting 0 or 1, check = 97 − (first 8 mod 97). */
export function checkEnterpriseNumber(input: string): string | undefined {
  const digits = input.replace(/[\s.]/g, '').replace(/^BE/i, '');
  if (!/^[01]\d{9}$/.test(digits)) return undefined;
  return 97 - (Number(digits.slice(0, 8)) % 97) === Number(digits.slice(8)) ? digits : undefined;
}

/** Which authorisation a contract needs, given the earlier ones of the pathway (R15). */
export function authorisationReason(
  contract: { contractType: ContractType; employerNumber: string; jobFunction: string },
  earlier: EmploymentContractEntity[],
): AuthorisationReason | undefined {
  if (contract.contractType === ContractType.IN_COMPANY_TRAINING) return undefined;
  const previous = earlier.filter((c) => c.contractType !== ContractType.IN_COMPANY_TRAINING).at(-1);
  if (!previous) return AuthorisationReason.FIRST_CONTRACT;
  if (previous.employerNumber !== contract.employerNumber) return AuthorisationReason.NEW_EMPLOYER;
  const same = (a: string, b: string) => a.trim().toLocaleLowerCase('fr-BE') === b.trim().toLocaleLowerCase('fr-BE');
  return same(previous.jobFunction, contract.jobFunction) ? undefined : AuthorisationReason.NEW_FUNCTION;
}

/** Checks a contract; names the offending field. */
export function validateContract(request: ContractRequest) {
  const pathwayId = assertUuid('input.pathwayId', request.pathwayId);
  const employer = cleanText('input.employer', request.employer, { max: 200 });
  const employerNumber = checkEnterpriseNumber(request.employerNumber);
  if (!employerNumber) throw new InvalidInputError('input.employerNumber', { id: 'contract.employerNumber' });
  const jobFunction = cleanText('input.jobFunction', request.jobFunction, { max: 200 });
  if (!(request.weeklyHours > 0 && request.weeklyHours <= 50))
    throw new InvalidInputError('input.weeklyHours', { id: 'contract.weeklyHours' });
  if (request.endsOn && request.endsOn < request.startsOn)
    throw new InvalidInputError('input.endsOn', { id: 'date.beforeStart' });
  if (request.endsOn && request.contractType === ContractType.OPEN_ENDED)
    throw new InvalidInputError('input.endsOn', { id: 'contract.openEndedNoEnd' });
  return { ...request, pathwayId, employer, employerNumber, jobFunction };
}

/**
 * The states the outcome grants read (schema/policy.ts ACTIONS): whether the person has an open pathway (its referent
 * records, R11), and whether an outcome dated `day` lies in their trial follow-up — randomised, research consent in force,
 * not after month 30 nor after a death the pathways recorded (a pathway ended DECEASED).
 */
async function outcomeState(
  tx: CommandTx,
  participantId: string,
  day: string,
): Promise<{ afterPathway: boolean; inFollowUp: boolean }> {
  const [pathways] = await queryRows<{ open: boolean; died_on: string | null }>(
    tx,
    `select bool_or(status = 'OPEN') as open, to_char(min(ended_on) filter (where end_reason = ?), 'YYYY-MM-DD') as died_on
     from pathways.pathway where participant_id = ?`,
    [PathwayEndReason.DECEASED, participantId],
  );
  return {
    afterPathway: !pathways?.open,
    inFollowUp: inFollowUp(await followUpFacts(tx, participantId), day, pathways?.died_on),
  };
}

/** The weekly hours of the jobs running on a day, one row per employer: concurrent jobs are reported apart, never summed into one. */
export interface EmployerHours {
  participantId: string;
  employer: string;
  employerNumber: string;
  weeklyHours: number;
}

/** The jobs held on `day` (started, not ended by then; ended means its recorded end, else its planned end), by employer, in the order they began. */
export function hoursByEmployer(contracts: readonly EmploymentContractEntity[], day: string): EmployerHours[] {
  const byEmployer = new Map<string, EmployerHours>();
  for (const contract of [...contracts].sort((a, b) => a.startsOn.localeCompare(b.startsOn))) {
    const end = contract.endedOn ?? contract.endsOn;
    if (contract.startsOn > day || (end && end < day)) continue;
    const row = byEmployer.get(contract.employerNumber) ?? {
      participantId: contract.participantId,
      employer: contract.employer,
      employerNumber: contract.employerNumber,
      weeklyHours: 0,
    };
    row.weeklyHours += contract.weeklyHours; // one contract at a time per employer: a sum over one
    byEmployer.set(contract.employerNumber, row);
  }
  return [...byEmployer.values()];
}

/**
 * One contract at a time with one employer (R15: a renewal or a new function is a new contract, after the
 * earlier one): a contract whose days meet those of another of the person's contracts with the same
 * employer — its end as recorded, else its planned end, else still running — is refused, naming the
 * start. Jobs with different employers run side by side. Checked under the lock the command path holds
 * on the person's ledger row, so two overlapping contracts recorded at once never both succeed.
 */
async function assertNoOverlapWithEmployer(
  tx: CommandTx,
  participantId: string,
  contract: { employerNumber: string; startsOn: string; endsOn?: string | null },
): Promise<void> {
  const [overlapping] = await queryRows<{ starts_on: string; ends_on: string | null }>(
    tx,
    `select to_char(starts_on, 'YYYY-MM-DD') as starts_on, to_char(coalesce(ended_on, ends_on), 'YYYY-MM-DD') as ends_on
     from pathways.employment_contract
     where participant_id = ? and employer_number = ? and starts_on <= coalesce(?::date, 'infinity'::date) and coalesce(ended_on, ends_on, 'infinity'::date) >= ?::date
     order by starts_on limit 1`,
    [participantId, contract.employerNumber, contract.endsOn ?? null, contract.startsOn],
  );
  if (overlapping) {
    throw new InvalidInputError('input.startsOn', {
      id: 'contract.overlapsSameEmployer',
      params: { startsOn: overlapping.starts_on, endsOn: overlapping.ends_on ?? '…' },
    });
  }
}

export class WorkAuthorisationService {
  constructor(private readonly context: SubgraphContext) {}

  /**
   * A job: recorded by the referent while the pathway is open, by INAMI after it within the trial's follow-up (ACTIONS:
   * who, from the policy alone); the art. 100 §2 request opens by itself when R15 needs one, copied to the physician,
   * whoever records it and whether or not the pathway is open: the person is still on incapacity benefit.
   */
  recordContract(request: ContractRequest, idempotencyKey: string): Promise<EmploymentContractEntity> {
    return runCommand(this.context, {
      action: 'recordEmploymentContract',
      idempotencyKey,
      args: request,
      validate: () => validateContract(request),
      target: async (tx, contract) => {
        const target = await pathwayTarget(tx, contract.pathwayId);
        return (
          target && {
            ...target,
            state: { ...target.state, ...(await outcomeState(tx, target.participantId!, contract.startsOn)) },
          }
        );
      },
      apply: async (tx, input) => {
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id: input.pathwayId });
        assertNotBeforeRegistration(pathway, 'input.startsOn', input.startsOn);
        const physician = tx.ledger(pathway.participantId)?.physicianSubject;
        if (!physician) throw new ConflictError({ id: 'conflict.noPhysicianToAsk' });
        await assertNoOverlapWithEmployer(tx, pathway.participantId, input);
        const earlier = await tx.em.find(
          EmploymentContractEntity,
          { pathwayId: pathway.id },
          { orderBy: { startsOn: 'asc', recordedAt: 'asc' } },
        );
        const contract = tx.em.create(EmploymentContractEntity, {
          pathwayId: pathway.id,
          participantId: pathway.participantId,
          employer: input.employer,
          employerNumber: input.employerNumber,
          jobFunction: input.jobFunction,
          startsOn: input.startsOn,
          endsOn: input.endsOn ?? undefined,
          weeklyHours: input.weeklyHours,
          contractType: input.contractType,
          recordedBy: tx.identity.subject,
          openLabourMarket: input.openLabourMarket ?? undefined,
          paidAtLeastMinimumWage: input.paidAtLeastMinimumWage ?? undefined,
          reservedForDisabledPeople: input.reservedForDisabledPeople ?? undefined,
        });
        const reason = authorisationReason(contract, earlier);
        if (reason) {
          tx.em.create(WorkAuthorisationEntity, {
            contractId: contract.id,
            pathwayId: pathway.id,
            participantId: pathway.participantId,
            reason,
            physicianSubject: physician,
          });
          tx.em.create(PhysicianMessageEntity, {
            participantId: pathway.participantId,
            pathwayId: pathway.id,
            physicianSubject: physician,
            kind: PhysicianMessageKind.WORK_AUTHORISATION_REQUEST,
            body: `Work authorisation requested (art. 100 §2, ${reason}): ${input.jobFunction} at ${input.employer}, from ${input.startsOn}, ${input.weeklyHours} h a week (${input.contractType}).`,
            // Told in the reader's language when read (localised-text.ts); the body above is the record as written.
            messageId: 'physicianMessage.workAuthorisation',
            messageParams: {
              reason,
              jobFunction: input.jobFunction,
              employer: input.employer,
              startsOn: input.startsOn,
              weeklyHours: String(input.weeklyHours),
              contractType: input.contractType,
            } satisfies WorkAuthorisationParams,
            bodyCategory: DataCategoryValue.EMPLOYMENT, // derived from the contract: its category
            sentBy: tx.identity.subject,
          });
        }
        return contract.id;
      },
      answer: (id) => loadFresh(this.context.em, EmploymentContractEntity, id),
    });
  }

  /**
   * How an employment episode ended (an outcome in both arms): recorded by the referent while the episode's pathway is
   * open, by INAMI once none is (a job outlives the pathway; the trial follows people for 30 months), never dated after
   * the follow-up (ACTIONS).
   */
  endEpisode(request: EndEpisodeRequest, idempotencyKey: string): Promise<EmploymentContractEntity> {
    return runCommand(this.context, {
      action: 'endEmploymentEpisode',
      idempotencyKey,
      args: request,
      validate: () => {
        const contractId = assertUuid('input.contractId', request.contractId);
        if (request.endedOn > belgianToday()) throw new InvalidInputError('input.endedOn', { id: 'date.future' });
        return { contractId, endedOn: request.endedOn, reason: request.reason };
      },
      target: async (tx, { contractId, endedOn }) => {
        const episode = await lockById(tx, EmploymentContractEntity, contractId);
        if (!episode) return undefined;
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id: episode.pathwayId });
        return {
          participantId: episode.participantId,
          state: {
            episodeOpen: !episode.endedOn,
            pathwayOpen: pathway.status === PathwayStatus.OPEN,
            ...(await outcomeState(tx, episode.participantId, endedOn)),
          },
        };
      },
      apply: async (tx, { contractId, endedOn, reason }) => {
        const episode = await tx.em.findOneOrFail(EmploymentContractEntity, { id: contractId });
        if (endedOn < episode.startsOn)
          throw new InvalidInputError('input.endedOn', {
            id: 'episode.endBeforeStart',
            params: { startsOn: episode.startsOn },
          });
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id: episode.pathwayId });
        assertNotBeforeRegistration(pathway, 'input.endedOn', endedOn);
        episode.endedOn = endedOn;
        episode.endReason = reason;
        episode.endedBy = tx.identity.subject;
        return episode.id;
      },
      answer: (id) => loadFresh(this.context.em, EmploymentContractEntity, id),
    });
  }

  /**
   * The physician of record decides once (R15); a concurrent second decision is a CONFLICT. A refusal says why (art. 100
   * §2), as a data request's refusal does; the reason carries its category, one the coach and the person may read.
   */
  decide(
    authorisationId: string,
    decision: AuthorisationDecisionRequest,
    idempotencyKey: string,
  ): Promise<WorkAuthorisationEntity> {
    const { granted } = decision;
    return runCommand(this.context, {
      action: 'decideWorkAuthorisation',
      idempotencyKey,
      args: { id: authorisationId, ...decision },
      validate: () => ({ id: assertUuid('id', authorisationId), ...validateDecisionReason(decision) }),
      target: async (tx, { id }) => {
        const authorisation = await lockById(tx, WorkAuthorisationEntity, id);
        return authorisation
          ? {
              participantId: authorisation.participantId,
              state: { authorisationPending: authorisation.decision === AuthorisationDecision.PENDING },
            }
          : undefined;
      },
      apply: async (tx, { id, reason, reasonCategory }) => {
        const authorisation = await tx.em.findOneOrFail(WorkAuthorisationEntity, { id });
        authorisation.decision = granted ? AuthorisationDecision.GRANTED : AuthorisationDecision.REFUSED;
        authorisation.decidedAt = new Date();
        authorisation.decidedBy = tx.identity.subject;
        authorisation.decisionReason = reason ?? undefined;
        authorisation.decisionReasonCategory = reason ? reasonCategory : 'administrative';
        return id;
      },
      answer: (id) => loadFresh(this.context.em, WorkAuthorisationEntity, id),
    });
  }
}

export interface AuthorisationDecisionRequest {
  granted: boolean;
  reason?: string | null;
  reasonCategory?: DataCategoryValue | null;
}

/** A refusal needs its reason (art. 100 §2); the reason's category is one a message may carry, administrative when not said. */
export function validateDecisionReason(request: AuthorisationDecisionRequest): {
  reason: string | null;
  reasonCategory: DataCategory;
} {
  const reason = request.reason?.trim() ? cleanText('reason', request.reason, { max: 2_000, multiline: true }) : null;
  if (!request.granted && !reason) throw new InvalidInputError('reason', { id: 'authorisation.reasonRequired' });
  const reasonCategory = request.reasonCategory ?? DataCategoryValue.ADMINISTRATIVE;
  if (!(FREE_TEXT_CATEGORIES as readonly string[]).includes(reasonCategory))
    throw new InvalidInputError('reasonCategory', {
      id: 'text.categoryOneOf',
      params: { categories: FREE_TEXT_CATEGORIES.join(', ') },
    });
  return { reason, reasonCategory: reasonCategory };
}
