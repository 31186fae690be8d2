/**
 * The supervisor's team's IPS practice per quarter (practice-indicators.ts says what each indicator counts). The facts
 * are read in six statements whatever the team's size or the number of quarters asked (constant per request): the
 * team's IPS-arm pathways with their first meeting, its employer contacts, counselling sessions, jobs, follow-along
 * support, and its coaches' memberships (the staff directory's published view: working time and days).
 */
import { InvalidInputError } from '../../../schema/errors.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday } from '../../kit/domain.js';
import { queryRows } from '../../kit/raw-sql.js';
import {
  practiceIndicators,
  quarterOf,
  quarterOfDay,
  type PracticeFacts,
  type PracticeIndicatorRow,
  type Quarter,
} from './practice-indicators.js';

/** The quarters asked, or the current one and the three before it; at most eight. */
export function quartersAsked(labels: readonly string[] | null | undefined, today: string = belgianToday()): Quarter[] {
  if (labels && labels.length > 0) {
    if (labels.length > 8)
      throw new InvalidInputError('quarters', { id: 'practice.tooManyQuarters', params: { max: 8 } });
    return labels.map((label, index) => {
      const quarter = quarterOf(label);
      if (!quarter) throw new InvalidInputError(`quarters.${String(index)}`, { id: 'practice.quarter' });
      return quarter;
    });
  }
  const quarters: Quarter[] = [];
  let day = today;
  for (let i = 0; i < 4; i++) {
    const quarter = quarterOfDay(day);
    quarters.unshift(quarter);
    day = new Date(Date.parse(`${quarter.first}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  }
  return quarters;
}

export interface TeamPracticeRow extends PracticeIndicatorRow {
  team: string;
}

export class PracticeIndicatorsService {
  constructor(private readonly context: SubgraphContext) {}

  /** The facts of one team (an IPS partner's code). */
  async facts(team: string): Promise<PracticeFacts> {
    const ipsPathways = `select p.id from pathways.pathway p join research.published_allocation a on a.participant_id = p.participant_id
      where p.ips_partner = ? and a.arm = 'IPS'`;
    const [pathways, employerContacts, counselling, jobs, support, coaches] = await Promise.all([
      queryRows<{ pathwayId: string; registeredOn: string; endedOn: string | null; firstMeetingOn: string | null }>(
        this.context,
        `select p.id as "pathwayId", to_char((p.registered_at at time zone 'Europe/Brussels')::date, 'YYYY-MM-DD') as "registeredOn",
           to_char(p.ended_on, 'YYYY-MM-DD') as "endedOn",
           (select to_char(min(m.held_on), 'YYYY-MM-DD') from pathways.individual_meeting m where m.pathway_id = p.id and m.kind = 'FIRST') as "firstMeetingOn"
         from pathways.pathway p where p.id in (${ipsPathways})`,
        [team],
      ),
      queryRows<{ pathwayId: string | null; contactedOn: string }>(
        this.context,
        `select pathway_id as "pathwayId", to_char(contacted_on, 'YYYY-MM-DD') as "contactedOn" from pathways.employer_contact where ips_partner = ?`,
        [team],
      ),
      queryRows<{ pathwayId: string; heldOn: string }>(
        this.context,
        `select pathway_id as "pathwayId", to_char(held_on, 'YYYY-MM-DD') as "heldOn" from pathways.benefits_counselling where pathway_id in (${ipsPathways})`,
        [team],
      ),
      queryRows<{ pathwayId: string; startsOn: string; lastDay: string | null }>(
        this.context,
        `select pathway_id as "pathwayId", to_char(starts_on, 'YYYY-MM-DD') as "startsOn", to_char(coalesce(ended_on, ends_on), 'YYYY-MM-DD') as "lastDay"
         from pathways.employment_contract where pathway_id in (${ipsPathways})`,
        [team],
      ),
      queryRows<{ pathwayId: string; supportedOn: string }>(
        this.context,
        `select pathway_id as "pathwayId", to_char(supported_on, 'YYYY-MM-DD') as "supportedOn" from pathways.follow_along_support where pathway_id in (${ipsPathways})`,
        [team],
      ),
      queryRows<{ fteHundredths: number; enrolledOn: string; endedOn: string | null }>(
        this.context,
        `select fte_hundredths as "fteHundredths", to_char(enrolled_on, 'YYYY-MM-DD') as "enrolledOn", to_char(ended_on, 'YYYY-MM-DD') as "endedOn"
         from participants.published_staff_member where organisation = ? and function = 'JOB_COACH'`,
        [team],
      ),
    ]);
    return { pathways, employerContacts, counselling, jobs, support, coaches };
  }

  /** The supervisor's own team (their organisation), per quarter asked: nothing of another team. */
  async forSupervisor(labels?: readonly string[] | null): Promise<TeamPracticeRow[]> {
    const quarters = quartersAsked(labels);
    const team = this.context.identity.organisation;
    const facts = await this.facts(team);
    return quarters.map((quarter) => ({ team, ...practiceIndicators(facts, quarter) }));
  }
}
