import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ConventionEntity } from './convention.entity.js';

/** Postcodes a convention serves (R3: "FIF pour la région de Charleroi et de Liège"); no two conventions share one. */
@Entity({ tableName: 'convention_catchment' })
export class ConventionCatchmentEntity {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ConventionEntity)
  @Index()
  convention!: ConventionEntity;

  @Property()
  postcodeFrom!: number;

  @Property()
  postcodeTo!: number;

  @Property({ length: 200 })
  area!: string;
}
