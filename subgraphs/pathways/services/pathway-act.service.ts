/**
 * The acts of the pathway's actors (R8–R10, R13, R14) and the pathway's timeline. Who may
 * record which act, for which arm, and which ones the physician receives a copy of, is
 * one table (ACT_RULES); every copy is written in the act's transaction.
 */
import { ConflictError, InvalidInputError } from '../../../schema/errors.js';
import { FREE_TEXT_CATEGORIES, type DataCategory } from '../../../schema/policy.js';
import { mayAccess } from '../../kit/access/decide.js';
import { ledgerByParticipant } from '../../kit/access/ledger.js';
import { loadFresh, runCommand } from '../../kit/command.js';
import type { SubgraphContext } from '../../kit/context.js';
import { groupedBy } from '../../kit/context.js';
import { belgianToday, DataCategoryValue } from '../../kit/domain.js';
import { queryRows } from '../../kit/raw-sql.js';
import { assertUuid, cleanText } from '../../kit/validation.js';
import { PathwayActEntity, PathwayActKind } from '../entities/pathway-act.entity.js';
import { PathwayEntity } from '../entities/pathway.entity.js';
import { PhysicianMessageEntity, PhysicianMessageKind } from '../entities/physician-message.entity.js';
import { assertNotBeforeRegistration, pathwayTarget } from './pathway.service.js';

/** What each act needs and who gets a copy (the domain); who may record which act is the policy's (ACTIONS.recordPathwayAct). */
interface ActRule {
  needsPerson?: boolean;
  needsDetail?: boolean;
  copyToPhysician?: PhysicianMessageKind;
}

export const ACT_RULES: Record<PathwayActKind, ActRule> = {
  [PathwayActKind.RESOURCE_PERSON_NAMED]: { needsPerson: true }, // R8
  [PathwayActKind.REFERENCE_INTERVIEW_HELD]: { needsPerson: true }, // R9: orientation starts here
  [PathwayActKind.RP1_FILED]: { copyToPhysician: PhysicianMessageKind.RP1 }, // R10, both arms
  [PathwayActKind.RP1IPS_SENT]: { copyToPhysician: PhysicianMessageKind.RP1IPS }, // R13
  [PathwayActKind.MESSAGE_TO_PHYSICIAN]: { needsDetail: true, copyToPhysician: PhysicianMessageKind.COACH_MESSAGE }, // R14
  [PathwayActKind.MESSAGE_TO_JOB_COACH]: { needsDetail: true }, // R14
};

export interface ActRequest {
  pathwayId: string;
  kind: PathwayActKind;
  actOn: string;
  person?: string | null;
  detail?: string | null;
  detailCategory?: DataCategoryValue | null;
}

export interface TimelineRow {
  participantId: string;
  pathwayId: string;
  /** The day it happened (Belgian calendar). */
  on: string;
  /** When it was recorded: its order within the day. */
  recordedAt: Date;
  /** @deprecated the same as recordedAt */
  at: Date;
  kind: string;
  /** Who did it: the author the recorded row names. */
  actor: string | null;
  detail: string | null;
  category: DataCategory;
  /** The category of the detail's content (free text carries its own). */
  detailCategory: DataCategory;
}

/** Checks an act; names the offending field. Free text must say what kind of data it holds (R18). */
export function validateAct(request: ActRequest, today: string = belgianToday()) {
  const pathwayId = assertUuid('input.pathwayId', request.pathwayId);
  const rule = ACT_RULES[request.kind];
  if (request.actOn > today) throw new InvalidInputError('input.actOn', { id: 'date.future' });
  const person = rule.needsPerson
    ? cleanText('input.person', request.person, { max: 200 })
    : cleanText('input.person', request.person, { max: 200, min: 0 });
  const detail = cleanText('input.detail', request.detail, {
    max: 2000,
    min: rule.needsDetail ? 1 : 0,
    multiline: true,
  });
  if (detail && !request.detailCategory)
    throw new InvalidInputError('input.detailCategory', { id: 'text.categoryRequired' });
  const detailCategory = (detail ? request.detailCategory : DataCategoryValue.ADMINISTRATIVE)!;
  if (!(FREE_TEXT_CATEGORIES as readonly string[]).includes(detailCategory))
    throw new InvalidInputError('input.detailCategory', {
      id: 'text.categoryOneOf',
      params: { categories: FREE_TEXT_CATEGORIES.join(', ') },
    });
  return { pathwayId, kind: request.kind, actOn: request.actOn, person, detail, detailCategory, rule };
}

export class PathwayActService {
  constructor(private readonly context: SubgraphContext) {}

  /** Records an act; the physician receives the copy R10, R13 or R14 asks for, in the same transaction. */
  record(request: ActRequest, idempotencyKey: string): Promise<PathwayActEntity> {
    return runCommand(this.context, {
      action: 'recordPathwayAct',
      idempotencyKey,
      args: request,
      validate: () => validateAct(request),
      variant: (act) => act.kind,
      target: (tx, act) => pathwayTarget(tx, act.pathwayId),
      apply: async (tx, act) => {
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id: act.pathwayId });
        assertNotBeforeRegistration(pathway, 'input.actOn', act.actOn);
        if (act.kind === PathwayActKind.MESSAGE_TO_JOB_COACH && !pathway.jobCoach)
          throw new ConflictError({ id: 'conflict.noJobCoach' });
        const physician = tx.ledger(pathway.participantId)?.physicianSubject;
        if (act.rule.copyToPhysician && !physician) throw new ConflictError({ id: 'conflict.noPhysicianToCopy' });
        const created = tx.em.create(PathwayActEntity, {
          pathwayId: pathway.id,
          participantId: pathway.participantId,
          kind: act.kind,
          actOn: act.actOn,
          person: act.person || undefined,
          detail: act.detail,
          detailCategory: act.detailCategory,
          actor: tx.identity.subject,
        });
        if (act.rule.copyToPhysician) {
          tx.em.create(PhysicianMessageEntity, {
            participantId: pathway.participantId,
            pathwayId: pathway.id,
            physicianSubject: physician!,
            kind: act.rule.copyToPhysician,
            body: `${act.kind} on ${act.actOn} (${pathway.registryNumber})${act.detail ? `: ${act.detail}` : ''}`,
            // Told in the reader's language when read (localised-text.ts); the body above is the record as written.
            messageId: 'physicianMessage.act',
            messageParams: {
              act: act.kind,
              on: act.actOn,
              registryNumber: pathway.registryNumber,
              detail: act.detail ?? '',
            },
            bodyCategory: act.detailCategory, // the copy holds the act's text: its category
            sentBy: tx.identity.subject,
          });
        }
        return created.id;
      },
      answer: (id) => loadFresh(this.context.em, PathwayActEntity, id),
    });
  }

  /** What of a timeline the caller may see: each event under its own category (R18). */
  async visibleEvents(events: TimelineRow[]): Promise<TimelineRow[]> {
    const allowed = await Promise.all(
      events.map(async (event) =>
        mayAccess(
          this.context.identity,
          await this.context.loaders.load(ledgerByParticipant, event.participantId),
          event.category,
        ),
      ),
    );
    return events.filter((_, index) => allowed[index]);
  }
}

/** The Belgian day of a moment: what a day-only event is compared with. */
const day = (column: string) => `(${column} at time zone 'Europe/Brussels')::date`;

/**
 * Every event of a pathway: the day it happened (`on`), when it was recorded (its order within the
 * day) and who did it — the author the recorded row names, never a role's guess. Columns: participant,
 * pathway, on, recorded_at, kind, actor, detail, category, detail category.
 */
const EVENT_SOURCES = [
  `select participant_id, id as pathway_id, ${day('registered_at')} as on_day, registered_at as recorded_at, 'PATHWAY_REGISTERED' as kind, requested_by as actor, registry_number as detail, 'administrative' as category, 'administrative' as detail_category from pathways.pathway where id in (?)`,
  `select participant_id, pathway_id, ${day('arrived_at')}, arrived_at, 'FORWARDED_TO_SRE', routed_by, employment_service || ' ' || mailbox, 'administrative', 'administrative' from pathways.sre_inbox_item where pathway_id in (?)`,
  `select participant_id, pathway_id, registered_on, recorded_at, 'JOB_SEEKER_REGISTERED', recorded_by, convention_code, 'employment', 'employment' from pathways.job_seeker_registration where pathway_id in (?)`,
  // The SRE invites (R8); the partner records who came (R11), once the session is held.
  `select i.participant_id, i.pathway_id, ${day('s.organised_at')}, s.organised_at, 'WELCOME_SESSION_INVITED', s.organised_by, s.place || ' ' || s.held_on, 'administrative', 'administrative'
     from pathways.welcome_invitation i join pathways.welcome_session s on s.id = i.session_id where i.pathway_id in (?)`,
  `select i.participant_id, i.pathway_id, s.held_on, s.attendance_recorded_at, case when i.attended then 'WELCOME_SESSION_ATTENDED' else 'WELCOME_SESSION_MISSED' end, s.attendance_recorded_by, s.place, 'administrative', 'administrative'
     from pathways.welcome_invitation i join pathways.welcome_session s on s.id = i.session_id where i.attended is not null and i.pathway_id in (?)`,
  `select participant_id, pathway_id, ${day('planned_at')}, planned_at, 'MEETING_SCHEDULED', scheduled_by, kind || ' ' || scheduled_for, 'administrative', 'administrative' from pathways.individual_meeting where pathway_id in (?)`,
  `select participant_id, pathway_id, held_on, coalesce(held_recorded_at, held_on::timestamptz), 'MEETING_HELD', held_by, kind, 'administrative', 'administrative' from pathways.individual_meeting where held_on is not null and pathway_id in (?)`,
  `select participant_id, pathway_id, ${day('recorded_at')}, recorded_at, 'CONTRACT_RECORDED', recorded_by, job_function || ' at ' || employer, 'employment', 'employment' from pathways.employment_contract where pathway_id in (?)`,
  // The request opens by itself with the contract (R15): its author is whoever recorded the contract.
  `select a.participant_id, a.pathway_id, ${day('a.requested_at')}, a.requested_at, 'AUTHORISATION_REQUESTED', c.recorded_by, a.reason, 'administrative', 'administrative'
     from pathways.work_authorisation a join pathways.employment_contract c on c.id = a.contract_id where a.pathway_id in (?)`,
  `select participant_id, pathway_id, ${day('decided_at')}, decided_at, 'AUTHORISATION_' || decision, decided_by, reason, 'administrative', 'administrative' from pathways.work_authorisation where decided_at is not null and pathway_id in (?)`,
  // The act is administrative; what its writer wrote is shown under the category they declared.
  `select participant_id, pathway_id, act_on, recorded_at, kind, actor, coalesce(person || ' ', '') || detail, 'administrative', detail_category from pathways.pathway_act where pathway_id in (?)`,
  `select participant_id, id, ended_on, coalesce(ended_at, ended_on::timestamptz), 'PATHWAY_ENDED', ended_by, end_reason, 'administrative', 'administrative' from pathways.pathway where ended_on is not null and id in (?)`,
];

/** Every event of many pathways in one statement, in order. */
export const timelineByPathway = groupedBy<string, TimelineRow>(
  async (pathwayIds, context) => {
    const rows = await queryRows<{
      participant_id: string;
      pathway_id: string;
      on_day: string | Date;
      recorded_at: Date | string;
      kind: string;
      actor: string | null;
      detail: string | null;
      category: DataCategory;
      detail_category: DataCategory;
    }>(
      context,
      // By day, then in the order things were recorded (ties: by kind, for a stable answer).
      `select participant_id, pathway_id, to_char(on_day, 'YYYY-MM-DD') as on_day, recorded_at, kind, actor, detail, category, detail_category
       from (${EVENT_SOURCES.join(' union all ')}) events order by on_day, recorded_at, kind`,
      EVENT_SOURCES.map(() => [...pathwayIds]),
    );
    return rows.map((row) => ({
      participantId: row.participant_id,
      pathwayId: row.pathway_id,
      on: String(row.on_day),
      recordedAt: new Date(row.recorded_at),
      at: new Date(row.recorded_at),
      kind: row.kind,
      actor: row.actor,
      detail: row.detail,
      category: row.category,
      detailCategory: row.detail_category,
    }));
  },
  (row) => row.pathwayId,
);
