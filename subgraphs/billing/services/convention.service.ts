/** Reading INAMI's conventions with the IPS partners. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { byKey } from '../../kit/context.js';
import type { Region } from '../../kit/domain.js';
import { ConventionEntity } from '../entities/convention.entity.js';

export const conventionsById = byKey<string, ConventionEntity>(
  (ids, { em }) => em.find(ConventionEntity, { id: { $in: [...ids] } }),
  (convention) => convention.id,
);

export class ConventionService {
  constructor(private readonly em: EntityManager) {}

  async list(region?: Region): Promise<ConventionEntity[]> {
    return this.em.find(ConventionEntity, region ? { region } : {}, { orderBy: { region: 'asc', code: 'asc' } });
  }
}
