/**
 * INAMI's intake (R5), the forwarding of each randomised form to the SRE of the person's
 * region, into its IPS or IPS control group mailbox (R7), the SRE's inbox, and the free
 * job seeker registration the SRE records (R3).
 */
import { InvalidInputError } from '../../../schema/errors.js';
import { loadFresh, lockById, runCommand, type CommandTx } from '../../kit/command.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday, EMPLOYMENT_SERVICE_OF, type Region } from '../../kit/domain.js';
import { queryRows } from '../../kit/raw-sql.js';
import { assertUuid } from '../../kit/validation.js';
import { PathwayEntity } from '../entities/pathway.entity.js';
import {
  JobSeekerRegistrationCorrectionEntity,
  JobSeekerRegistrationEntity,
  Mailbox,
  ReservedRegistrationCodeEntity,
  SreInboxItemEntity,
} from '../entities/routing.entity.js';
import { pathwayTarget } from './pathway.service.js';

export interface IntakeItem {
  referralId: string;
  participantId: string;
  region: Region;
  receivedAt: Date;
}

const MAILBOX_OF_ARM: Record<string, Mailbox> = { IPS: Mailbox.IPS, CONTROL: Mailbox.IPS_CONTROL_GROUP };
const CONVENTION_CODE = /^[A-Z0-9][A-Z0-9-]{1,39}$/;

/** A registration code as the SRE gives it: trimmed, in capitals, of the form a convention's code takes. */
function registrationCode(field: string, given: string): string {
  const code = given.trim().toUpperCase();
  if (!CONVENTION_CODE.test(code)) throw new InvalidInputError(field, { id: 'routing.conventionCode' });
  return code;
}

/**
 * R3: the person registers under the code reserved for the convention their pathway is registered
 * under (pathways.reserved_registration_code); any other code is refused, naming the field.
 */
async function assertReservedCode(tx: CommandTx, field: string, pathway: PathwayEntity, code: string): Promise<void> {
  const reserved = await tx.em.find(ReservedRegistrationCodeEntity, { conventionCode: pathway.ipsPartner });
  if (!reserved.some((row) => row.code === code)) {
    throw new InvalidInputError(field, {
      id: 'routing.conventionCodeNotReserved',
      params: { reserved: reserved.map((row) => row.code).join(', ') },
    });
  }
}

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
        const [referral] = await queryRows<{ region: Region }>(
          tx,
          'select region from participants.published_referral where referral_id = ?',
          [pathway.referralId],
        );
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
        return item
          ? { participantId: item.participantId, state: { itemUnacknowledged: !item.acknowledgedAt } }
          : undefined;
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
  recordJobSeekerRegistration(
    input: { pathwayId: string; conventionCode: string; registeredOn: string },
    idempotencyKey: string,
  ): Promise<JobSeekerRegistrationEntity> {
    return runCommand(this.context, {
      action: 'recordJobSeekerRegistration',
      idempotencyKey,
      args: input,
      validate: () => {
        const pathwayId = assertUuid('input.pathwayId', input.pathwayId);
        const conventionCode = registrationCode('input.conventionCode', input.conventionCode);
        if (input.registeredOn > belgianToday())
          throw new InvalidInputError('input.registeredOn', { id: 'date.future' });
        return { pathwayId, conventionCode, registeredOn: input.registeredOn };
      },
      target: (tx, { pathwayId }) => pathwayTarget(tx, pathwayId),
      apply: async (tx, { pathwayId, conventionCode, registeredOn }) => {
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id: pathwayId });
        await assertReservedCode(tx, 'input.conventionCode', pathway, conventionCode);
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

  /**
   * The SRE corrects a registration (R3): the code, checked against the convention's reserved codes as at
   * the first recording, and the date. The registration is locked, so two corrections queue; each is kept
   * with who made it, when, and the values before and after.
   */
  correctJobSeekerRegistration(
    input: { registrationId: string; conventionCode: string; registeredOn: string },
    idempotencyKey: string,
  ): Promise<JobSeekerRegistrationEntity> {
    return runCommand(this.context, {
      action: 'correctJobSeekerRegistration',
      idempotencyKey,
      args: input,
      validate: () => {
        const registrationId = assertUuid('input.registrationId', input.registrationId);
        const conventionCode = registrationCode('input.conventionCode', input.conventionCode);
        if (input.registeredOn > belgianToday())
          throw new InvalidInputError('input.registeredOn', { id: 'date.future' });
        return { registrationId, conventionCode, registeredOn: input.registeredOn };
      },
      target: async (tx, { registrationId }) => {
        const registration = await lockById(tx, JobSeekerRegistrationEntity, registrationId);
        return registration ? { participantId: registration.participantId } : undefined;
      },
      apply: async (tx, { registrationId, conventionCode, registeredOn }) => {
        const registration = await tx.em.findOneOrFail(JobSeekerRegistrationEntity, { id: registrationId });
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id: registration.pathwayId });
        await assertReservedCode(tx, 'input.conventionCode', pathway, conventionCode);
        if (registration.conventionCode === conventionCode && registration.registeredOn === registeredOn) {
          throw new InvalidInputError('input.conventionCode', { id: 'routing.nothingToCorrect' });
        }
        tx.em.create(JobSeekerRegistrationCorrectionEntity, {
          registrationId,
          participantId: registration.participantId,
          previousConventionCode: registration.conventionCode,
          conventionCode,
          previousRegisteredOn: registration.registeredOn,
          registeredOn,
          correctedBy: tx.identity.subject,
          correctedByOrganisation: tx.identity.organisation,
        });
        registration.conventionCode = conventionCode;
        registration.registeredOn = registeredOn;
        return registrationId;
      },
      answer: (id) => loadFresh(this.context.em, JobSeekerRegistrationEntity, id),
    });
  }
}
