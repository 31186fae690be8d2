/**
 * The acts of the pathway's actors (R8–R10, R13, R14) and the pathway's timeline. Who may
 * record which act, for which arm, and which ones the physician receives a copy of, is
 * one table (ACT_RULES); every copy is written in the act's transaction.
 */
import { ConflictError, InvalidInputError, NotFoundError } from '../../../schema/errors.js';
import type { Identity, Role } from '../../../schema/identity.js';
import type { DataCategory } from '../../../schema/policy.js';
import { mayAccess } from '../../kit/access/decide.js';
import { visibleOrNull } from '../../kit/access/guard.js';
import { ledgerByParticipant } from '../../kit/access/ledger.js';
import type { SubgraphContext } from '../../kit/context.js';
import { groupedBy } from '../../kit/context.js';
import { belgianToday } from '../../kit/domain.js';
import { queryRows } from '../../kit/raw-sql.js';
import { assertUuid } from '../../kit/validation.js';
import { PathwayActEntity, PathwayActKind } from '../entities/pathway-act.entity.js';
import { PathwayStatus } from '../entities/pathway.entity.js';
import { PhysicianMessageEntity, PhysicianMessageKind } from '../entities/physician-message.entity.js';
import { pathwaysById } from './pathway.service.js';

interface ActRule {
  by: Role;
  arm?: 'IPS' | 'CONTROL';
  needsPerson?: boolean;
  needsDetail?: boolean;
  copyToPhysician?: PhysicianMessageKind;
}

export const ACT_RULES: Record<PathwayActKind, ActRule> = {
  [PathwayActKind.RESOURCE_PERSON_NAMED]: { by: 'SRE', arm: 'IPS', needsPerson: true }, // R8
  [PathwayActKind.REFERENCE_INTERVIEW_HELD]: { by: 'SRE', arm: 'CONTROL', needsPerson: true }, // R9: orientation starts here
  [PathwayActKind.RP1_FILED]: { by: 'SRE', copyToPhysician: PhysicianMessageKind.RP1 }, // R10, both arms
  [PathwayActKind.RP1IPS_SENT]: { by: 'JOB_COACH', arm: 'IPS', copyToPhysician: PhysicianMessageKind.RP1IPS }, // R13
  [PathwayActKind.MESSAGE_TO_PHYSICIAN]: { by: 'JOB_COACH', needsDetail: true, copyToPhysician: PhysicianMessageKind.COACH_MESSAGE }, // R14
  [PathwayActKind.MESSAGE_TO_JOB_COACH]: { by: 'MEDECIN_CONSEIL', needsDetail: true }, // R14
};

export interface ActRequest {
  pathwayId: string;
  kind: PathwayActKind;
  actOn: string;
  person?: string | null;
  detail?: string | null;
}

export interface TimelineRow {
  participantId: string;
  pathwayId: string;
  at: Date;
  kind: string;
  actor: string;
  detail: string | null;
  category: DataCategory;
}

export class PathwayActService {
  constructor(private readonly context: SubgraphContext) {}

  async record(request: ActRequest, actor: Identity): Promise<PathwayActEntity> {
    const rule = ACT_RULES[request.kind];
    if (rule.by !== actor.role) throw new InvalidInputError('input.kind', `${request.kind} is recorded by the ${rule.by}`);
    const pathway = await visibleOrNull(this.context, 'Pathway', await this.context.loaders.load(pathwaysById, assertUuid('input.pathwayId', request.pathwayId)));
    if (!pathway || (actor.role === 'JOB_COACH' && pathway.jobCoach !== actor.subject)) throw new NotFoundError('Pathway');
    if (pathway.status !== PathwayStatus.OPEN) throw new ConflictError('The pathway has ended');
    if (request.actOn > belgianToday()) throw new InvalidInputError('input.actOn', 'is in the future');
    const person = request.person?.trim() ?? '';
    if (rule.needsPerson && (person.length === 0 || person.length > 200)) throw new InvalidInputError('input.person', 'name the person (1 to 200 characters)');
    const detail = request.detail?.trim() ?? '';
    if ((rule.needsDetail && detail.length === 0) || detail.length > 2000) throw new InvalidInputError('input.detail', rule.needsDetail ? 'write the message (1 to 2000 characters)' : 'must be at most 2000 characters');
    if (rule.arm) {
      const [allocation] = await queryRows<{ arm: string }>(this.context, 'select arm from research.published_allocation where participant_id = ?', [pathway.participantId]);
      if (allocation?.arm !== rule.arm) throw new InvalidInputError('input.kind', `${request.kind} is for the ${rule.arm === 'IPS' ? 'IPS arm (R8, R13)' : 'control group (R9)'}`);
    }
    if (request.kind === PathwayActKind.MESSAGE_TO_JOB_COACH && !pathway.jobCoach) throw new ConflictError('The pathway has no job coach yet');
    const physician = (await this.context.loaders.load(ledgerByParticipant, pathway.participantId))?.physicianSubject;
    if (rule.copyToPhysician && !physician) throw new ConflictError('The person has no physician of record to copy (R10, R13, R14)');

    return this.context.em.transactional(async (em) => {
      const act = em.create(PathwayActEntity, { pathwayId: pathway.id, participantId: pathway.participantId, kind: request.kind, actOn: request.actOn, person: person || undefined, detail, actor: actor.subject });
      if (rule.copyToPhysician) {
        em.create(PhysicianMessageEntity, {
          participantId: pathway.participantId,
          pathwayId: pathway.id,
          physicianSubject: physician!,
          kind: rule.copyToPhysician,
          body: `${request.kind} on ${request.actOn} (${pathway.registryNumber})${detail ? `: ${detail}` : ''}`,
          sentBy: actor.subject,
        });
      }
      return act;
    });
  }

  /** What of a timeline the caller may see: each event under its own category (R18). */
  async visibleEvents(events: TimelineRow[]): Promise<TimelineRow[]> {
    const allowed = await Promise.all(events.map(async (event) => mayAccess(this.context.identity, await this.context.loaders.load(ledgerByParticipant, event.participantId), event.category)));
    return events.filter((_, index) => allowed[index]);
  }
}

const EVENT_SOURCES = [
  `select participant_id, id as pathway_id, registered_at as at, 'PATHWAY_REGISTERED' as kind, requested_by as actor, registry_number as detail, 'administrative' as category from pathways.pathway where id in (?)`,
  `select participant_id, pathway_id, arrived_at, 'FORWARDED_TO_SRE', routed_by, employment_service || ' ' || mailbox, 'administrative' from pathways.sre_inbox_item where pathway_id in (?)`,
  `select participant_id, pathway_id, recorded_at, 'JOB_SEEKER_REGISTERED', recorded_by, convention_code, 'employment' from pathways.job_seeker_registration where pathway_id in (?)`,
  `select i.participant_id, i.pathway_id, s.held_on::timestamptz, case when i.attended then 'WELCOME_SESSION_ATTENDED' when not i.attended then 'WELCOME_SESSION_MISSED' else 'WELCOME_SESSION_INVITED' end, s.organised_by, s.place, 'administrative'
     from pathways.welcome_invitation i join pathways.welcome_session s on s.id = i.session_id where i.pathway_id in (?)`,
  `select participant_id, pathway_id, coalesce(held_on, scheduled_for)::timestamptz, case when held_on is null then 'MEETING_SCHEDULED' else 'MEETING_HELD' end, scheduled_by, kind, 'administrative' from pathways.individual_meeting where pathway_id in (?)`,
  `select participant_id, pathway_id, recorded_at, 'CONTRACT_RECORDED', recorded_by, job_function || ' at ' || employer, 'employment' from pathways.employment_contract where pathway_id in (?)`,
  `select participant_id, pathway_id, requested_at, 'AUTHORISATION_REQUESTED', physician_subject, reason, 'administrative' from pathways.work_authorisation where pathway_id in (?)`,
  `select participant_id, pathway_id, decided_at, 'AUTHORISATION_' || decision, decided_by, reason, 'administrative' from pathways.work_authorisation where decided_at is not null and pathway_id in (?)`,
  `select participant_id, pathway_id, recorded_at, kind, actor, coalesce(person || ' ', '') || detail, 'administrative' from pathways.pathway_act where pathway_id in (?)`,
  `select participant_id, id, ended_on::timestamptz, 'PATHWAY_ENDED', ended_by, end_reason, 'administrative' from pathways.pathway where ended_on is not null and id in (?)`,
];

/** Every event of many pathways in one statement, in order. */
export const timelineByPathway = groupedBy<string, TimelineRow>(
  async (pathwayIds, context) => {
    const rows = await queryRows<{ participant_id: string; pathway_id: string; at: Date | string; kind: string; actor: string; detail: string | null; category: DataCategory }>(
      context,
      `select * from (${EVENT_SOURCES.join(' union all ')}) events order by at, kind`,
      EVENT_SOURCES.map(() => [...pathwayIds]),
    );
    return rows.map((row) => ({ participantId: row.participant_id, pathwayId: row.pathway_id, at: new Date(row.at), kind: row.kind, actor: row.actor, detail: row.detail, category: row.category }));
  },
  (row) => row.pathwayId,
);
