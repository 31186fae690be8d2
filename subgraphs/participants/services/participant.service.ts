/** Reading participants: by id (batched), by NISS for the person themself, and as a registry page. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { byKey } from '../../kit/context.js';
import type { Region } from '../../kit/domain.js';
import { ParticipantEntity } from '../entities/participant.entity.js';
import { checkNiss } from './niss.js';

/** Batch loader for `_entities` and every lookup by id: one statement per request. */
export const participantsById = byKey<string, ParticipantEntity>(
  (ids, { em }) => em.find(ParticipantEntity, { id: { $in: [...ids] } }),
  (participant) => participant.id,
);

export class ParticipantService {
  constructor(private readonly em: EntityManager) {}

  /** The participant whose NISS is the caller's subject (eID login gives the NISS). */
  async findByNiss(niss: string): Promise<ParticipantEntity | null> {
    const check = checkNiss(niss);
    return check.valid ? this.em.findOne(ParticipantEntity, { niss: check.facts.digits }) : null;
  }

  async list(page: { first: number; offset: number; region?: Region }): Promise<ParticipantEntity[]> {
    return this.em.find(ParticipantEntity, page.region ? { region: page.region } : {}, {
      orderBy: { familyName: 'asc', givenName: 'asc', id: 'asc' },
      limit: page.first,
      offset: page.offset,
    });
  }
}
