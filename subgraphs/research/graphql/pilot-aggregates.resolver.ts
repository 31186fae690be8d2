import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { SubgraphContext } from '../../kit/context.js';
import { Region } from '../../kit/domain.js';
import { DEFAULT_LANGUAGE } from '../../../schema/i18n/index.js';
import { readsExactCounts } from '../../../schema/policy.js';
import {
  AggregateMeasureValue,
  CASELOAD_GUIDELINE,
  memberLabel,
  PilotAggregatesService,
  sliceByRegion,
} from '../services/pilot-aggregates.service.js';
import { AggregateTable, PartnerCaseloads, SuppressionValue, TeamFidelity } from './pilot-aggregates.type.js';

const REGION_ARG = {
  nullable: true,
  description: "One region's slice of the national table; the whole pilot when absent.",
} as const;

@Resolver()
export class PilotAggregatesResolver {
  @Query(() => AggregateTable, {
    description:
      "One of the pilot's published tables for regional dashboards: disclosure-controlled, or exact for the readers of exact counts (schema/policy.ts COUNT_READERS).",
  })
  async pilotAggregates(
    @Arg('measure', () => AggregateMeasureValue) measure: AggregateMeasureValue,
    @Arg('region', () => Region, REGION_ARG) region: Region | null | undefined,
    @Ctx() context: SubgraphContext,
  ): Promise<AggregateTable> {
    const result = await new PilotAggregatesService(context).table(
      measure,
      region ?? null,
      readsExactCounts(context.identity.role),
    );
    const language = context.language ?? DEFAULT_LANGUAGE;
    return {
      measure,
      threshold: result.threshold,
      asOf: result.asOf,
      region: result.region,
      dimensions: result.table.dimensions.map((d) => ({
        name: d.name,
        members: [...d.members],
        labels: d.members.map((member) => memberLabel(language, d.name, member)),
        groups: Object.entries(d.groups ?? {}).map(([name, members]) => ({
          name,
          label: memberLabel(language, d.name, name),
          members: [...members],
        })),
        total: d.total !== false,
      })),
      cells: sliceByRegion(result).map((cell) => ({
        key: [...cell.key],
        count: cell.count,
        margin: cell.margin,
        perturbed: cell.perturbed === true,
        suppression: cell.suppressed === false ? SuppressionValue.NONE : SuppressionValue[cell.suppressed],
      })),
    };
  }

  @Query(() => [PartnerCaseloads], {
    description: "Each IPS partner's coaches and their caseloads against the guideline (staff counts).",
  })
  async coachCaseloads(
    @Arg('region', () => Region, REGION_ARG) region: Region | null | undefined,
    @Ctx() context: SubgraphContext,
  ): Promise<PartnerCaseloads[]> {
    const rows = await new PilotAggregatesService(context).coachCaseloads(region ?? null);
    return rows.map((row) => ({
      ...row,
      coaches: row.caseloads.length,
      guideline: CASELOAD_GUIDELINE,
      overGuideline: row.caseloads.filter((n) => n > CASELOAD_GUIDELINE).length,
    }));
  }

  @Query(() => [TeamFidelity], { description: "Each IPS team's latest IPS-25 fidelity band." })
  async teamFidelity(
    @Arg('region', () => Region, REGION_ARG) region: Region | null | undefined,
    @Ctx() context: SubgraphContext,
  ): Promise<TeamFidelity[]> {
    return new PilotAggregatesService(context).teamFidelity(region ?? null);
  }
}
