/**
 * After routing, in the IPS arm (R8, R11): the SRE organises a collective welcome session
 * with the region's IPS partner; the partner records who came and, in the same
 * transaction, plans a first individual meeting for every invitee, present or absent —
 * nobody is dropped. The job coach's caseload shows the next due action of each person.
 */
import { InvalidInputError } from '../../../schema/errors.js';
import type { Identity } from '../../../schema/identity.js';
import { categoryOf, REFERENT } from '../../../schema/policy.js';
import { accessCondition, relationCondition, type LedgerRow, type TargetFacts } from '../../kit/access/decide.js';
import { ledgerByParticipant, ledgerColumns } from '../../kit/access/ledger.js';
import { loadFresh, lockById, runCommand } from '../../kit/command.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday } from '../../kit/domain.js';
import { queryRows } from '../../kit/raw-sql.js';
import { assertUuid, cleanText } from '../../kit/validation.js';
import { PathwayEntity, PathwayStatus } from '../entities/pathway.entity.js';
import {
  IndividualMeetingEntity,
  MeetingKind,
  WelcomeInvitationEntity,
  WelcomeSessionEntity,
} from '../entities/follow-up.entity.js';
import { AuthorisationDecision, WorkAuthorisationEntity } from '../entities/work-authorisation.entity.js';
import { assertNotBeforeRegistration, FORMER_COACHES, pathwayTarget } from './pathway.service.js';

export enum NextActionKind {
  FIRST_MEETING_NOT_HELD = 'FIRST_MEETING_NOT_HELD',
  FOLLOW_UP_MEETING_DUE = 'FOLLOW_UP_MEETING_DUE',
  AUTHORISATION_PENDING = 'AUTHORISATION_PENDING',
  NO_CONTACT = 'NO_CONTACT',
  QUESTIONNAIRE_WAVE_DUE = 'QUESTIONNAIRE_WAVE_DUE',
  NONE = 'NONE',
}

export interface NextAction {
  kind: NextActionKind;
  dueOn: string | null;
}

const NO_CONTACT_DAYS = 28;
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A questionnaire wave waiting for the person (R12), as research publishes it: due (window open) or open, not completed. */
export interface WaveDue {
  wave: number;
  dueOn: string;
}

/** The most urgent thing to do for one person: the action due first (R11, R12, R15). */
export function nextAction(
  pathway: { registeredOn: string },
  meetings: IndividualMeetingEntity[],
  pending: WorkAuthorisationEntity[],
  wavesDue: readonly WaveDue[],
): NextAction {
  const candidates: NextAction[] = [];
  const first = meetings.find((m) => m.kind === MeetingKind.FIRST);
  if (!first?.heldOn)
    candidates.push({
      kind: NextActionKind.FIRST_MEETING_NOT_HELD,
      dueOn: first?.scheduledFor ?? addDays(pathway.registeredOn, 14),
    });
  for (const planned of meetings.filter((m) => m.kind === MeetingKind.FOLLOW_UP && !m.heldOn))
    candidates.push({ kind: NextActionKind.FOLLOW_UP_MEETING_DUE, dueOn: planned.scheduledFor });
  for (const request of pending)
    candidates.push({
      kind: NextActionKind.AUTHORISATION_PENDING,
      dueOn: request.requestedAt.toISOString().slice(0, 10),
    });
  const lastHeld = meetings
    .map((m) => m.heldOn)
    .filter((d): d is string => Boolean(d))
    .sort()
    .at(-1);
  if (lastHeld) candidates.push({ kind: NextActionKind.NO_CONTACT, dueOn: addDays(lastHeld, NO_CONTACT_DAYS) });
  // R12: each questionnaire wave whose window is open and that the person has not completed; a completed one is gone.
  for (const wave of wavesDue) candidates.push({ kind: NextActionKind.QUESTIONNAIRE_WAVE_DUE, dueOn: wave.dueOn });
  candidates.sort((a, b) => (a.dueOn ?? '').localeCompare(b.dueOn ?? ''));
  return candidates[0] ?? { kind: NextActionKind.NONE, dueOn: null };
}

export interface CaseloadEntry {
  pathway: PathwayEntity;
  nextAction: NextAction;
}

export class FollowUpService {
  constructor(private readonly context: SubgraphContext) {}

  /** The SRE invites IPS-arm people of its region to a welcome session with their IPS partner (R8). */
  organiseWelcomeSession(
    input: { ipsPartner: string; heldOn: string; place: string; pathwayIds: string[] },
    idempotencyKey: string,
  ): Promise<WelcomeSessionEntity> {
    return runCommand(this.context, {
      action: 'organiseWelcomeSession',
      idempotencyKey,
      args: input,
      validate: () => {
        const place = cleanText('input.place', input.place, { max: 200 });
        if (input.pathwayIds.length === 0 || input.pathwayIds.length > 100)
          throw new InvalidInputError('input.pathwayIds', { id: 'session.inviteCount' });
        const ids = input.pathwayIds.map((id, index) => assertUuid(`input.pathwayIds.${index}`, id));
        if (new Set(ids).size !== ids.length)
          throw new InvalidInputError('input.pathwayIds', { id: 'input.listedTwice' });
        return { ...input, place, ids };
      },
      // Locked in one order (by id) whatever the order invited, so two sessions never deadlock.
      target: async (tx, { ids }) => {
        const byId = new Map<string, TargetFacts | undefined>();
        for (const id of [...ids].sort()) byId.set(id, await pathwayTarget(tx, id));
        return ids.map((id) => byId.get(id));
      },
      apply: async (tx, { ids, ipsPartner, heldOn, place }) => {
        const pathways = await tx.em.find(PathwayEntity, { id: { $in: ids } });
        for (const [index, id] of ids.entries()) {
          const pathway = pathways.find((p) => p.id === id)!;
          if (pathway.ipsPartner !== ipsPartner)
            throw new InvalidInputError(`input.pathwayIds.${index}`, {
              id: 'session.otherPartner',
              params: { partner: pathway.ipsPartner, expected: ipsPartner },
            });
          assertNotBeforeRegistration(pathway, 'input.heldOn', heldOn);
        }
        const session = tx.em.create(WelcomeSessionEntity, {
          employmentService: tx.identity.organisation,
          ipsPartner,
          heldOn,
          place,
          organisedBy: tx.identity.subject,
        });
        for (const pathway of pathways)
          tx.em.create(WelcomeInvitationEntity, {
            sessionId: session.id,
            pathwayId: pathway.id,
            participantId: pathway.participantId,
          });
        return session.id;
      },
      answer: (id) => loadFresh(this.context.em, WelcomeSessionEntity, id),
    });
  }

  /** The partner records attendance and, in the same transaction, plans a first meeting for every invitee (R11). */
  recordAttendance(
    sessionId: string,
    present: string[],
    firstMeetingOn: string,
    idempotencyKey: string,
  ): Promise<WelcomeSessionEntity> {
    return runCommand(this.context, {
      action: 'recordWelcomeAttendance',
      idempotencyKey,
      args: { sessionId, present, firstMeetingOn },
      validate: () => ({
        id: assertUuid('sessionId', sessionId),
        present: present.map((id, index) => assertUuid(`present.${index}`, id)),
      }),
      target: async (tx, { id }) => {
        const session = await lockById(tx, WelcomeSessionEntity, id);
        return session
          ? { organisation: session.ipsPartner, state: { attendanceOpen: !session.attendanceRecordedAt } }
          : undefined;
      },
      apply: async (tx, { id, present: came }) => {
        const session = await tx.em.findOneOrFail(WelcomeSessionEntity, { id });
        // Who came is known once the session has been held, not before.
        if (session.heldOn > belgianToday())
          throw new InvalidInputError('sessionId', { id: 'session.notHeldYet', params: { heldOn: session.heldOn } });
        if (firstMeetingOn < session.heldOn)
          throw new InvalidInputError('firstMeetingOn', { id: 'session.meetingBeforeSession' });
        const invitations = await tx.em.find(WelcomeInvitationEntity, { sessionId: id });
        const invited = new Set(invitations.map((i) => i.pathwayId));
        came.forEach((pathwayId, index) => {
          if (!invited.has(pathwayId)) throw new InvalidInputError(`present.${index}`, { id: 'session.notInvited' });
        });
        session.attendanceRecordedAt = new Date();
        session.attendanceRecordedBy = tx.identity.subject;
        const firsts = new Set(
          (
            await tx.em.find(IndividualMeetingEntity, { pathwayId: { $in: [...invited] }, kind: MeetingKind.FIRST })
          ).map((m) => m.pathwayId),
        );
        for (const invitation of invitations) {
          invitation.attended = came.includes(invitation.pathwayId);
          invitation.attendanceMarkedAt = session.attendanceRecordedAt;
          invitation.attendanceMarkedBy = tx.identity.subject;
          // Present or absent, everyone gets a first individual meeting (R11).
          if (!firsts.has(invitation.pathwayId)) {
            tx.em.create(IndividualMeetingEntity, {
              pathwayId: invitation.pathwayId,
              participantId: invitation.participantId,
              kind: MeetingKind.FIRST,
              scheduledFor: firstMeetingOn,
              scheduledBy: tx.identity.subject,
            });
          }
        }
        return id;
      },
      answer: (id) => loadFresh(this.context.em, WelcomeSessionEntity, id),
    });
  }

  /**
   * The partner marks one invitee present or absent from the session's list (R11), or corrects a mark.
   * Either way the person keeps their individual follow-up: a first meeting is planned if none is, and an
   * absence never removes one. Once every invitee is marked, the session's attendance is recorded.
   * The session is locked before the invitation, as recordWelcomeAttendance locks it, so marks never deadlock.
   */
  markWelcomeAttendance(
    input: { invitationId: string; attended: boolean; firstMeetingOn: string },
    idempotencyKey: string,
  ): Promise<WelcomeInvitationEntity> {
    return runCommand(this.context, {
      action: 'markWelcomeAttendance',
      idempotencyKey,
      args: input,
      validate: () => ({ ...input, invitationId: assertUuid('input.invitationId', input.invitationId) }),
      target: async (tx, { invitationId }) => {
        const found = await tx.em.findOne(WelcomeInvitationEntity, { id: invitationId });
        if (!found) return undefined;
        await lockById(tx, WelcomeSessionEntity, found.sessionId);
        const invitation = await lockById(tx, WelcomeInvitationEntity, invitationId);
        const pathway = invitation && (await tx.em.findOne(PathwayEntity, { id: invitation.pathwayId }));
        return invitation && pathway
          ? { participantId: invitation.participantId, state: { pathwayOpen: pathway.status === PathwayStatus.OPEN } }
          : undefined;
      },
      apply: async (tx, { invitationId, attended, firstMeetingOn }) => {
        const invitation = await tx.em.findOneOrFail(WelcomeInvitationEntity, { id: invitationId });
        const session = await tx.em.findOneOrFail(WelcomeSessionEntity, { id: invitation.sessionId });
        // Who came is known once the session has been held, not before.
        if (session.heldOn > belgianToday())
          throw new InvalidInputError('input.invitationId', {
            id: 'session.notHeldYet',
            params: { heldOn: session.heldOn },
          });
        if (firstMeetingOn < session.heldOn)
          throw new InvalidInputError('input.firstMeetingOn', { id: 'session.meetingBeforeSession' });
        invitation.attended = attended;
        invitation.attendanceMarkedAt = new Date();
        invitation.attendanceMarkedBy = tx.identity.subject;
        // Present or absent, the person gets a first individual meeting (R11); one already planned stays.
        const first = await tx.em.findOne(IndividualMeetingEntity, {
          pathwayId: invitation.pathwayId,
          kind: MeetingKind.FIRST,
        });
        if (!first) {
          tx.em.create(IndividualMeetingEntity, {
            pathwayId: invitation.pathwayId,
            participantId: invitation.participantId,
            kind: MeetingKind.FIRST,
            scheduledFor: firstMeetingOn,
            scheduledBy: tx.identity.subject,
          });
        }
        const unmarked = await tx.em.count(WelcomeInvitationEntity, {
          sessionId: session.id,
          attended: null,
          id: { $ne: invitationId },
        });
        if (unmarked === 0 && !session.attendanceRecordedAt) {
          session.attendanceRecordedAt = invitation.attendanceMarkedAt;
          session.attendanceRecordedBy = tx.identity.subject;
        }
        return invitationId;
      },
      answer: (id) => loadFresh(this.context.em, WelcomeInvitationEntity, id),
    });
  }

  recordMeetingHeld(meetingId: string, heldOn: string, idempotencyKey: string): Promise<IndividualMeetingEntity> {
    return runCommand(this.context, {
      action: 'recordMeetingHeld',
      idempotencyKey,
      args: { meetingId, heldOn },
      validate: () => {
        if (heldOn > belgianToday()) throw new InvalidInputError('heldOn', { id: 'date.future' });
        return assertUuid('meetingId', meetingId);
      },
      target: async (tx, id) => {
        const meeting = await lockById(tx, IndividualMeetingEntity, id);
        const pathway = meeting && (await tx.em.findOne(PathwayEntity, { id: meeting.pathwayId }));
        return meeting && pathway
          ? {
              participantId: meeting.participantId,
              state: { pathwayOpen: pathway.status === PathwayStatus.OPEN, meetingNotHeld: !meeting.heldOn },
            }
          : undefined;
      },
      apply: async (tx, id) => {
        const meeting = await tx.em.findOneOrFail(IndividualMeetingEntity, { id });
        assertNotBeforeRegistration(
          await tx.em.findOneOrFail(PathwayEntity, { id: meeting.pathwayId }),
          'heldOn',
          heldOn,
        );
        meeting.heldOn = heldOn;
        meeting.heldBy = tx.identity.subject;
        meeting.heldRecordedAt = new Date();
        return id;
      },
      answer: (id) => loadFresh(this.context.em, IndividualMeetingEntity, id),
    });
  }

  /** The referent plans a follow-up meeting (R9, R11): on a day to come, never before the pathway began. */
  planFollowUpMeeting(
    input: { pathwayId: string; scheduledFor: string },
    idempotencyKey: string,
  ): Promise<IndividualMeetingEntity> {
    return runCommand(this.context, {
      action: 'planFollowUpMeeting',
      idempotencyKey,
      args: input,
      validate: () => {
        const pathwayId = assertUuid('input.pathwayId', input.pathwayId);
        if (input.scheduledFor < belgianToday())
          throw new InvalidInputError('input.scheduledFor', { id: 'meeting.scheduledInPast' });
        return { pathwayId, scheduledFor: input.scheduledFor };
      },
      target: (tx, { pathwayId }) => pathwayTarget(tx, pathwayId),
      apply: async (tx, { pathwayId, scheduledFor }) => {
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id: pathwayId });
        assertNotBeforeRegistration(pathway, 'input.scheduledFor', scheduledFor);
        const meeting = tx.em.create(IndividualMeetingEntity, {
          pathwayId,
          participantId: pathway.participantId,
          kind: MeetingKind.FOLLOW_UP,
          scheduledFor,
          scheduledBy: tx.identity.subject,
        });
        return meeting.id;
      },
      answer: (id) => loadFresh(this.context.em, IndividualMeetingEntity, id),
    });
  }

  /** The job coach's open pathways with the next due action of each, most urgent first: five statements whatever its size (the ledger rows the policy reads among them). */
  async caseload(referent: Identity): Promise<CaseloadEntry[]> {
    // Whose caseload a person is on is the policy's REFERENT relation; what the referent may see, its read decision.
    const relation = REFERENT[referent.role];
    const theirs = relation ? relationCondition(referent, relation) : { sql: 'false', params: [] };
    const visible = accessCondition(referent, categoryOf('Pathway', 'id')!);
    const rows = await queryRows<LedgerRow & { pathwayId: string }>(
      this.context,
      `select p.id as "pathwayId", ${ledgerColumns(referent)} from pathways.pathway p join access.ledger l on l.participant_id = p.participant_id
       where p.status = 'OPEN' and ${theirs.sql} and ${visible.sql}`,
      [...theirs.params, ...visible.params],
    );
    // The ledger rows came with the list: the field rules need not read them again.
    for (const { pathwayId: _, ...ledger } of rows)
      this.context.loaders.prime(ledgerByParticipant, ledger.participantId, ledger);
    const ids = rows.map((row) => row.pathwayId);
    const [pathways, meetings, pending, waves] = await Promise.all([
      this.context.em.find(PathwayEntity, { id: { $in: ids } }),
      this.context.em.find(IndividualMeetingEntity, { pathwayId: { $in: ids } }),
      this.context.em.find(WorkAuthorisationEntity, {
        pathwayId: { $in: ids },
        decision: AuthorisationDecision.PENDING,
      }),
      // R12: the waves research publishes (its view, never its tables), for the whole caseload in one statement.
      ids.length === 0
        ? []
        : queryRows<WaveDue & { participantId: string }>(
            this.context,
            `select w.participant_id as "participantId", w.wave, to_char(w.due_on, 'YYYY-MM-DD') as "dueOn"
             from research.published_questionnaire_wave_status w join pathways.pathway p on p.participant_id = w.participant_id
             where p.id in (?) and w.state in ('DUE', 'OPEN')`,
            [ids],
          ),
    ]);
    return pathways
      .map((pathway) => ({
        pathway,
        nextAction: nextAction(
          { registeredOn: pathway.registeredAt.toISOString().slice(0, 10) },
          meetings.filter((m) => m.pathwayId === pathway.id),
          pending.filter((a) => a.pathwayId === pathway.id),
          waves.filter((w) => w.participantId === pathway.participantId),
        ),
      }))
      .sort(
        (a, b) =>
          (a.nextAction.dueOn ?? '9999').localeCompare(b.nextAction.dueOn ?? '9999') ||
          a.pathway.id.localeCompare(b.pathway.id),
      );
  }

  /** The partner's coaches and their open caseloads, against the guideline of at most 20 people per coach; a coach who left has none (their people are unassigned). */
  async teamCaseloads(
    supervisor: Identity,
  ): Promise<{ jobCoach: string; openPathways: number; overGuideline: boolean }[]> {
    const rows = await queryRows<{ job_coach: string; n: string }>(
      this.context,
      `select job_coach, count(*) as n from pathways.pathway where ips_partner = ? and status = 'OPEN' and job_coach is not null and job_coach not in (${FORMER_COACHES})
       group by job_coach order by job_coach`,
      [supervisor.organisation, supervisor.organisation],
    );
    return rows.map((row) => ({
      jobCoach: row.job_coach,
      openPathways: Number(row.n),
      overGuideline: Number(row.n) > 20,
    }));
  }
}
