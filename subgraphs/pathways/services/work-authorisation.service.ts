/**
 * Work authorisation (R15): each employment contract under the law of 3 July 1978 needs a
 * request to the advising physician (art. 100 §2 of the coordinated law of 14 July 1994)
 * and their decision; a new function with the same employer, or a new employer, needs a
 * new one. The system tells which from the pathway's earlier contracts and opens the
 * request itself, copied to the physician's follow-up file (R14), in one transaction.
 * An in-company training is no contract: recorded, but no authorisation.
 */
import { ConflictError, InvalidInputError, NotFoundError } from '../../../schema/errors.js';
import type { Identity } from '../../../schema/identity.js';
import { visibleOrNull } from '../../kit/access/guard.js';
import { ledgerByParticipant } from '../../kit/access/ledger.js';
import type { SubgraphContext } from '../../kit/context.js';
import { assertUuid } from '../../kit/validation.js';
import { PathwayStatus } from '../entities/pathway.entity.js';
import { PhysicianMessageEntity, PhysicianMessageKind } from '../entities/physician-message.entity.js';
import { AuthorisationDecision, AuthorisationReason, ContractType, EmploymentContractEntity, WorkAuthorisationEntity } from '../entities/work-authorisation.entity.js';
import { pathwaysById } from './pathway.service.js';

export interface ContractRequest {
  pathwayId: string;
  employer: string;
  employerNumber: string;
  jobFunction: string;
  startsOn: string;
  endsOn?: string | null;
  weeklyHours: number;
  contractType: ContractType;
}

/** Belgian enterprise number (BCE/KBO): 10 digits, starting 0 or 1, check = 97 − (first 8 mod 97). */
export function checkEnterpriseNumber(input: string): string | undefined {
  const digits = input.replace(/[\s.]/g, '').replace(/^BE/i, '');
  if (!/^[01]\d{9}$/.test(digits)) return undefined;
  return 97 - (Number(digits.slice(0, 8)) % 97) === Number(digits.slice(8)) ? digits : undefined;
}

/** Which authorisation a contract needs, given the earlier ones of the pathway (R15). */
export function authorisationReason(contract: { contractType: ContractType; employerNumber: string; jobFunction: string }, earlier: EmploymentContractEntity[]): AuthorisationReason | undefined {
  if (contract.contractType === ContractType.IN_COMPANY_TRAINING) return undefined;
  const previous = earlier.filter((c) => c.contractType !== ContractType.IN_COMPANY_TRAINING).at(-1);
  if (!previous) return AuthorisationReason.FIRST_CONTRACT;
  if (previous.employerNumber !== contract.employerNumber) return AuthorisationReason.NEW_EMPLOYER;
  const same = (a: string, b: string) => a.trim().toLocaleLowerCase('fr-BE') === b.trim().toLocaleLowerCase('fr-BE');
  return same(previous.jobFunction, contract.jobFunction) ? undefined : AuthorisationReason.NEW_FUNCTION;
}

export class WorkAuthorisationService {
  constructor(private readonly context: SubgraphContext) {}

  async recordContract(request: ContractRequest, coach: Identity): Promise<EmploymentContractEntity> {
    const pathway = await visibleOrNull(this.context, 'Pathway', await this.context.loaders.load(pathwaysById, assertUuid('input.pathwayId', request.pathwayId)));
    if (!pathway || pathway.jobCoach !== coach.subject) throw new NotFoundError('Pathway');
    if (pathway.status !== PathwayStatus.OPEN) throw new ConflictError('The pathway has ended');
    const employer = request.employer.trim();
    if (employer.length === 0 || employer.length > 200) throw new InvalidInputError('input.employer', 'must be 1 to 200 characters');
    const employerNumber = checkEnterpriseNumber(request.employerNumber);
    if (!employerNumber) throw new InvalidInputError('input.employerNumber', 'is not a valid Belgian enterprise number (BCE/KBO: 10 digits, check mod 97)');
    const jobFunction = request.jobFunction.trim();
    if (jobFunction.length === 0 || jobFunction.length > 200) throw new InvalidInputError('input.jobFunction', 'must be 1 to 200 characters');
    if (!(request.weeklyHours > 0 && request.weeklyHours <= 50)) throw new InvalidInputError('input.weeklyHours', 'must be more than 0 and at most 50');
    if (request.endsOn && request.endsOn < request.startsOn) throw new InvalidInputError('input.endsOn', 'is before the start');
    if (request.endsOn && request.contractType === ContractType.OPEN_ENDED) throw new InvalidInputError('input.endsOn', 'an open-ended contract has no end date');
    const physician = (await this.context.loaders.load(ledgerByParticipant, pathway.participantId))?.physicianSubject;
    if (!physician) throw new ConflictError('The person has no physician of record to ask (R15)');

    return this.context.em.transactional(async (em) => {
      const earlier = await em.find(EmploymentContractEntity, { pathwayId: pathway.id }, { orderBy: { startsOn: 'asc', recordedAt: 'asc' } });
      const contract = em.create(EmploymentContractEntity, {
        pathwayId: pathway.id,
        participantId: pathway.participantId,
        employer,
        employerNumber,
        jobFunction,
        startsOn: request.startsOn,
        endsOn: request.endsOn ?? undefined,
        weeklyHours: request.weeklyHours,
        contractType: request.contractType,
        recordedBy: coach.subject,
      });
      const reason = authorisationReason(contract, earlier);
      if (reason) {
        em.create(WorkAuthorisationEntity, { contractId: contract.id, pathwayId: pathway.id, participantId: pathway.participantId, reason, physicianSubject: physician });
        em.create(PhysicianMessageEntity, {
          participantId: pathway.participantId,
          pathwayId: pathway.id,
          physicianSubject: physician,
          kind: PhysicianMessageKind.WORK_AUTHORISATION_REQUEST,
          body: `Work authorisation requested (art. 100 §2, ${reason}): ${jobFunction} at ${employer}, from ${request.startsOn}, ${request.weeklyHours} h a week (${request.contractType}).`,
          sentBy: coach.subject,
        });
      }
      return contract;
    });
  }

  async decide(authorisationId: string, granted: boolean, physician: Identity): Promise<WorkAuthorisationEntity> {
    const authorisation = await visibleOrNull(this.context, 'WorkAuthorisation', await this.context.em.findOne(WorkAuthorisationEntity, { id: assertUuid('id', authorisationId) }));
    if (!authorisation || authorisation.physicianSubject !== physician.subject) throw new NotFoundError('Work authorisation');
    if (authorisation.decision !== AuthorisationDecision.PENDING) throw new ConflictError(`Already decided: ${authorisation.decision}`);
    authorisation.decision = granted ? AuthorisationDecision.GRANTED : AuthorisationDecision.REFUSED;
    authorisation.decidedAt = new Date();
    authorisation.decidedBy = physician.subject;
    await this.context.em.flush();
    return authorisation;
  }
}
