/**
 * INAMI's intake (R5), the forwarding of each randomised form to the SRE of the person's
 * region, into its IPS or IPS control group mailbox (R7), the SRE's inbox, and the free
 * job seeker registration the SRE records (R3).
 */
import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { ConflictError, InvalidInputError, NotFoundError } from '../../../schema/errors.js';
import type { Identity } from '../../../schema/identity.js';
import { categoryOf } from '../../../schema/policy.js';
import { accessCondition } from '../../kit/access/decide.js';
import { visibleOrNull } from '../../kit/access/guard.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday, EMPLOYMENT_SERVICE_OF, type Region } from '../../kit/domain.js';
import { findInOrder, queryRows } from '../../kit/raw-sql.js';
import { assertUuid } from '../../kit/validation.js';
import { PathwayEntity, PathwayStatus } from '../entities/pathway.entity.js';
import { JobSeekerRegistrationEntity, Mailbox, SreInboxItemEntity } from '../entities/routing.entity.js';
import { pathwaysById } from './pathway.service.js';

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

  /** Referrals that reached INAMI's intake and have no pathway yet, oldest first (R4, R5). */
  async intakeQueue(identity: Identity, first: number, offset: number): Promise<IntakeItem[]> {
    const visible = accessCondition(identity, categoryOf('IntakeItem', 'referralId')!);
    const rows = await queryRows<{ referralId: string; participantId: string; region: Region; receivedAt: Date | string }>(
      this.context,
      `select r.referral_id as "referralId", r.participant_id as "participantId", r.region, r.submitted_at as "receivedAt"
       from participants.published_referral r
       join access.ledger l on l.participant_id = r.participant_id
       where not r.superseded and not exists (select 1 from pathways.pathway p where p.referral_id = r.referral_id) and ${visible.sql}
       order by r.submitted_at, r.referral_id limit ? offset ?`,
      [...visible.params, first, offset],
    );
    return rows.map((row) => ({ ...row, receivedAt: new Date(row.receivedAt) }));
  }

  /** Forwards a randomised pathway's form to its SRE mailbox (R7); forwarding twice returns the first. */
  async route(pathwayId: string, inami: Identity): Promise<SreInboxItemEntity> {
    const pathway = await this.visiblePathway(assertUuid('pathwayId', pathwayId));
    const existing = await this.context.em.findOne(SreInboxItemEntity, { pathwayId: pathway.id });
    if (existing) return existing;
    const [allocation] = await queryRows<{ arm: string }>(this.context, 'select arm from research.published_allocation where participant_id = ?', [pathway.participantId]);
    if (!allocation) throw new ConflictError('The person is not randomised yet: INAMI randomises (R6) before forwarding the form (R7)');
    const [referral] = await queryRows<{ region: Region }>(this.context, 'select region from participants.published_referral where referral_id = ?', [pathway.referralId]);
    const item = this.context.em.create(SreInboxItemEntity, {
      pathwayId: pathway.id,
      participantId: pathway.participantId,
      referralId: pathway.referralId,
      employmentService: EMPLOYMENT_SERVICE_OF[referral!.region],
      mailbox: MAILBOX_OF_ARM[allocation.arm]!,
      routedBy: inami.subject,
    });
    try {
      await this.context.em.flush();
      return item;
    } catch (error) {
      if (!(error instanceof UniqueConstraintViolationException)) throw error;
      this.context.em.clear();
      return this.context.em.findOneOrFail(SreInboxItemEntity, { pathwayId: pathway.id }); // forwarded concurrently
    }
  }

  /** The SRE's mailbox: forms of its region's people whose consent covers it (R7, R18). */
  async inbox(identity: Identity, filter: { mailbox?: Mailbox; unacknowledgedOnly: boolean; first: number; offset: number }): Promise<SreInboxItemEntity[]> {
    const visible = accessCondition(identity, categoryOf('SreInboxItem', 'id')!);
    const rows = await queryRows<{ id: string }>(
      this.context,
      `select i.id from pathways.sre_inbox_item i join access.ledger l on l.participant_id = i.participant_id
       where i.employment_service = ? and ${visible.sql}
       ${filter.mailbox ? 'and i.mailbox = ?' : ''} ${filter.unacknowledgedOnly ? 'and i.acknowledged_at is null' : ''}
       order by i.arrived_at, i.id limit ? offset ?`,
      [identity.organisation, ...visible.params, ...(filter.mailbox ? [filter.mailbox] : []), filter.first, filter.offset],
    );
    return findInOrder(this.context.em, SreInboxItemEntity, rows.map((row) => row.id));
  }

  async acknowledge(itemId: string, sre: Identity): Promise<SreInboxItemEntity> {
    const item = await visibleOrNull(this.context, 'SreInboxItem', await this.context.em.findOne(SreInboxItemEntity, { id: assertUuid('id', itemId) }));
    if (!item || item.employmentService !== sre.organisation) throw new NotFoundError('Inbox item');
    if (!item.acknowledgedAt) {
      item.acknowledgedAt = new Date();
      item.acknowledgedBy = sre.subject;
      await this.context.em.flush();
    }
    return item;
  }

  /** The SRE records the person's free job seeker registration under the convention's code (R3). */
  async recordJobSeekerRegistration(input: { pathwayId: string; conventionCode: string; registeredOn: string }, sre: Identity): Promise<JobSeekerRegistrationEntity> {
    const pathway = await this.visiblePathway(assertUuid('input.pathwayId', input.pathwayId), 'input.pathwayId');
    const conventionCode = input.conventionCode.trim().toUpperCase();
    if (!CONVENTION_CODE.test(conventionCode)) throw new InvalidInputError('input.conventionCode', 'must be the convention\'s code: 2 to 40 letters, digits or dashes');
    if (input.registeredOn > belgianToday()) throw new InvalidInputError('input.registeredOn', 'is in the future');
    const [referral] = await queryRows<{ region: Region }>(this.context, 'select region from participants.published_referral where referral_id = ?', [pathway.referralId]);
    if (EMPLOYMENT_SERVICE_OF[referral!.region] !== sre.organisation) throw new NotFoundError('Pathway');
    if (await this.context.em.findOne(JobSeekerRegistrationEntity, { pathwayId: pathway.id })) {
      throw new ConflictError('The free job seeker registration of this pathway is already recorded');
    }
    const registration = this.context.em.create(JobSeekerRegistrationEntity, {
      pathwayId: pathway.id,
      participantId: pathway.participantId,
      employmentService: sre.organisation,
      conventionCode,
      registeredOn: input.registeredOn,
      recordedBy: sre.subject,
    });
    try {
      await this.context.em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) throw new ConflictError('The free job seeker registration of this pathway is already recorded');
      throw error;
    }
    return registration;
  }

  /** An open pathway the caller may see; hidden and absent look alike. */
  private async visiblePathway(id: string, field = 'pathwayId'): Promise<PathwayEntity> {
    const pathway = await visibleOrNull(this.context, 'Pathway', await this.context.loaders.load(pathwaysById, id));
    if (!pathway) throw new NotFoundError('Pathway');
    if (pathway.status !== PathwayStatus.OPEN) throw new InvalidInputError(field, 'the pathway has ended');
    return pathway;
  }
}
