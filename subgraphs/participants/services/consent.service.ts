/**
 * The information-sharing consent (R1e, R18) and the research consent (R1f): given,
 * narrowed and withdrawn by the person, or by their physician of record with the
 * signed form. Every change and its mirror in the access ledger share one transaction,
 * so a withdrawal is in force from the very next request in every subgraph.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { InvalidInputError } from '../../../schema/errors.js';
import type { Identity } from '../../../schema/identity.js';
import {
  CONSENT_SCOPE,
  grantKey,
  ON_CONSENT_WITHDRAWN,
  RECIPIENTS,
  type DataCategory,
  type Recipient,
} from '../../../schema/policy.js';
import { writeLedgerFacts } from '../../kit/access/ledger.js';
import { lockById, runCommand } from '../../kit/command.js';
import { belgianToday, CATEGORY_VALUE, RECIPIENT_VALUE } from '../../kit/domain.js';
import { publishEvent } from '../../kit/outbox.js';
import type { SubgraphContext } from '../../kit/context.js';
import { groupedBy } from '../../kit/context.js';
import type { ConsentRecipientValue, DataCategoryValue } from '../../kit/domain.js';
import { queryRows, type SqlRunner } from '../../kit/raw-sql.js';
import { assertUuid } from '../../kit/validation.js';
import { ParticipantEntity } from '../entities/participant.entity.js';
import { ConsentGrantEntity, ResearchConsentEntity } from '../entities/consent.entity.js';

export interface ConsentReceipt {
  participantId: string;
  recordedAt: Date;
  recordedBy: string;
}

export interface GrantRequest {
  recipient: ConsentRecipientValue;
  categories: DataCategoryValue[];
}

interface Grant {
  recipient: Recipient;
  category: DataCategory;
}

/** Everything a consent can grant: each recipient, what the pathway needs it to see. */
export const FULL_CONSENT: GrantRequest[] = RECIPIENTS.map((recipient) => ({
  recipient: RECIPIENT_VALUE[recipient],
  categories: CONSENT_SCOPE[recipient].map((category) => CATEGORY_VALUE[category]),
}));

/** Checks requested grants against CONSENT_SCOPE; names the offending entry. */
export function validateGrants(field: string, requests: GrantRequest[]): Grant[] {
  if (requests.length === 0) throw new InvalidInputError(field, { id: 'consent.noRecipient' });
  return requests.flatMap((request, index) => {
    if (request.categories.length === 0)
      throw new InvalidInputError(`${field}.${index}.categories`, { id: 'consent.noCategory' });
    return request.categories.map((category) => {
      if (!CONSENT_SCOPE[request.recipient].includes(category)) {
        throw new InvalidInputError(`${field}.${index}.categories`, {
          id: 'consent.categoryNotNeeded',
          params: { recipient: request.recipient, category },
        });
      }
      return { recipient: request.recipient, category };
    });
  });
}

export function assertSignedForm(field: string, reference: string | undefined | null): string {
  const value = reference?.trim() ?? '';
  if (value.length < 3 || value.length > 200) throw new InvalidInputError(field, { id: 'consent.formReference' });
  return value;
}

/** A grant in force as the graph shows it: a plain row, not an entity (a 100-person page carries 2 300 of them, and reads change none). */
export interface GrantInForce {
  id: string;
  participant: { id: string };
  recipient: ConsentRecipientValue;
  category: DataCategoryValue;
  signedFormReference: string;
  grantedAt: Date;
  grantedBy: string;
}

export const activeGrantsByParticipant = groupedBy<string, GrantInForce>(
  async (participantIds, context) =>
    (
      await queryRows<Omit<GrantInForce, 'participant' | 'grantedAt'> & { participantId: string; grantedAt: string }>(
        context,
        `select id, participant_id as "participantId", recipient, category, signed_form_reference as "signedFormReference", granted_at as "grantedAt", granted_by as "grantedBy"
         from participants.consent_grant where participant_id in (?) and revoked_at is null order by recipient, category`,
        [[...participantIds]],
      )
    ).map(({ participantId, grantedAt, ...grant }) => ({
      ...grant,
      grantedAt: new Date(grantedAt),
      participant: { id: participantId },
    })), // raw rows carry timestamps as text
  (grant) => grant.participant.id,
);

export const researchConsentByParticipant = groupedBy<string, ResearchConsentEntity>(
  (participantIds, { em }) =>
    em.find(ResearchConsentEntity, { participant: { $in: [...participantIds] } }, { orderBy: { givenAt: 'desc' } }),
  (consent) => consent.participant.id,
);

export class ConsentService {
  constructor(private readonly context: SubgraphContext) {}

  /** Records grants from a signed form inside the caller's transaction (the referral uses it too). */
  static async grant(
    em: EntityManager,
    participant: ParticipantEntity,
    grants: Grant[],
    signedFormReference: string,
    actor: Identity,
  ): Promise<void> {
    const active = await em.find(ConsentGrantEntity, { participant, revokedAt: null });
    const held = new Set(active.map((grant) => grantKey(grant.recipient, grant.category)));
    for (const grant of grants) {
      if (held.has(grantKey(grant.recipient, grant.category))) continue;
      held.add(grantKey(grant.recipient, grant.category));
      em.create(ConsentGrantEntity, {
        participant,
        recipient: RECIPIENT_VALUE[grant.recipient],
        category: CATEGORY_VALUE[grant.category],
        signedFormReference,
        grantedBy: actor.subject,
      });
    }
  }

  /** Mirrors the grants in force into the access ledger, in the same transaction. */
  static async syncLedger(runner: SqlRunner, participantId: string): Promise<void> {
    const { em } = runner;
    await em.flush();
    const active = await em.find(ConsentGrantEntity, { participant: participantId, revokedAt: null });
    const research = await em.findOne(ResearchConsentEntity, { participant: participantId, withdrawnAt: null });
    await writeLedgerFacts(runner, 'participants', participantId, {
      consentGrants: active.map((grant) => grantKey(grant.recipient, grant.category)).sort(),
      researchConsent: research !== null,
    });
  }

  give(
    participantId: string,
    requests: GrantRequest[],
    signedFormReference: string,
    idempotencyKey: string,
  ): Promise<ConsentReceipt> {
    return this.change(
      'giveInformationSharingConsent',
      idempotencyKey,
      { participantId, requests, signedFormReference },
      () => ({
        grants: validateGrants('grants', requests),
        form: assertSignedForm('signedFormReference', signedFormReference),
      }),
      async (em, participant, { grants, form }) => {
        await ConsentService.grant(em, participant, grants, form, this.context.identity);
      },
    );
  }

  narrow(
    participantId: string,
    requests: GrantRequest[],
    signedFormReference: string | null | undefined,
    idempotencyKey: string,
  ): Promise<ConsentReceipt> {
    return this.change(
      'narrowInformationSharingConsent',
      idempotencyKey,
      { participantId, requests, signedFormReference },
      () => {
        this.assertPhysicianHasForm(signedFormReference);
        return new Set(validateGrants('revoke', requests).map((grant) => grantKey(grant.recipient, grant.category)));
      },
      async (em, participant, revoked) => {
        for (const grant of await em.find(ConsentGrantEntity, { participant, revokedAt: null })) {
          if (revoked.has(grantKey(grant.recipient, grant.category))) this.revoke(grant);
        }
      },
    );
  }

  /**
   * Withdraws every grant (R18) and, in the same transaction, publishes the withdrawal for the
   * subgraphs whose records it closes (schema/policy.ts ON_CONSENT_WITHDRAWN): the pathway ends,
   * the physician is told. Only a withdrawal of a consent in force is an event.
   */
  withdraw(
    participantId: string,
    signedFormReference: string | null | undefined,
    idempotencyKey: string,
  ): Promise<ConsentReceipt> {
    return this.change(
      'withdrawInformationSharingConsent',
      idempotencyKey,
      { participantId, signedFormReference },
      () => this.assertPhysicianHasForm(signedFormReference),
      async (em, participant, _input, tx) => {
        const inForce = await em.find(ConsentGrantEntity, { participant, revokedAt: null });
        for (const grant of inForce) this.revoke(grant);
        if (inForce.length === 0) return;
        const { identity } = this.context;
        await publishEvent(tx, ON_CONSENT_WITHDRAWN.producedBy, ON_CONSENT_WITHDRAWN.event, participant.id, {
          withdrawnOn: belgianToday(),
          // The person is named by their role, not their national number: the pathway's actors read who ended it.
          withdrawnBy: identity.role === 'PARTICIPANT' ? 'PARTICIPANT' : identity.subject,
          withdrawnByRole: identity.role,
        });
      },
    );
  }

  giveResearch(participantId: string, signedFormReference: string, idempotencyKey: string): Promise<ConsentReceipt> {
    return this.change(
      'giveResearchConsent',
      idempotencyKey,
      { participantId, signedFormReference },
      () => assertSignedForm('signedFormReference', signedFormReference),
      async (em, participant, form) => {
        if (!(await em.findOne(ResearchConsentEntity, { participant, withdrawnAt: null }))) {
          em.create(ResearchConsentEntity, {
            participant,
            signedFormReference: form,
            givenBy: this.context.identity.subject,
          });
        }
      },
    );
  }

  withdrawResearch(
    participantId: string,
    signedFormReference: string | null | undefined,
    idempotencyKey: string,
  ): Promise<ConsentReceipt> {
    return this.change(
      'withdrawResearchConsent',
      idempotencyKey,
      { participantId, signedFormReference },
      () => this.assertPhysicianHasForm(signedFormReference),
      async (em, participant) => {
        for (const consent of await em.find(ResearchConsentEntity, { participant, withdrawnAt: null })) {
          consent.withdrawnAt = new Date();
          consent.withdrawnBy = this.context.identity.subject;
        }
      },
    );
  }

  /** Reads the person's access log, newest first. */
  async accessLog(participantId: string, first: number) {
    const rows = await queryRows<{
      at: Date | string;
      subject: string;
      role: string;
      organisation: string;
      categories: string[];
      operation: string;
      subgraph: string;
      participantId: string;
    }>(
      this.context,
      `select at, subject, role, organisation, categories, operation, subgraph, participant_id as "participantId"
       from access.access_log where participant_id = ? order by at desc, id desc limit ?`,
      [participantId, first],
    );
    return rows.map((row) => ({ ...row, at: new Date(row.at) })); // raw rows may carry timestamps as text
  }

  private revoke(grant: ConsentGrantEntity): void {
    grant.revokedAt = new Date();
    grant.revokedBy = this.context.identity.subject;
  }

  /** The physician acts on the person's behalf only with the signed form (R1e). */
  private assertPhysicianHasForm(signedFormReference: string | undefined | null): void {
    if (this.context.identity.role === 'MEDECIN_CONSEIL') assertSignedForm('signedFormReference', signedFormReference);
  }

  /**
   * Every consent change: a command on the person (ACTIONS: the person, or their physician of record
   * whatever the consent in force), mirrored in the ledger in the same transaction.
   */
  private change<V>(
    action: string,
    idempotencyKey: string,
    args: object,
    validate: () => V,
    apply: (em: EntityManager, participant: ParticipantEntity, input: V, tx: SqlRunner) => Promise<void>,
  ): Promise<ConsentReceipt> {
    return runCommand(this.context, {
      action,
      idempotencyKey,
      args,
      validate: () => ({
        id: assertUuid('participantId', (args as { participantId: string }).participantId),
        input: validate(),
      }),
      target: async (tx, { id }) => ((await lockById(tx, ParticipantEntity, id)) ? { participantId: id } : undefined),
      apply: async (tx, { id, input }) => {
        await apply(tx.em, await tx.em.findOneOrFail(ParticipantEntity, { id }), input, tx);
        await ConsentService.syncLedger(tx, id);
        return id;
      },
      answer: (id, recordedAt) =>
        Promise.resolve({ participantId: id, recordedAt, recordedBy: this.context.identity.subject }),
    });
  }
}
