/**
 * INAMI's registry of pathways (R5): one pathway per referral, under the convention
 * of an IPS partner of the person's region (R17).
 */
import { belgianToday, type Region } from '../../kit/domain.js';
import { InvalidInputError } from '../../../schema/errors.js';
import type { TargetFacts } from '../../kit/access/decide.js';
import { writeLedgerFacts } from '../../kit/access/ledger.js';
import { loadFresh, lockById, runCommand, type CommandTx } from '../../kit/command.js';
import { byKey, type SubgraphContext } from '../../kit/context.js';
import { queryRows } from '../../kit/raw-sql.js';
import { assertUuid, cleanText } from '../../kit/validation.js';
import { PathwayEndReason, PathwayEntity, PathwayStatus } from '../entities/pathway.entity.js';

export const pathwaysById = byKey<string, PathwayEntity>(
  (ids, { em }) => em.find(PathwayEntity, { id: { $in: [...ids] } }),
  (pathway) => pathway.id,
);

/** The participant's current pathway (the most recent registration). */
export const pathwayByParticipant = async (participantIds: readonly string[], { em }: SubgraphContext) => {
  const pathways = await em.find(
    PathwayEntity,
    { participantId: { $in: [...participantIds] } },
    { orderBy: { registeredAt: 'desc' } },
  );
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

/**
 * The convention a referral is registered under: the one whose catchment holds the person's postcode
 * (R3: the FIF serves Liège or Charleroi; billing.published_convention_catchment). A given convention
 * must be that one; BAD_USER_INPUT names the field otherwise.
 */
async function conventionOfReferral(
  tx: CommandTx,
  referralId: string,
  conventionId: string | undefined,
): Promise<PublishedConvention> {
  const [served] = await queryRows<PublishedConvention & { postcode: string }>(
    tx,
    `select c.convention_id, c.code, c.region, r.postcode from participants.published_referral r
       left join billing.published_convention_catchment k on (case when r.postcode ~ '^[0-9]{4}$' then r.postcode::int end) between k.postcode_from and k.postcode_to
       left join billing.published_convention c on c.convention_id = k.convention_id
     where r.referral_id = ?`,
    [referralId],
  );
  if (conventionId) {
    const [given] = await queryRows<PublishedConvention>(
      tx,
      'select convention_id, code, region from billing.published_convention where convention_id = ?',
      [conventionId],
    );
    if (!given) throw new InvalidInputError('input.conventionId', { id: 'convention.unknown' });
    if (served?.convention_id && given.convention_id !== served.convention_id) {
      // R3, R17: the postcode decides the convention.
      throw new InvalidInputError('input.conventionId', {
        id: 'convention.otherCatchment',
        params: { postcode: served.postcode, served: served.code, given: given.code },
      });
    }
  }
  if (!served?.convention_id) {
    throw new InvalidInputError('input.referralId', {
      id: 'convention.noCatchment',
      params: { postcode: served?.postcode ?? '' },
    });
  }
  return served;
}

/**
 * Whether the convention a referral would be registered under has room (R17, FULL_CONVENTION_RULE in
 * schema/policy.ts): its open pathways in the IPS arm or not yet randomised stay below the partner's
 * share. At a full convention registration is paused: the referral waits in the intake, and no one is
 * randomised into an arm the partner cannot serve. Registrations under one convention queue on a
 * transaction lock of the convention, so two cannot both take its last place. A referral no convention
 * serves has room here: the registration then names the field that is wrong (BAD_USER_INPUT).
 */
async function conventionHasRoom(
  tx: CommandTx,
  referralId: string,
  conventionId: string | undefined,
): Promise<boolean> {
  const [convention] = await queryRows<{ convention_id: string; partner_pathways: number }>(
    tx,
    conventionId
      ? 'select c.convention_id, c.partner_pathways from billing.published_convention c where c.convention_id = ?'
      : `select c.convention_id, c.partner_pathways from participants.published_referral r
           join billing.published_convention_catchment k on (case when r.postcode ~ '^[0-9]{4}$' then r.postcode::int end) between k.postcode_from and k.postcode_to
           join billing.published_convention c on c.convention_id = k.convention_id
         where r.referral_id = ?`,
    [conventionId ?? referralId],
  );
  if (!convention) return true;
  await queryRows(tx, "select pg_advisory_xact_lock(hashtextextended('convention-capacity:' || ?, 0))", [
    convention.convention_id,
  ]);
  const [used] = await queryRows<{ n: string }>(
    tx,
    `select count(*) as n from pathways.pathway p left join research.published_allocation a on a.participant_id = p.participant_id
     where p.convention_id = ? and p.status = 'OPEN' and (a.arm is null or a.arm = 'IPS')`,
    [convention.convention_id],
  );
  return Number(used!.n) < convention.partner_pathways;
}

/** Nothing of a pathway happens before INAMI registered it: BAD_USER_INPUT naming the date that would. */
export function assertNotBeforeRegistration(pathway: PathwayEntity, field: string, day: string): void {
  if (day < belgianToday(pathway.registeredAt))
    throw new InvalidInputError(field, {
      id: 'date.beforeRegistration',
      params: { registeredOn: belgianToday(pathway.registeredAt) },
    });
}

/** A pathway as a command's target: locked, with the states the ACTIONS preconditions read. */
export async function pathwayTarget(tx: CommandTx, id: string): Promise<TargetFacts | undefined> {
  const pathway = await lockById(tx, PathwayEntity, id);
  if (!pathway) return undefined;
  const [facts] = await queryRows<{ forwarded: boolean; job_seeker: boolean; invited: boolean }>(
    tx,
    `select exists (select 1 from pathways.sre_inbox_item where pathway_id = ?) as forwarded,
            exists (select 1 from pathways.job_seeker_registration where pathway_id = ?) as job_seeker,
            -- R8, R11: invited again only once absent from every earlier session (none pending, none attended)
            exists (select 1 from pathways.welcome_invitation where pathway_id = ? and attended is not false) as invited`,
    [id, id, id],
  );
  return {
    participantId: pathway.participantId,
    state: {
      pathwayOpen: pathway.status === PathwayStatus.OPEN,
      notForwarded: !facts!.forwarded,
      notRegisteredAsJobSeeker: !facts!.job_seeker,
      notInvited: !facts!.invited,
    },
  };
}

/**
 * Subjects of an organisation (the parameter) who held a job-coach membership and hold none now
 * (the directory's published view): the coaches who left, whose people the team takes over.
 */
export const FORMER_COACHES = `select s.subject from participants.published_staff_member s
  where s.organisation = ? and s.function = 'JOB_COACH' and not s.active
    and not exists (select 1 from participants.published_staff_member a where a.organisation = s.organisation and a.subject = s.subject and a.function = s.function and a.active)`;

/** Whether a subject is an active member of an organisation's staff under a function (the directory's published view). */
export async function isActiveStaff(
  tx: CommandTx,
  organisation: string,
  subject: string,
  staffFunction: string,
): Promise<boolean> {
  const [row] = await queryRows(
    tx,
    'select 1 from participants.published_staff_member where organisation = ? and subject = ? and function = ? and active',
    [organisation, subject, staffFunction],
  );
  return Boolean(row);
}

/** INAMI registers a pathway for a referral at its intake (R5); the convention is derived when omitted (R3, R17). */
export interface PathwayRegistration {
  referralId: string;
  conventionId?: string | null;
}

/** The SRE names the control-group person's reference counsellor (R9). */
export interface ReferenceCounsellorAssignment {
  pathwayId: string;
  referenceCounsellor: string;
}

/** A supervisor names the person's referent job coach (R11). */
export interface JobCoachAssignment {
  pathwayId: string;
  jobCoach: string;
}

export class PathwayService {
  constructor(private readonly context: SubgraphContext) {}

  /** Pathways per region, partner, status and end reason: one statement, no person in it (ON_CONSENT_WITHDRAWN.aggregates). */
  async registryCounts(): Promise<
    {
      region: Region;
      ipsPartner: string;
      status: PathwayStatus;
      endReason: PathwayEndReason | null;
      pathways: number;
    }[]
  > {
    const rows = await queryRows<{
      region: Region;
      ips_partner: string;
      status: PathwayStatus;
      end_reason: PathwayEndReason | null;
      n: string;
    }>(
      this.context,
      `select c.region, p.ips_partner, p.status, p.end_reason, count(*) as n
       from pathways.pathway p join billing.published_convention c on c.convention_id = p.convention_id
       group by c.region, p.ips_partner, p.status, p.end_reason
       order by c.region, p.ips_partner, p.status, p.end_reason nulls first`,
      [],
    );
    return rows.map((row) => ({
      region: row.region,
      ipsPartner: row.ips_partner,
      status: row.status,
      endReason: row.end_reason,
      pathways: Number(row.n),
    }));
  }

  /** The supervisor of the pathway's IPS partner names one of its coaches (R11); the coach joins the circle at once. */
  assignJobCoach(input: JobCoachAssignment, idempotencyKey: string): Promise<PathwayEntity> {
    return runCommand(this.context, {
      action: 'assignJobCoach',
      idempotencyKey,
      args: input,
      validate: () => ({
        pathwayId: assertUuid('input.pathwayId', input.pathwayId),
        jobCoach: cleanText('input.jobCoach', input.jobCoach, { max: 200 }),
      }),
      target: (tx, { pathwayId }) => pathwayTarget(tx, pathwayId),
      apply: async (tx, { pathwayId, jobCoach }) => {
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id: pathwayId });
        if (!(await isActiveStaff(tx, pathway.ipsPartner, jobCoach, 'JOB_COACH'))) {
          throw new InvalidInputError('input.jobCoach', {
            id: 'staff.notActiveCoach',
            params: { partner: pathway.ipsPartner },
          });
        }
        pathway.jobCoach = jobCoach;
        await tx.em.flush();
        await writeLedgerFacts(tx, 'pathways', pathway.participantId, { jobCoachSubject: jobCoach });
        return pathway.id;
      },
      answer: (id) => loadFresh(this.context.em, PathwayEntity, id),
    });
  }

  /** The SRE of the person's region names one of its reference counsellors as the control-group referent (R9). */
  assignReferenceCounsellor(input: ReferenceCounsellorAssignment, idempotencyKey: string): Promise<PathwayEntity> {
    return runCommand(this.context, {
      action: 'assignReferenceCounsellor',
      idempotencyKey,
      args: input,
      validate: () => ({
        pathwayId: assertUuid('input.pathwayId', input.pathwayId),
        counsellor: cleanText('input.referenceCounsellor', input.referenceCounsellor, { max: 200 }),
      }),
      target: (tx, { pathwayId }) => pathwayTarget(tx, pathwayId),
      apply: async (tx, { pathwayId, counsellor }) => {
        const pathway = await tx.em.findOneOrFail(PathwayEntity, { id: pathwayId });
        if (!(await isActiveStaff(tx, tx.identity.organisation, counsellor, 'SRE_COUNSELLOR'))) {
          throw new InvalidInputError('input.referenceCounsellor', {
            id: 'staff.notActiveCounsellor',
            params: { organisation: tx.identity.organisation },
          });
        }
        pathway.referenceCounsellor = counsellor;
        await tx.em.flush();
        await writeLedgerFacts(tx, 'pathways', pathway.participantId, { counsellorSubject: counsellor });
        return pathway.id;
      },
      answer: (id) => loadFresh(this.context.em, PathwayEntity, id),
    });
  }

  /** INAMI registers the pathway of the latest version of a form under a convention of the person's region (R5, R17). */
  register(input: PathwayRegistration, idempotencyKey: string): Promise<PathwayEntity> {
    return runCommand(this.context, {
      action: 'registerPathway',
      idempotencyKey,
      args: input,
      validate: () => ({
        referralId: assertUuid('input.referralId', input.referralId),
        conventionId: input.conventionId == null ? undefined : assertUuid('input.conventionId', input.conventionId),
      }),
      target: async (tx, { referralId, conventionId }) => {
        const [referral] = await queryRows<PublishedReferral>(
          tx,
          'select referral_id, participant_id, region, superseded from participants.published_referral where referral_id = ?',
          [referralId],
        );
        if (!referral) return undefined;
        // The person's ledger row, locked by the command path, serialises two registrations of one person.
        const [facts] = await queryRows<{ registered: boolean; open: boolean }>(
          tx,
          `select exists (select 1 from pathways.pathway where referral_id = ?) as registered,
                  exists (select 1 from pathways.pathway where participant_id = ? and status = 'OPEN') as open`,
          [referralId, referral.participant_id],
        );
        return {
          participantId: referral.participant_id,
          state: {
            notRegistered: !facts!.registered,
            noOpenPathway: !facts!.open,
            conventionHasRoom: await conventionHasRoom(tx, referralId, conventionId),
          },
        };
      },
      apply: async (tx, { referralId, conventionId }) => {
        const [referral] = await queryRows<PublishedReferral>(
          tx,
          'select referral_id, participant_id, region, superseded from participants.published_referral where referral_id = ?',
          [referralId],
        );
        if (referral!.superseded) throw new InvalidInputError('input.referralId', { id: 'referral.amended' });
        const convention = await conventionOfReferral(tx, referralId, conventionId);
        const [sequence] = await queryRows<{ n: string }>(
          tx,
          "select nextval('pathways.registry_number_seq') as n",
          [],
        );
        const pathway = tx.em.create(PathwayEntity, {
          registryNumber: `IPS-${String(sequence!.n).padStart(6, '0')}`,
          referralId,
          participantId: referral!.participant_id,
          conventionId: convention.convention_id,
          ipsPartner: convention.code,
          ...tx.idempotency,
        });
        // The partner's supervisors enter the person's circle with the pathway, in this transaction.
        await writeLedgerFacts(tx, 'pathways', referral!.participant_id, { ipsPartner: convention.code });
        return pathway.id;
      },
      answer: (id) => loadFresh(this.context.em, PathwayEntity, id),
    });
  }
}
