/** Reading participants: by id (batched), by NISS for the person themself, and as a page of those the caller may see. */
import type { Identity } from '../../../schema/identity.js';
import { categoryOf } from '../../../schema/policy.js';
import { accessCondition, type LedgerRow } from '../../kit/access/decide.js';
import { ledgerByParticipant, ledgerColumns } from '../../kit/access/ledger.js';
import { byKey, type SubgraphContext } from '../../kit/context.js';
import type { Region } from '../../kit/domain.js';
import { findInOrder, queryRows } from '../../kit/raw-sql.js';
import { ParticipantEntity } from '../entities/participant.entity.js';
import { checkNiss } from './niss.js';

/** Batch loader for `_entities` and every lookup by id: one statement per request. */
export const participantsById = byKey<string, ParticipantEntity>(
  (ids, { em }) => em.find(ParticipantEntity, { id: { $in: [...ids] } }),
  (participant) => participant.id,
);

export class ParticipantService {
  constructor(private readonly context: SubgraphContext) {}

  /** The participant whose NISS is the caller's subject (eID login gives the NISS). */
  async findByNiss(niss: string): Promise<ParticipantEntity | null> {
    const check = checkNiss(niss);
    return check.valid ? this.context.em.findOne(ParticipantEntity, { niss: check.facts.digits }) : null;
  }

  /**
   * A page of the participants the caller may see, filtered in the database with the
   * same decision the shield makes (circle and consent from the access ledger): counts
   * and pages never reveal anyone hidden.
   */
  async listVisible(
    identity: Identity,
    page: { first: number; offset: number; region?: Region },
  ): Promise<ParticipantEntity[]> {
    const category = categoryOf('Participant', 'id');
    if (!category) throw new Error('The policy gives Participant.id no data category');
    const visible = accessCondition(identity, category);
    const rows = await queryRows<LedgerRow & { id: string }>(
      this.context,
      `select p.id, ${ledgerColumns(identity)} from participants.participant p join access.ledger l on l.participant_id = p.id
       where ${visible.sql} ${page.region ? 'and p.region = ?' : ''}
       order by p.family_name, p.given_name, p.id limit ? offset ?`,
      [...visible.params, ...(page.region ? [page.region] : []), page.first, page.offset],
    );
    // The ledger rows came with the page: the field rules need not read them again.
    for (const row of rows) this.context.loaders.prime(ledgerByParticipant, row.id, row);
    return findInOrder(
      this.context.em,
      ParticipantEntity,
      rows.map((row) => row.id),
    );
  }
}
