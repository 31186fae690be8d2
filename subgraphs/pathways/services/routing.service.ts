/**
 * INAMI's intake (R5), the forwarding of each randomised form to the SRE of the person's
 * region, into its IPS or IPS control group mailbox (R7), the SRE's inbox, and the free
 * job seeker registration the SRE records (R3).
 */
import { InvalidInputError } from '../../../schema/errors.js';
import { loadFresh, lockById, runCommand } from '../../kit/command.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday, EMPLOYMENT_SERVICE_OF, type Region } from '../../kit/domain.js';
import { queryRows } from '../../kit/raw-sql.js';
import { assertUuid } from '../../kit/validation.js';
import { PathwayEntity } from '../entities/pathway.entity.js';
import { JobSeekerRegistrationEntity, Mailbox, SreInboxItemEntity } from '../entities/routing.entity.js';
import { pathwayTarget } from './pathway.service.js';

export interface IntakeItem {
  referralId: string;
  participantId: string;
  region: Region;
  receivedAt: Date;
}

const MAILBOX_OF_ARM: Record<string, Mailbox> = { IPS: Mailbox.IPS, CONTROL: Mailbox.IPS_CONTROL_GROUP };
const CONVENTION_CODE = /^[A-Z0-9][A-Z0-9-]{1,39}$/;

export class RoutingService {
  constructor(private readonly context: SubgraphContext) {}

  /** Forwards a randomised pathway's form to the SRE of the person's region, into the mailbox of their arm (R7). */
  route(pathwayId: string, idempotencyKey: string): Promise<SreInboxItemEntity> {
    return runCommand(this.context, {
      action: 'routeToEmploymentService',
      idempotencyKey,
      args: { pathwayId },
      validate: () => assertUuid('pathwayId', pathwayId),
      target: pathwayTarget,
      apply: async (tx, id) => {
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id });
        const [referral] = await queryRows<{ region: Region }>(tx, 'select region from participants.published_referral where referral_id = ?', [pathway.referralId]);
        const item = tx.em.create(SreInboxItemEntity, {
          pathwayId: pathway.id,
          participantId: pathway.participantId,
          referralId: pathway.referralId,
          employmentService: EMPLOYMENT_SERVICE_OF[referral!.region],
          mailbox: MAILBOX_OF_ARM[tx.ledger(pathway.participantId)!.trialArm!]!,
          routedBy: tx.identity.subject,
        });
        return item.id;
      },
      answer: (id) => loadFresh(this.context.em, SreInboxItemEntity, id),
    });
  }

  acknowledge(itemId: string, idempotencyKey: string): Promise<SreInboxItemEntity> {
    return runCommand(this.context, {
      action: 'acknowledgeInboxItem',
      idempotencyKey,
      args: { itemId },
      validate: () => assertUuid('id', itemId),
      target: async (tx, id) => {
        const item = await lockById(tx, SreInboxItemEntity, id);
        return item ? { participantId: item.participantId, state: { itemUnacknowledged: !item.acknowledgedAt } } : undefined;
      },
      apply: async (tx, id) => {
        const item = await tx.em.findOneOrFail(SreInboxItemEntity, { id });
        item.acknowledgedAt = new Date();
        item.acknowledgedBy = tx.identity.subject;
        return id;
      },
      answer: (id) => loadFresh(this.context.em, SreInboxItemEntity, id),
    });
  }

  /** The SRE records the person's free job seeker registration under the convention's code (R3). */
  recordJobSeekerRegistration(input: { pathwayId: string; conventionCode: string; registeredOn: string }, idempotencyKey: string): Promise<JobSeekerRegistrationEntity> {
    return runCommand(this.context, {
      action: 'recordJobSeekerRegistration',
      idempotencyKey,
      args: input,
      validate: () => {
        const pathwayId = assertUuid('input.pathwayId', input.pathwayId);
        const conventionCode = input.conventionCode.trim().toUpperCase();
        if (!CONVENTION_CODE.test(conventionCode)) throw new InvalidInputError('input.conventionCode', { id: 'routing.conventionCode' });
        if (input.registeredOn > belgianToday()) throw new InvalidInputError('input.registeredOn', { id: 'date.future' });
        return { pathwayId, conventionCode, registeredOn: input.registeredOn };
      },
      target: (tx, { pathwayId }) => pathwayTarget(tx, pathwayId),
      apply: async (tx, { pathwayId, conventionCode, registeredOn }) => {
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id: pathwayId });
        const registration = tx.em.create(JobSeekerRegistrationEntity, {
          pathwayId: pathway.id,
          participantId: pathway.participantId,
          employmentService: tx.identity.organisation,
          conventionCode,
          registeredOn,
          recordedBy: tx.identity.subject,
        });
        return registration.id;
      },
      answer: (id) => loadFresh(this.context.em, JobSeekerRegistrationEntity, id),
    });
  }
}
