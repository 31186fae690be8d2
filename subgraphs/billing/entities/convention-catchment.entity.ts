import { randomUUID } from 'node:crypto';
import { Check, Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ConventionEntity } from './convention.entity.js';

/** Postcodes a convention serves (R3: "FIF pour la région de Charleroi et de Liège"); no two conventions share one. */
@Entity({ tableName: 'convention_catchment' })
@Check({
  name: 'convention_catchment_range_check',
  expression:
    '(postcode_from >= 1000) AND (postcode_from <= 9999) AND (postcode_to >= postcode_from) AND (postcode_to <= 9999)',
})
@Check({
  name: 'convention_catchment_no_overlap',
  expression: "EXCLUDE USING gist (int4range(postcode_from, postcode_to, '[]'::text) WITH &&)",
})
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
