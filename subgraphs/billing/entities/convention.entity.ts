import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Region } from '../../kit/domain.js';

/** INAMI's convention with one IPS coaching partner (R17; DOMAIN.md "The Belgian pilot"). */
@Entity({ tableName: 'convention' })
@Check({
  name: 'convention_partner_pathways_check',
  expression: '(partner_pathways >= 0) AND (partner_pathways <= regional_pathways)',
})
@Check({
  name: 'convention_terms_check',
  expression:
    '(version >= 1) AND (coach_fte_hundredths >= 0) AND (supervisor_fte_hundredths >= 0) AND (coach_fte_month_cents >= 0) AND (supervisor_fte_month_cents >= 0) AND ((pathway_start_cents IS NULL) OR (pathway_start_cents >= 0)) AND ((valid_to IS NULL) OR (valid_to >= valid_from))',
})
export class ConventionEntity {
  [OptionalProps]?:
    'id' | 'site' | 'version' | 'validFrom' | 'illustrative' | 'coachFteMonthCents' | 'supervisorFteMonthCents';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ length: 40, unique: true })
  code!: string;

  @Property({ length: 200 })
  partner!: string;

  @Enum({ items: () => Region })
  region!: Region;

  @Property({ length: 100, nullable: true })
  site?: string;

  /** The SRE the partner works with (VDAB, FOREM, ACTIRIS). */
  @Property({ length: 20 })
  employmentService!: string;

  /** Pathways funded in the partner's region (340 Flanders, 200 Wallonia, 60 Brussels), shared by the region's partners. */
  @Property()
  regionalPathways!: number;

  /** This partner's own share of its region's pathways; the shares of a region sum to its pathways (migration 003). */
  @Property()
  partnerPathways!: number;

  @Property()
  jobCoaches!: number;

  /** Supervisor full-time equivalents (½ for the Walloon and Brussels partners). */
  @Property({ type: 'double' })
  supervisorFte!: number;

  /** The version in force: 1 as the pilot started, one more per amendment applied. */
  @Property()
  version: number = 1;

  @Property({ type: 'date' })
  validFrom: string = '2019-04-01';

  @Property({ type: 'date', nullable: true })
  validTo?: string | null;

  /** Coach FTE the convention funds, in hundredths (exact: 17 coaches = 1700). */
  @Property()
  coachFteHundredths!: number;

  /** Supervisor FTE the convention funds, in hundredths (½ = 50). */
  @Property()
  supervisorFteHundredths!: number;

  /** Funding line: euro cents per coach FTE-month. */
  @Property()
  coachFteMonthCents: number = 0;

  /** Funding line: euro cents per supervisor FTE-month. */
  @Property()
  supervisorFteMonthCents: number = 0;

  /** Optional funding line: euro cents per pathway started (registered under the convention), where the convention pays one. */
  @Property({ type: 'integer', nullable: true })
  pathwayStartCents?: number | null;

  /** The amounts are the demo's, not a signed convention's. */
  @Property()
  illustrative: boolean = true;
}
