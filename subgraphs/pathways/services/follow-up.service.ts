/**
 * After routing, in the IPS arm (R8, R11): the SRE organises a collective welcome session
 * with the region's IPS partner; the partner records who came and, in the same
 * transaction, plans a first individual meeting for every invitee, present or absent —
 * nobody is dropped. The job coach's caseload shows the next due action of each person.
 */
import { ConflictError, InvalidInputError, NotFoundError } from '../../../schema/errors.js';
import type { Identity } from '../../../schema/identity.js';
import { categoryOf } from '../../../schema/policy.js';
import { accessCondition } from '../../kit/access/decide.js';
import { visibleOrNull } from '../../kit/access/guard.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday, EMPLOYMENT_SERVICE_OF, type Region } from '../../kit/domain.js';
import { queryRows } from '../../kit/raw-sql.js';
import { assertUuid } from '../../kit/validation.js';
import { PathwayEntity, PathwayStatus } from '../entities/pathway.entity.js';
import { IndividualMeetingEntity, MeetingKind, WelcomeInvitationEntity, WelcomeSessionEntity } from '../entities/follow-up.entity.js';
import { AuthorisationDecision, WorkAuthorisationEntity } from '../entities/work-authorisation.entity.js';
import { pathwaysById } from './pathway.service.js';

export enum NextActionKind {
  FIRST_MEETING_NOT_HELD = 'FIRST_MEETING_NOT_HELD',
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
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const addMonths = (date: string, months: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
};

/** The most urgent thing to do for one person: the action due first (R11, R12, R15). */
export function nextAction(pathway: { registeredOn: string }, meetings: IndividualMeetingEntity[], pending: WorkAuthorisationEntity[], today: string): NextAction {
  const candidates: NextAction[] = [];
  const first = meetings.find((m) => m.kind === MeetingKind.FIRST);
  if (!first?.heldOn) candidates.push({ kind: NextActionKind.FIRST_MEETING_NOT_HELD, dueOn: first?.scheduledFor ?? addDays(pathway.registeredOn, 14) });
  for (const request of pending) candidates.push({ kind: NextActionKind.AUTHORISATION_PENDING, dueOn: request.requestedAt.toISOString().slice(0, 10) });
  const lastHeld = meetings.map((m) => m.heldOn).filter((d): d is string => Boolean(d)).sort().at(-1);
  if (lastHeld) candidates.push({ kind: NextActionKind.NO_CONTACT, dueOn: addDays(lastHeld, NO_CONTACT_DAYS) });
  // R12: a questionnaire wave every six months from registration.
  let wave = 1;
  while (addMonths(pathway.registeredOn, 6 * wave) < addDays(today, -14)) wave += 1;
  candidates.push({ kind: NextActionKind.QUESTIONNAIRE_WAVE_DUE, dueOn: addMonths(pathway.registeredOn, 6 * wave) });
  candidates.sort((a, b) => (a.dueOn ?? '').localeCompare(b.dueOn ?? ''));
  return candidates[0] ?? { kind: NextActionKind.NONE, dueOn: null };
}

export interface CaseloadEntry {
  pathway: PathwayEntity;
  nextAction: NextAction;
}

export class FollowUpService {
  constructor(private readonly context: SubgraphContext) {}

  async organiseWelcomeSession(input: { ipsPartner: string; heldOn: string; place: string; pathwayIds: string[] }, sre: Identity): Promise<WelcomeSessionEntity> {
    const place = input.place.trim();
    if (place.length === 0 || place.length > 200) throw new InvalidInputError('input.place', 'must be 1 to 200 characters');
    if (input.pathwayIds.length === 0 || input.pathwayIds.length > 100) throw new InvalidInputError('input.pathwayIds', 'invite 1 to 100 people');
    const ids = input.pathwayIds.map((id, index) => assertUuid(`input.pathwayIds.${index}`, id));
    if (new Set(ids).size !== ids.length) throw new InvalidInputError('input.pathwayIds', 'lists a pathway twice');
    const facts = new Map(
      (
        await queryRows<{ pathway_id: string; region: Region; arm: string | null; invited: boolean }>(
          this.context,
          `select p.pathway_id, r.region, a.arm, exists (select 1 from pathways.welcome_invitation i where i.pathway_id = p.pathway_id) as invited
           from pathways.published_pathway p join participants.published_referral r on r.referral_id = p.referral_id
           left join research.published_allocation a on a.participant_id = p.participant_id where p.pathway_id in (?)`,
          [ids],
        )
      ).map((row) => [row.pathway_id, row]),
    );
    const pathways: PathwayEntity[] = [];
    for (const [index, id] of ids.entries()) {
      const field = `input.pathwayIds.${index}`;
      const pathway = await visibleOrNull(this.context, 'Pathway', await this.context.loaders.load(pathwaysById, id));
      const fact = facts.get(id);
      if (!pathway || !fact || EMPLOYMENT_SERVICE_OF[fact.region] !== sre.organisation) throw new InvalidInputError(field, 'no pathway of your region with this id');
      if (pathway.status !== PathwayStatus.OPEN) throw new InvalidInputError(field, 'the pathway has ended');
      if (fact.arm !== 'IPS') throw new InvalidInputError(field, 'only IPS-arm people are invited to a welcome session (R8); the control group meets a reference counsellor (R9)');
      if (pathway.ipsPartner !== input.ipsPartner) throw new InvalidInputError(field, `the pathway is with ${pathway.ipsPartner}, not ${input.ipsPartner}`);
      if (fact.invited) throw new InvalidInputError(field, 'already invited to a welcome session');
      pathways.push(pathway);
    }
    return this.context.em.transactional(async (em) => {
      const session = em.create(WelcomeSessionEntity, { employmentService: sre.organisation, ipsPartner: input.ipsPartner, heldOn: input.heldOn, place, organisedBy: sre.subject });
      for (const pathway of pathways) em.create(WelcomeInvitationEntity, { sessionId: session.id, pathwayId: pathway.id, participantId: pathway.participantId });
      return session;
    });
  }

  /** The partner records attendance and, in the same transaction, plans a first meeting for every invitee (R11). */
  async recordAttendance(sessionId: string, present: string[], firstMeetingOn: string, supervisor: Identity): Promise<WelcomeSessionEntity> {
    const session = await this.context.em.findOne(WelcomeSessionEntity, { id: assertUuid('sessionId', sessionId) });
    if (!session || session.ipsPartner !== supervisor.organisation) throw new NotFoundError('Welcome session');
    if (session.attendanceRecordedAt) throw new ConflictError('Attendance is already recorded for this session');
    if (firstMeetingOn < session.heldOn) throw new InvalidInputError('firstMeetingOn', 'is before the welcome session');
    const invitations = await this.context.em.find(WelcomeInvitationEntity, { sessionId: session.id });
    const invited = new Set(invitations.map((i) => i.pathwayId));
    present.forEach((id, index) => {
      if (!invited.has(id)) throw new InvalidInputError(`present.${index}`, 'was not invited to this session');
    });
    await this.context.em.transactional(async (em) => {
      const managed = await em.findOneOrFail(WelcomeSessionEntity, { id: session.id });
      managed.attendanceRecordedAt = new Date();
      const firsts = new Set((await em.find(IndividualMeetingEntity, { pathwayId: { $in: [...invited] }, kind: MeetingKind.FIRST })).map((m) => m.pathwayId));
      for (const invitation of await em.find(WelcomeInvitationEntity, { sessionId: session.id })) {
        invitation.attended = present.includes(invitation.pathwayId);
        // Present or absent, everyone gets a first individual meeting (R11).
        if (!firsts.has(invitation.pathwayId)) {
          em.create(IndividualMeetingEntity, { pathwayId: invitation.pathwayId, participantId: invitation.participantId, kind: MeetingKind.FIRST, scheduledFor: firstMeetingOn, scheduledBy: supervisor.subject });
        }
      }
    });
    return this.context.em.findOneOrFail(WelcomeSessionEntity, { id: session.id }, { refresh: true });
  }

  async recordMeetingHeld(meetingId: string, heldOn: string, coach: Identity): Promise<IndividualMeetingEntity> {
    const meeting = await this.context.em.findOne(IndividualMeetingEntity, { id: assertUuid('meetingId', meetingId) });
    const pathway = meeting && (await visibleOrNull(this.context, 'Pathway', await this.context.loaders.load(pathwaysById, meeting.pathwayId)));
    if (!meeting || !pathway || pathway.jobCoach !== coach.subject) throw new NotFoundError('Meeting');
    if (heldOn > belgianToday()) throw new InvalidInputError('heldOn', 'is in the future');
    meeting.heldOn = heldOn;
    await this.context.em.flush();
    return meeting;
  }

  /** The job coach's open pathways with the next due action of each, most urgent first: four statements whatever its size. */
  async caseload(coach: Identity): Promise<CaseloadEntry[]> {
    const visible = accessCondition(coach, categoryOf('Pathway', 'id')!);
    const rows = await queryRows<{ id: string }>(
      this.context,
      `select p.id from pathways.pathway p join access.ledger l on l.participant_id = p.participant_id
       where p.job_coach = ? and p.status = 'OPEN' and ${visible.sql}`,
      [coach.subject, ...visible.params],
    );
    const ids = rows.map((row) => row.id);
    const [pathways, meetings, pending] = await Promise.all([
      this.context.em.find(PathwayEntity, { id: { $in: ids } }),
      this.context.em.find(IndividualMeetingEntity, { pathwayId: { $in: ids } }),
      this.context.em.find(WorkAuthorisationEntity, { pathwayId: { $in: ids }, decision: AuthorisationDecision.PENDING }),
    ]);
    const today = belgianToday();
    return pathways
      .map((pathway) => ({
        pathway,
        nextAction: nextAction(
          { registeredOn: pathway.registeredAt.toISOString().slice(0, 10) },
          meetings.filter((m) => m.pathwayId === pathway.id),
          pending.filter((a) => a.pathwayId === pathway.id),
          today,
        ),
      }))
      .sort((a, b) => (a.nextAction.dueOn ?? '9999').localeCompare(b.nextAction.dueOn ?? '9999') || a.pathway.id.localeCompare(b.pathway.id));
  }

  /** The partner's coaches and their open caseloads, against the guideline of at most 20 people per coach. */
  async teamCaseloads(supervisor: Identity): Promise<{ jobCoach: string; openPathways: number; overGuideline: boolean }[]> {
    const rows = await queryRows<{ job_coach: string; n: string }>(
      this.context,
      `select job_coach, count(*) as n from pathways.pathway where ips_partner = ? and status = 'OPEN' and job_coach is not null group by job_coach order by job_coach`,
      [supervisor.organisation],
    );
    return rows.map((row) => ({ jobCoach: row.job_coach, openPathways: Number(row.n), overGuideline: Number(row.n) > 20 }));
  }
}
