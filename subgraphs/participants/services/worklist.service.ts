/**
 * The lists of people each actor works from, and the lookup by national number. Which rows a
 * list holds is decided by the policy alone (accessCondition: the role's CIRCLE relation and
 * the person's consent, the same decision as a read by id), never by a check written here.
 */
import { InvalidInputError } from '../../../schema/errors.js';
import { categoryOf } from '../../../schema/policy.js';
import { accessCondition, type LedgerRow } from '../../kit/access/decide.js';
import { visibleOrNull } from '../../kit/access/guard.js';
import { ledgerByParticipant, ledgerColumns } from '../../kit/access/ledger.js';
import { connection, type ConnectionValue, type KeysetSource } from '../../kit/connection.js';
import { byKey, type SubgraphContext } from '../../kit/context.js';
import type { Region } from '../../kit/domain.js';
import { findInOrder } from '../../kit/raw-sql.js';
import { ParticipantEntity } from '../entities/participant.entity.js';
import { ReferralEntity } from '../entities/referral.entity.js';
import { checkNiss } from './niss.js';
import type { ConnectionArguments } from 'graphql-relay';

/** Batch loader for `_entities` of Referral: a worklist of forms (INAMI's intake, the SRE's inbox) reads them in one statement. */
export const referralsById = byKey<string, ReferralEntity>(
  (ids, { em }) => em.find(ReferralEntity, { id: { $in: [...ids] } }),
  (referral) => referral.id,
);

export class WorklistService {
  constructor(private readonly context: SubgraphContext) {}

  /** The participants the caller may see (INAMI: the registry; OA: its members; physician: their patients), newest first. */
  people(args: ConnectionArguments, filter: { region?: Region }): Promise<ConnectionValue<ParticipantEntity>> {
    const category = categoryOf('Participant', 'id');
    if (!category) throw new Error('The policy gives Participant.id no data category');
    const visible = accessCondition(this.context.identity, category);
    const source: KeysetSource = {
      from: 'participants.participant p join access.ledger l on l.participant_id = p.id',
      where: [visible.sql, ...(filter.region ? ['p.region = ?'] : [])],
      params: [...visible.params, ...(filter.region ? [filter.region] : [])],
      key: 'p.created_at',
      keyType: 'timestamptz',
      id: 'p.id',
      select: ledgerColumns(this.context.identity),
      // Counted from the ledger alone: every participant has its ledger row and every ledger row the policy lets the caller
      // see carries facts only the participants subgraph writes for its people (their circle, their consent), so the join
      // adds and removes nothing. The region filter reads the participant's own column, joined.
      count: filter.region ? undefined : { from: 'access.ledger l', where: [visible.sql], params: visible.params },
    };
    return connection<LedgerRow & { id: string; sortKey: string }, ParticipantEntity>(
      this.context,
      source,
      args,
      (rows) => {
        // The ledger rows came with the page: the field rules need not read them again.
        for (const row of rows) this.context.loaders.prime(ledgerByParticipant, row.id, row);
        return findInOrder(
          this.context.em,
          ParticipantEntity,
          rows.map((row) => row.id),
        );
      },
      (participant) => participant.id,
    );
  }

  /**
   * The person with this national number, if the caller may see them; null otherwise — the same
   * answer as for a number no one has (R18: existence never leaks). A malformed number is
   * BAD_USER_INPUT whoever asks: that says nothing about anyone.
   */
  async byNiss(niss: string): Promise<ParticipantEntity | null> {
    const check = checkNiss(niss);
    if (!check.valid) throw new InvalidInputError('niss', check.message);
    const participant = await this.context.em.findOne(ParticipantEntity, { niss: check.facts.digits });
    return visibleOrNull(this.context, 'Participant', participant);
  }
}
