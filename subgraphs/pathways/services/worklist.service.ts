/**
 * The worklists of the pathway's actors (R5, R7, R8, R10, R11, R13–R15) as keyset-paginated
 * connections (kit/connection.ts), and the lookup by registry number. Which rows each holds is
 * the policy's decision (accessCondition: the role's CIRCLE relation and the person's consent, as
 * for a read by id); a list only adds what it is about (what is addressed to the caller, a state).
 */
import type { ConnectionArguments } from 'graphql-relay';
import { InvalidInputError } from '../../../schema/errors.js';
import { categoryOf, NOTICES, ORGANISATION_RECORDS } from '../../../schema/policy.js';
import { accessCondition, relationCondition } from '../../kit/access/decide.js';
import { visibleOrNull } from '../../kit/access/guard.js';
import { connection, type ConnectionValue, type KeysetRow, type KeysetSource } from '../../kit/connection.js';
import type { SubgraphContext } from '../../kit/context.js';
import type { Region } from '../../kit/domain.js';
import { findInOrder } from '../../kit/raw-sql.js';
import { WelcomeSessionEntity } from '../entities/follow-up.entity.js';
import { PathwayActEntity, PathwayActKind } from '../entities/pathway-act.entity.js';
import { PathwayEntity } from '../entities/pathway.entity.js';
import { PhysicianMessageEntity } from '../entities/physician-message.entity.js';
import { Mailbox, SreInboxItemEntity } from '../entities/routing.entity.js';
import { WorkAuthorisationEntity } from '../entities/work-authorisation.entity.js';
import { FORMER_COACHES } from './pathway.service.js';

export enum IntakeStatus {
  WAITING = 'WAITING', // no pathway registered yet (R5)
  REGISTERED = 'REGISTERED',
}

export interface IntakeRow extends KeysetRow {
  referralId: string;
  participantId: string;
  region: Region;
  receivedAt: Date;
}

const REGISTRY_NUMBER = /^IPS-\d{6,}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export class WorklistService {
  constructor(private readonly context: SubgraphContext) {}

  private visible(typeName: string) {
    return accessCondition(this.context.identity, categoryOf(typeName, 'id') ?? categoryOf(typeName, 'referralId')!);
  }

  private byId<T extends { id: string }>(entity: new () => T) {
    return (rows: KeysetRow[]) =>
      findInOrder(
        this.context.em,
        entity as never,
        rows.map((row) => row.id),
      ) as Promise<T[]>;
  }

  /** INAMI's intake (R4, R5), newest first, by region, state and day received (Belgian days). */
  intakeQueue(
    args: ConnectionArguments,
    filter: { region?: Region; status: IntakeStatus; receivedFrom?: string; receivedTo?: string },
  ): Promise<ConnectionValue<IntakeRow>> {
    if (filter.receivedFrom && filter.receivedTo && filter.receivedFrom > filter.receivedTo)
      throw new InvalidInputError('receivedTo', { id: 'date.beforeOther', params: { other: 'receivedFrom' } });
    const visible = this.visible('IntakeItem');
    const where = [
      'not r.superseded',
      `${filter.status === IntakeStatus.WAITING ? 'not ' : ''}exists (select 1 from pathways.pathway p where p.referral_id = r.referral_id)`,
      visible.sql,
    ];
    const params: unknown[] = [...visible.params];
    if (filter.region) (where.push('r.region = ?'), params.push(filter.region));
    if (filter.receivedFrom)
      (where.push(`r.submitted_at >= (?::date)::timestamp at time zone 'Europe/Brussels'`),
        params.push(filter.receivedFrom));
    if (filter.receivedTo)
      (where.push(`r.submitted_at < ((?::date) + 1)::timestamp at time zone 'Europe/Brussels'`),
        params.push(filter.receivedTo));
    const source: KeysetSource = {
      from: 'participants.published_referral r join access.ledger l on l.participant_id = r.participant_id',
      where,
      params,
      key: 'r.submitted_at',
      keyType: 'timestamptz',
      id: 'r.referral_id',
      select: `r.participant_id as "participantId", r.region, r.submitted_at as "receivedAt"`,
    };
    return connection<IntakeRow, IntakeRow>(
      this.context,
      source,
      args,
      (rows) => rows.map((row) => ({ ...row, referralId: row.id, receivedAt: new Date(row.receivedAt) })),
      (item) => item.participantId,
    );
  }

  /** The SRE's mailboxes (R7): forms of its region's people whose consent covers it, newest first. */
  sreInbox(
    args: ConnectionArguments,
    filter: { mailbox?: Mailbox; unacknowledgedOnly: boolean },
  ): Promise<ConnectionValue<SreInboxItemEntity>> {
    const visible = this.visible('SreInboxItem');
    const where = ['i.employment_service = ?', visible.sql];
    const params: unknown[] = [this.context.identity.organisation, ...visible.params];
    if (filter.mailbox) (where.push('i.mailbox = ?'), params.push(filter.mailbox));
    if (filter.unacknowledgedOnly) where.push('i.acknowledged_at is null');
    const source: KeysetSource = {
      from: 'pathways.sre_inbox_item i join access.ledger l on l.participant_id = i.participant_id',
      where,
      params,
      key: 'i.arrived_at',
      keyType: 'timestamptz',
      id: 'i.id',
    };
    return connection(this.context, source, args, this.byId(SreInboxItemEntity), (item) => item.participantId);
  }

  /** The physician's follow-up file (R14): what is addressed to them, newest first. */
  physicianInbox(
    args: ConnectionArguments,
    filter: { unreadOnly: boolean; participantId?: string },
  ): Promise<ConnectionValue<PhysicianMessageEntity>> {
    const visible = this.visible('PhysicianMessage');
    // A notice reaches its addressee whatever the consent (NOTICES, R16): e.g. the end of a pathway after a withdrawal.
    const addressee = NOTICES.PhysicianMessage!.addressee;
    const notice =
      addressee.role === this.context.identity.role
        ? relationCondition(this.context.identity, addressee.relation)
        : { sql: 'false', params: [] };
    const where = [
      'm.physician_subject = ?',
      `(${visible.sql} or (m.${NOTICES.PhysicianMessage!.flag} and ${notice.sql}))`,
    ];
    const params: unknown[] = [this.context.identity.subject, ...visible.params, ...notice.params];
    if (filter.unreadOnly) where.push('m.read_at is null');
    if (filter.participantId) (where.push('m.participant_id = ?'), params.push(filter.participantId));
    const source: KeysetSource = {
      from: 'pathways.physician_message m join access.ledger l on l.participant_id = m.participant_id',
      where,
      params,
      key: 'm.sent_at',
      keyType: 'timestamptz',
      id: 'm.id',
    };
    return connection(
      this.context,
      source,
      args,
      this.byId(PhysicianMessageEntity),
      (message) => message.participantId,
      (message) => ({ [NOTICES.PhysicianMessage!.flag]: message.notice }),
    );
  }

  /** Art. 100 §2 requests addressed to the physician and not decided yet (R15), newest first. */
  pendingAuthorisations(args: ConnectionArguments): Promise<ConnectionValue<WorkAuthorisationEntity>> {
    const visible = this.visible('WorkAuthorisation');
    const source: KeysetSource = {
      from: 'pathways.work_authorisation w join access.ledger l on l.participant_id = w.participant_id',
      where: ['w.physician_subject = ?', `w.decision = 'PENDING'`, visible.sql],
      params: [this.context.identity.subject, ...visible.params],
      key: 'w.requested_at',
      keyType: 'timestamptz',
      id: 'w.id',
    };
    return connection(
      this.context,
      source,
      args,
      this.byId(WorkAuthorisationEntity),
      (authorisation) => authorisation.participantId,
    );
  }

  /**
   * Acts of given kinds on the pathways the caller reads, newest first: the coach's inbox of the
   * physician's messages (R14: MESSAGE_TO_JOB_COACH on the pathways they are the referent of) and
   * INAMI's inbox of RP1IPS (R13) and RP1 (R10) forms across the registry.
   */
  actInbox(args: ConnectionArguments, kinds: readonly PathwayActKind[]): Promise<ConnectionValue<PathwayActEntity>> {
    const visible = this.visible('ActInboxItem');
    const source: KeysetSource = {
      from: 'pathways.pathway_act a join access.ledger l on l.participant_id = a.participant_id',
      where: [`a.kind in (${kinds.map(() => '?').join(', ')})`, visible.sql],
      params: [...kinds, ...visible.params],
      key: 'a.recorded_at',
      keyType: 'timestamptz',
      id: 'a.id',
    };
    return connection(this.context, source, args, this.byId(PathwayActEntity), (act) => act.participantId);
  }

  /**
   * The supervisor's IPS-arm pathways without a coach who can follow them (R11), newest first: never
   * assigned, or whose coach no longer holds an active membership of the partner (STAFF: the person
   * who left reads nothing of theirs, so the team takes them over at once).
   */
  unassignedPathways(args: ConnectionArguments): Promise<ConnectionValue<PathwayEntity>> {
    const visible = this.visible('Pathway');
    const partner = this.context.identity.organisation;
    const source: KeysetSource = {
      // Two index reads merged in the page's order: the never-assigned (a partial index of the IPS arm's, migration 029:
      // the control arm's, never assigned, are not in it) and those of coaches who left. The pathway's arm is the ledger's (kept by the database).
      from: `(select * from pathways.pathway where job_coach is null and status = 'OPEN' and trial_arm = 'IPS' and ips_partner = ?
              union all
              select * from pathways.pathway where job_coach in (${FORMER_COACHES}) and status = 'OPEN' and trial_arm = 'IPS' and ips_partner = ?) p
             join access.ledger l on l.participant_id = p.participant_id`,
      // p.ips_partner is the fact partnerSupervisor reads from the ledger.
      where: ['p.ips_partner = l.ips_partner', visible.sql],
      params: [partner, partner, partner, ...visible.params],
      key: 'p.registered_at',
      keyType: 'timestamptz',
      id: 'p.id',
    };
    return connection(this.context, source, args, this.byId(PathwayEntity), (pathway) => pathway.participantId);
  }

  /** Welcome sessions of the caller's organisation (the SRE's own, or its partner's), latest date first. */
  welcomeSessions(
    args: ConnectionArguments,
    filter: { heldFrom?: string },
  ): Promise<ConnectionValue<WelcomeSessionEntity>> {
    // The caller's own organisation's sessions (schema/policy.ts ORGANISATION_RECORDS); none for any other role.
    const property = ORGANISATION_RECORDS.WelcomeSession?.[this.context.identity.role];
    const column = property
      ? (
          this.context.em.getMetadata().get(WelcomeSessionEntity).properties as Record<
            string,
            { fieldNames: string[] } | undefined
          >
        )[property]?.fieldNames[0]
      : undefined;
    const where = [column ? `s.${column} = ?` : 'false'];
    const params: unknown[] = column ? [this.context.identity.organisation] : [];
    if (filter.heldFrom) {
      if (!DAY.test(filter.heldFrom)) throw new InvalidInputError('heldFrom', { id: 'input.day' });
      (where.push('s.held_on >= ?::date'), params.push(filter.heldFrom));
    }
    const source: KeysetSource = {
      from: 'pathways.welcome_session s',
      where,
      params,
      key: 's.held_on',
      keyType: 'date',
      id: 's.id',
    };
    return connection(this.context, source, args, this.byId(WelcomeSessionEntity));
  }

  /** The pathway with this registry number, if the caller may see it; null as for a number never given (R18). */
  async byRegistryNumber(registryNumber: string): Promise<PathwayEntity | null> {
    const number = registryNumber.trim().toUpperCase();
    if (!REGISTRY_NUMBER.test(number)) throw new InvalidInputError('registryNumber', { id: 'input.registryNumber' });
    return visibleOrNull(
      this.context,
      'Pathway',
      await this.context.em.findOne(PathwayEntity, { registryNumber: number }),
    );
  }
}
