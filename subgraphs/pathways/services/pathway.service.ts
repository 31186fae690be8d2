/**
 * INAMI's registry of pathways (R5): one pathway per referral, under the convention
 * of an IPS partner of the person's region (R17).
 */
import type { Identity } from '../../../schema/identity.js';
import type { Region } from '../../kit/domain.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../../../schema/errors.js';
import { visibleOrNull } from '../../kit/access/guard.js';
import { ledgerByParticipant, writeLedgerFacts } from '../../kit/access/ledger.js';
import { createIdempotently } from '../../kit/idempotency.js';
import { byKey, type SubgraphContext } from '../../kit/context.js';
import { queryRows, type SqlRunner } from '../../kit/raw-sql.js';
import { assertUuid } from '../../kit/validation.js';
import { PathwayEntity, PathwayStatus } from '../entities/pathway.entity.js';
import type { AssignJobCoachInput, RegisterPathwayInput } from '../graphql/pathway.inputs.js';

export const pathwaysById = byKey<string, PathwayEntity>(
  (ids, { em }) => em.find(PathwayEntity, { id: { $in: [...ids] } }),
  (pathway) => pathway.id,
);

/** The participant's current pathway (the most recent registration). */
export const pathwayByParticipant = async (participantIds: readonly string[], { em }: SubgraphContext) => {
  const pathways = await em.find(PathwayEntity, { participantId: { $in: [...participantIds] } }, { orderBy: { registeredAt: 'desc' } });
  const latest = new Map<string, PathwayEntity>();
  for (const pathway of pathways) if (!latest.has(pathway.participantId)) latest.set(pathway.participantId, pathway);
  return participantIds.map((id) => latest.get(id));
};

interface PublishedReferral {
  referral_id: string;
  participant_id: string;
  region: Region;
  superseded: boolean;
}

interface PublishedConvention {
  convention_id: string;
  code: string;
  region: Region;
}

export class PathwayService {
  /** The supervisor of the pathway's IPS partner names its job coach (R11); the coach joins the circle at once. */
  async assignJobCoach(context: SubgraphContext, input: AssignJobCoachInput): Promise<PathwayEntity> {
    const pathwayId = assertUuid('input.pathwayId', input.pathwayId);
    const jobCoach = input.jobCoach.trim();
    if (jobCoach.length === 0 || jobCoach.length > 200) throw new InvalidInputError('input.jobCoach', 'must be 1 to 200 characters');
    const pathway = await visibleOrNull(context, 'Pathway', await context.loaders.load(pathwaysById, pathwayId));
    if (!pathway || pathway.ipsPartner !== context.identity.organisation) throw new NotFoundError('Pathway');
    if (pathway.status !== PathwayStatus.OPEN) throw new ConflictError('The pathway has ended');
    await context.em.transactional(async (em) => {
      const managed = await em.findOneOrFail(PathwayEntity, { id: pathwayId });
      managed.jobCoach = jobCoach;
      await em.flush();
      await writeLedgerFacts({ em, sqlCounter: this.runner.sqlCounter }, 'pathways', managed.participantId, { jobCoachSubject: jobCoach });
    });
    context.loaders.forget(ledgerByParticipant, pathway.participantId);
    return (await context.em.findOneOrFail(PathwayEntity, { id: pathwayId }, { refresh: true }));
  }

  constructor(private readonly runner: SqlRunner) {}

  async register(input: RegisterPathwayInput, idempotencyKey: string, registrar: Identity): Promise<PathwayEntity> {
    const referralId = assertUuid('input.referralId', input.referralId);
    const conventionId = assertUuid('input.conventionId', input.conventionId);
    return createIdempotently(this.runner.em, {
      key: idempotencyKey,
      requestedBy: registrar.subject,
      arguments: { referralId, conventionId },
      findPrevious: (em, key, requestedBy) => em.findOne(PathwayEntity, { idempotencyKey: key, requestedBy }),
      create: async (em, requestFingerprint) => {
        const reader = { em, sqlCounter: this.runner.sqlCounter };
        const [referral] = await queryRows<PublishedReferral>(
          reader,
          'select referral_id, participant_id, region, superseded from participants.published_referral where referral_id = ?',
          [referralId],
        );
        if (!referral) throw new InvalidInputError('input.referralId', 'no referral with this id reached the intake');
        if (referral.superseded) throw new InvalidInputError('input.referralId', 'this version of the form was amended: register the latest version (R3)');
        const [convention] = await queryRows<PublishedConvention>(
          reader,
          'select convention_id, code, region from billing.published_convention where convention_id = ?',
          [conventionId],
        );
        if (!convention) throw new InvalidInputError('input.conventionId', 'no convention with this id');
        if (convention.region !== referral.region) {
          throw new InvalidInputError('input.conventionId', `the convention serves ${convention.region}, the person lives in ${referral.region}`);
        }
        const existing = await em.findOne(PathwayEntity, { referralId });
        if (existing) throw new ConflictError(`A pathway (${existing.registryNumber}) is already registered for this referral`);
        // Duplicate detection on the person (one NISS): a second open pathway is refused (R5).
        const open = await em.findOne(PathwayEntity, { participantId: referral.participant_id, status: PathwayStatus.OPEN });
        if (open) throw new ConflictError(`This person already has an open pathway (${open.registryNumber}): no second pathway`);
        const [sequence] = await queryRows<{ n: string }>(reader, "select nextval('pathways.registry_number_seq') as n", []);
        const pathway = em.create(PathwayEntity, {
          registryNumber: `IPS-${String(sequence!.n).padStart(6, '0')}`,
          referralId,
          participantId: referral.participant_id,
          conventionId,
          ipsPartner: convention.code,
          idempotencyKey,
          requestedBy: registrar.subject,
          requestFingerprint,
        });
        // The partner's supervisors enter the person's circle with the pathway, in this transaction.
        await writeLedgerFacts(reader, 'pathways', referral.participant_id, { ipsPartner: convention.code });
        return pathway;
      },
    });
  }
}
