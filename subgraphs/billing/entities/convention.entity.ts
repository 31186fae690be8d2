import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Region } from '../../kit/domain.js';

/** INAMI's convention with one IPS coaching partner (R17; DOMAIN.md "The Belgian pilot"). */
@Entity({ tableName: 'convention' })
@Check({ name: 'convention_partner_pathways_check', expression: '(partner_pathways >= 0) AND (partner_pathways <= regional_pathways)' })
export class ConventionEntity {
  [OptionalProps]?: 'id' | 'site';

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
}
