/**
 * The IPS principles as recorded practice (DOMAIN.md "The eight IPS principles"): a coach records each employer
 * contact (job development, principle 8 — on a person's behalf or for the team), each benefits-counselling session
 * (principle 7) and each follow-along support contact once a job has started (principle 6, time-unlimited: also
 * after the pathway's formal end, while the coach still holds the relation and the person's consent lets the
 * partner read them, R18). Who may record what is the policy's (schema/policy.ts ACTIONS); the dates are the domain's.
 */
import { InvalidInputError } from '../../../schema/errors.js';
import { groupedBy } from '../../kit/context.js';
import { loadFresh, runCommand, type CommandTx } from '../../kit/command.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday } from '../../kit/domain.js';
import { queryRows } from '../../kit/raw-sql.js';
import { assertUuid, cleanText } from '../../kit/validation.js';
import { PathwayEntity, PathwayStatus } from '../entities/pathway.entity.js';
import {
  BenefitsCounsellingEntity,
  type BenefitsCounsellingTopic,
  EmployerContactEntity,
  type EmployerContactKind,
  FollowAlongSupportEntity,
  type FollowAlongKind,
} from '../entities/practice.entity.js';
import { assertNotBeforeRegistration, pathwayTarget } from './pathway.service.js';

export interface EmployerContactRequest {
  pathwayId?: string | null;
  contactedOn: string;
  employer: string;
  kind: EmployerContactKind;
}

/** A day of the work: not in the future (a fact recorded, not a plan). */
function pastDay(field: string, day: string, today: string): string {
  if (day > today) throw new InvalidInputError(field, { id: 'date.future' });
  return day;
}

export function validateEmployerContact(request: EmployerContactRequest, today: string = belgianToday()) {
  return {
    pathwayId: request.pathwayId ? assertUuid('input.pathwayId', request.pathwayId) : null,
    contactedOn: pastDay('input.contactedOn', request.contactedOn, today),
    employer: cleanText('input.employer', request.employer, { max: 200 }),
    kind: request.kind,
  };
}

/** An IPS team (its partner's convention code) as a command's target: its job development belongs to it (ownOrganisation). */
async function teamTarget(tx: CommandTx, team: string) {
  const [found] = await queryRows<{ code: string }>(
    tx,
    'select code from billing.published_convention where code = ?',
    [team],
  );
  return found ? { organisation: found.code } : undefined;
}

export const employerContactsByPathway = groupedBy<string, EmployerContactEntity>(
  (ids, { em }) =>
    em.find(EmployerContactEntity, { pathwayId: { $in: [...ids] } }, { orderBy: { contactedOn: 'asc', id: 'asc' } }),
  (contact) => contact.pathwayId ?? '',
);
export const benefitsCounsellingByPathway = groupedBy<string, BenefitsCounsellingEntity>(
  (ids, { em }) =>
    em.find(BenefitsCounsellingEntity, { pathwayId: { $in: [...ids] } }, { orderBy: { heldOn: 'asc', id: 'asc' } }),
  (session) => session.pathwayId,
);
export const followAlongByPathway = groupedBy<string, FollowAlongSupportEntity>(
  (ids, { em }) =>
    em.find(FollowAlongSupportEntity, { pathwayId: { $in: [...ids] } }, { orderBy: { supportedOn: 'asc', id: 'asc' } }),
  (support) => support.pathwayId,
);

export class PracticeService {
  constructor(private readonly context: SubgraphContext) {}

  /** An employer contact on one person's behalf (principles 5 and 8): their referent coach, or the partner's supervisor. */
  recordEmployerContact(request: EmployerContactRequest, idempotencyKey: string): Promise<EmployerContactEntity> {
    return runCommand(this.context, {
      action: 'recordEmployerContact',
      idempotencyKey,
      args: request,
      validate: () => {
        const input = validateEmployerContact(request);
        if (!input.pathwayId) throw new InvalidInputError('input.pathwayId', { id: 'input.invalidId' });
        return { ...input, pathwayId: input.pathwayId };
      },
      target: (tx, input) => pathwayTarget(tx, input.pathwayId),
      apply: async (tx, input) => {
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id: input.pathwayId });
        assertNotBeforeRegistration(pathway, 'input.contactedOn', input.contactedOn);
        return tx.em.create(EmployerContactEntity, {
          ipsPartner: pathway.ipsPartner,
          pathwayId: pathway.id,
          participantId: pathway.participantId,
          contactedOn: input.contactedOn,
          employer: input.employer,
          kind: input.kind,
          jobCoach: tx.identity.subject,
        }).id;
      },
      answer: (id) => loadFresh(this.context.em, EmployerContactEntity, id),
    });
  }

  /** Job development for the team generally (principle 8): no person named; the caller's own team (ACTIONS: ownOrganisation). */
  recordJobDevelopmentContact(
    request: Omit<EmployerContactRequest, 'pathwayId'> & { team: string },
    idempotencyKey: string,
  ): Promise<EmployerContactEntity> {
    return runCommand(this.context, {
      action: 'recordJobDevelopmentContact',
      idempotencyKey,
      args: request,
      validate: () => ({
        ...validateEmployerContact(request),
        team: cleanText('input.team', request.team, { max: 40 }),
      }),
      target: (tx, input) => teamTarget(tx, input.team),
      apply: (tx, input) =>
        Promise.resolve(
          tx.em.create(EmployerContactEntity, {
            ipsPartner: input.team,
            contactedOn: input.contactedOn,
            employer: input.employer,
            kind: input.kind,
            jobCoach: tx.identity.subject,
          }).id,
        ),
      answer: (id) => loadFresh(this.context.em, EmployerContactEntity, id),
    });
  }

  /** A benefits-counselling session (principle 7, work-incentives planning) while the pathway is open. */
  recordBenefitsCounselling(
    request: { pathwayId: string; heldOn: string; topic: BenefitsCounsellingTopic },
    idempotencyKey: string,
  ): Promise<BenefitsCounsellingEntity> {
    return runCommand(this.context, {
      action: 'recordBenefitsCounselling',
      idempotencyKey,
      args: request,
      validate: () => ({
        pathwayId: assertUuid('input.pathwayId', request.pathwayId),
        heldOn: pastDay('input.heldOn', request.heldOn, belgianToday()),
        topic: request.topic,
      }),
      target: (tx, input) => pathwayTarget(tx, input.pathwayId),
      apply: async (tx, input) => {
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id: input.pathwayId });
        assertNotBeforeRegistration(pathway, 'input.heldOn', input.heldOn);
        return tx.em.create(BenefitsCounsellingEntity, {
          pathwayId: pathway.id,
          participantId: pathway.participantId,
          heldOn: input.heldOn,
          topic: input.topic,
          counsellor: tx.identity.subject,
        }).id;
      },
      answer: (id) => loadFresh(this.context.em, BenefitsCounsellingEntity, id),
    });
  }

  /**
   * Follow-along support once a job has started (principle 6): on or after the start of a job the pathway recorded,
   * and — time-unlimited — after the pathway's formal end too (R16 ends the pathway, not the partner's support).
   */
  recordFollowAlongSupport(
    request: { pathwayId: string; supportedOn: string; kind: FollowAlongKind },
    idempotencyKey: string,
  ): Promise<FollowAlongSupportEntity> {
    return runCommand(this.context, {
      action: 'recordFollowAlongSupport',
      idempotencyKey,
      args: request,
      validate: () => ({
        pathwayId: assertUuid('input.pathwayId', request.pathwayId),
        supportedOn: pastDay('input.supportedOn', request.supportedOn, belgianToday()),
        kind: request.kind,
      }),
      target: (tx, input) => pathwayTarget(tx, input.pathwayId),
      apply: async (tx, input) => {
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id: input.pathwayId });
        assertNotBeforeRegistration(pathway, 'input.supportedOn', input.supportedOn);
        const [job] = await queryRows<{ started: boolean }>(
          tx,
          'select exists (select 1 from pathways.employment_contract where pathway_id = ? and starts_on <= ?) as started',
          [pathway.id, input.supportedOn],
        );
        if (!job?.started) throw new InvalidInputError('input.supportedOn', { id: 'practice.noJobStarted' });
        return tx.em.create(FollowAlongSupportEntity, {
          pathwayId: pathway.id,
          participantId: pathway.participantId,
          supportedOn: input.supportedOn,
          kind: input.kind,
          afterPathwayEnd:
            pathway.status !== PathwayStatus.OPEN && input.supportedOn > (pathway.endedOn ?? input.supportedOn),
          jobCoach: tx.identity.subject,
        }).id;
      },
      answer: (id) => loadFresh(this.context.em, FollowAlongSupportEntity, id),
    });
  }
}
