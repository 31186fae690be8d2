/**
 * The staff directory: the organisations of the pilot and their people, each maintained by
 * the organisation's own role (schema/policy.ts STAFF_FUNCTIONS). Physicians of record and
 * referent coaches are directory entries, matched on organisation and subject.
 */
import { ConflictError, InvalidInputError, NotFoundError } from '../../../schema/errors.js';
import type { Identity } from '../../../schema/identity.js';
import { STAFF_FUNCTIONS } from '../../../schema/policy.js';
import { loadFresh, runCommand, type CommandTx } from '../../kit/command.js';
import type { SubgraphContext } from '../../kit/context.js';
import { cleanText } from '../../kit/validation.js';
import { OrganisationEntity, StaffMemberEntity, type StaffFunctionValue } from '../entities/staff.entity.js';

export interface EnrolmentRequest {
  subject: string;
  function: StaffFunctionValue;
  displayName: string;
}

/** Checks an enrolment; names the offending field. */
export function validateEnrolment(request: EnrolmentRequest): EnrolmentRequest {
  const subject = cleanText('input.subject', request.subject, { max: 200 });
  if (!/^[\p{L}\p{N}._@:-]+$/u.test(subject)) throw new InvalidInputError('input.subject', { id: 'staff.subject' });
  return {
    subject,
    function: request.function,
    displayName: cleanText('input.displayName', request.displayName, { max: 200 }),
  };
}

/** The caller's own organisation, as a command target. */
async function ownOrganisation(tx: CommandTx) {
  const organisation = await tx.em.findOne(OrganisationEntity, { code: tx.identity.organisation });
  return organisation ? { organisation: organisation.code } : undefined;
}

export class StaffService {
  constructor(private readonly context: SubgraphContext) {}

  enrol(request: EnrolmentRequest, idempotencyKey: string): Promise<StaffMemberEntity> {
    return runCommand(this.context, {
      action: 'enrolStaffMember',
      idempotencyKey,
      args: request,
      validate: () => validateEnrolment(request),
      variant: (input) => input.function,
      target: ownOrganisation,
      apply: async (tx, input) => {
        const organisation = await tx.em.findOneOrFail(OrganisationEntity, { code: tx.identity.organisation });
        const expected: string = STAFF_FUNCTIONS[input.function].organisationKind;
        const kind: string = organisation.kind;
        if (kind !== expected)
          throw new InvalidInputError('input.function', {
            id: 'staff.wrongOrganisationKind',
            params: { function: input.function, expected, kind: organisation.kind },
          });
        if (
          await tx.em.findOne(StaffMemberEntity, {
            organisation,
            subject: input.subject,
            function: input.function,
            endedAt: null,
          })
        ) {
          throw new ConflictError({
            id: 'conflict.staffAlreadyEnrolled',
            params: { subject: input.subject, function: input.function },
          });
        }
        const member = tx.em.create(StaffMemberEntity, { organisation, ...input, enrolledBy: tx.identity.subject });
        return member.id;
      },
      answer: (id) => loadFresh(this.context.em, StaffMemberEntity, id),
    });
  }

  end(subject: string, staffFunction: StaffFunctionValue, idempotencyKey: string): Promise<StaffMemberEntity> {
    return runCommand(this.context, {
      action: 'endStaffMembership',
      idempotencyKey,
      args: { subject, function: staffFunction },
      validate: () => ({ subject: cleanText('subject', subject, { max: 200 }), function: staffFunction }),
      variant: (input) => input.function,
      target: ownOrganisation,
      apply: async (tx, input) => {
        const member = await tx.em.findOne(StaffMemberEntity, {
          organisation: { code: tx.identity.organisation },
          subject: input.subject,
          function: input.function,
          endedAt: null,
        });
        if (!member) throw new NotFoundError('Staff member');
        member.endedAt = new Date();
        member.endedBy = tx.identity.subject;
        return member.id;
      },
      answer: (id) => loadFresh(this.context.em, StaffMemberEntity, id),
    });
  }

  /** The caller's own organisation's people. */
  async directory(
    caller: Identity,
    filter: { function?: StaffFunctionValue; includeEnded: boolean },
  ): Promise<StaffMemberEntity[]> {
    return this.context.em.find(
      StaffMemberEntity,
      {
        organisation: { code: caller.organisation },
        ...(filter.function ? { function: filter.function } : {}),
        ...(filter.includeEnded ? {} : { endedAt: null }),
      },
      { orderBy: { function: 'asc', displayName: 'asc', id: 'asc' }, limit: 1000 },
    );
  }
}
