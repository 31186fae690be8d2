/** Reading INAMI's conventions with the IPS partners. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { byKey, groupedBy } from '../../kit/context.js';
import type { Region } from '../../kit/domain.js';
import { ConventionCatchmentEntity } from '../entities/convention-catchment.entity.js';
import { ConventionEntity } from '../entities/convention.entity.js';

export const conventionsById = byKey<string, ConventionEntity>(
  (ids, { em }) => em.find(ConventionEntity, { id: { $in: [...ids] } }),
  (convention) => convention.id,
);

/** The postcode ranges of many conventions in one statement. */
export const catchmentByConvention = groupedBy<string, ConventionCatchmentEntity>(
  (ids, { em }) =>
    em.find(ConventionCatchmentEntity, { convention: { $in: [...ids] } }, { orderBy: { postcodeFrom: 'asc' } }),
  (catchment) => catchment.convention.id,
);

export class ConventionService {
  constructor(private readonly em: EntityManager) {}

  async list(region?: Region): Promise<ConventionEntity[]> {
    return this.em.find(ConventionEntity, region ? { region } : {}, { orderBy: { region: 'asc', code: 'asc' } });
  }
}
