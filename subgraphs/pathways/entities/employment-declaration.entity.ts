import { Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';

/** The monthly wage band social security declares a job in, against the guaranteed minimum wage and the median wage. */
export enum WageBand {
  BELOW_MINIMUM = 'BELOW_MINIMUM',
  MINIMUM_TO_MEDIAN = 'MINIMUM_TO_MEDIAN',
  ABOVE_MEDIAN = 'ABOVE_MEDIAN',
}

/**
 * Employment declared to social security for one person, month and employer, as INAMI passed it on in a
 * monthly file (POST /uploads/employment-declarations): an outcome of the trial in both arms, whatever the
 * pathway, published as an employment episode spanning the month (published_employment_episode). Never changed.
 */
@Entity({ tableName: 'employment_declaration' })
@Unique({ properties: ['participantId', 'month', 'employerNumber'] })
export class EmploymentDeclarationEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid', index: true })
  participantId!: string;

  /** The month declared, as its first day. */
  @Property({ type: 'date' })
  month!: string;

  /** The employer's enterprise number (BCE/KBO, 10 digits). */
  @Property({ length: 10 })
  employerNumber!: string;

  /** Days worked in the month, when declared in days (else null: `hours`). */
  @Property({ type: 'integer', nullable: true })
  days?: number | null;

  /** Hours worked in the month, when declared in hours (else null: `days`). */
  @Property({ type: 'double', nullable: true })
  hours?: number | null;

  @Enum({ items: () => WageBand })
  wageBand!: WageBand;

  /** Whether social security declares the job competitive (open labour market, at least the minimum wage, not reserved). */
  @Property()
  competitive!: boolean;

  /** The batch (pathways.upload_batch) and line it came from. */
  @Property({ type: 'uuid', index: true })
  batchId!: string;

  @Property()
  batchLine!: number;

  @Property({ type: 'timestamptz' })
  recordedAt!: Date;
}
