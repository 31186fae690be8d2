/**
 * Randomisation (R6) through the allocation vault: a design is proposed by one researcher and
 * goes live — a new version in the vault, which every later draw follows — only when a second
 * researcher approves it (four eyes: ACTIONS.approveTrialDesign, precondition `notAuthor`).
 * Versions are reported as CONSORT 2010 items 8a, 8b, 9 and 10; INAMI randomises each
 * registered person once. The vault draws and records the arm; this
 * service only checks the preconditions, calls it and mirrors the arm in the access
 * ledger, all in one transaction.
 */
import { ConflictError, InvalidInputError } from '../../../schema/errors.js';
import { writeLedgerFacts } from '../../kit/access/ledger.js';
import { loadFresh, runCommand } from '../../kit/command.js';
import type { SubgraphContext } from '../../kit/context.js';
import { belgianToday } from '../../kit/domain.js';
import { queryRows } from '../../kit/raw-sql.js';
import { assertUuid } from '../../kit/validation.js';
import { AllocationEntity } from '../entities/allocation.entity.js';

export type AllocationProcedure = 'PERMUTED_BLOCKS' | 'BIG_STICK';

export interface DesignRequest {
  procedure: AllocationProcedure;
  blockSizes?: number[] | null;
  maximalImbalance?: number | null;
  rationale: string;
}

export interface TrialDesignRow {
  version: number;
  proposed_at?: Date | string | null;
  approved_by?: string | null;
  approved_at?: Date | string | null;
  procedure: AllocationProcedure;
  block_sizes: number[] | null;
  maximal_imbalance: number | null;
  strata: string[];
  allocation_ratio: string;
  rationale: string;
  configured_at: Date | string;
  configured_by: string;
}

/** Strata of the design: region decides the SRE and the IPS partner's capacity (340/200/60). */
export const STRATA = ['region'];

export function validateDesign(request: DesignRequest): {
  blockSizes: number[] | null;
  maximalImbalance: number | null;
  rationale: string;
} {
  const rationale = request.rationale.trim();
  if (rationale.length < 10 || rationale.length > 2000)
    throw new InvalidInputError('input.rationale', { id: 'trial.rationale' });
  if (request.procedure === 'PERMUTED_BLOCKS') {
    const sizes = request.blockSizes ?? [];
    if (sizes.length === 0 || sizes.length > 5)
      throw new InvalidInputError('input.blockSizes', { id: 'trial.blockSizeCount' });
    if (sizes.some((size) => !Number.isInteger(size) || size < 2 || size > 20 || size % 2 !== 0)) {
      throw new InvalidInputError('input.blockSizes', { id: 'trial.blockSizeEven' });
    }
    if (new Set(sizes).size !== sizes.length)
      throw new InvalidInputError('input.blockSizes', { id: 'trial.blockSizesDistinct' });
    if (request.maximalImbalance != null)
      throw new InvalidInputError('input.maximalImbalance', { id: 'trial.imbalanceBigStickOnly' });
    return { blockSizes: [...sizes].sort((a, b) => a - b), maximalImbalance: null, rationale };
  }
  const mti = request.maximalImbalance;
  if (mti == null || !Number.isInteger(mti) || mti < 1 || mti > 10)
    throw new InvalidInputError('input.maximalImbalance', { id: 'trial.imbalanceRange' });
  if (request.blockSizes?.length)
    throw new InvalidInputError('input.blockSizes', { id: 'trial.blockSizesPermutedOnly' });
  return { blockSizes: null, maximalImbalance: mti, rationale };
}

/** The design as CONSORT 2010 asks it to be reported (items 8a, 8b, 9, 10). */
export function consortReport(design: TrialDesignRow) {
  const restriction =
    design.procedure === 'PERMUTED_BLOCKS'
      ? `permuted blocks of random size, each block's size drawn with equal probability from {${design.block_sizes!.join(', ')}}`
      : `the big stick design with a maximal tolerated imbalance of ${design.maximal_imbalance} (the lagging arm is forced at that imbalance, a fair draw otherwise)`;
  return {
    sequenceGeneration:
      "8a: The sequence is not prepared in advance: each allocation is drawn at the moment of randomisation by PostgreSQL's cryptographic random number generator (gen_random_uuid, pg_strong_random), inside the allocation vault's function.",
    restriction: `8b: Allocation ratio ${design.allocation_ratio}, stratified by ${design.strata.join(', ')} (Flanders, Wallonia, Brussels), with ${restriction}. Design version ${design.version}.`,
    concealment:
      "9: Until a person is assigned, their arm exists nowhere. The only state (each stratum's open block composition, or its imbalance) lives in a database schema owned by a role that cannot log in; the application's role may only execute the allocation function, and no operation of the graph reveals that state. Every draw consumes a number from a sequence that a rolled-back transaction cannot give back, so an attempt to draw and discard shows as a gap in the integrity report.",
    implementation: `10: The advising physicians of the health insurers enrol (refer) participants; INAMI registers each pathway and assigns the arm through the randomise operation, each assignment logged with the INAMI agent's identity; the researchers (ULB) configured this design (version ${design.version}, proposed by ${design.configured_by}${design.approved_by ? `, approved by ${design.approved_by}` : ''}).`,
  };
}

/** A design as proposed, and once approved the version it became. */
export interface TrialDesignProposalRow {
  id: string;
  procedure: AllocationProcedure;
  block_sizes: number[] | null;
  maximal_imbalance: number | null;
  strata: string[];
  rationale: string;
  proposed_by: string;
  proposed_at: Date | string;
  approved_by: string | null;
  approved_at: Date | string | null;
  version: number | null;
}

export class RandomisationService {
  constructor(private readonly context: SubgraphContext) {}

  /** A researcher proposes a design (the first one too): nothing changes for allocations until a second researcher approves it. */
  propose(request: DesignRequest, idempotencyKey: string): Promise<TrialDesignProposalRow> {
    return runCommand(this.context, {
      action: 'configureTrial',
      idempotencyKey,
      args: request,
      validate: () => validateDesign(request),
      target: async () => ({}), // the trial's protocol: no person in it
      apply: async (tx, { blockSizes, maximalImbalance, rationale }) => {
        // int[] goes in as text ('{2,4,6}'): the driver would otherwise expand the array into a list.
        const [row] = await queryRows<{ id: string }>(
          tx,
          `insert into research.trial_design_proposal (id, procedure, block_sizes, maximal_imbalance, strata, rationale, proposed_by, proposed_by_organisation,
             idempotency_key, requested_by, request_fingerprint)
           values (gen_random_uuid(), ?, ?::int[], ?, ?::text[], ?, ?, ?, ?, ?, ?) returning id`,
          [
            request.procedure,
            blockSizes ? `{${blockSizes.join(',')}}` : null,
            maximalImbalance,
            `{${STRATA.join(',')}}`,
            rationale,
            tx.identity.subject,
            tx.identity.organisation,
            tx.idempotency.idempotencyKey,
            tx.idempotency.requestedBy,
            tx.idempotency.requestFingerprint,
          ],
        );
        return row!.id;
      },
      answer: async (id) => (await this.proposals(id))[0]!,
    });
  }

  /**
   * A second researcher approves a proposed design: the vault records it as its next version, which
   * every later draw follows. Whether the caller may (not its author; still proposed) is the policy's
   * (ACTIONS.approveTrialDesign), decided on the proposal's row locked here: of two concurrent
   * approvals one wins, the other is a CONFLICT.
   */
  approve(proposalId: string, idempotencyKey: string): Promise<TrialDesignProposalRow> {
    return runCommand(this.context, {
      action: 'approveTrialDesign',
      idempotencyKey,
      args: { proposalId },
      validate: () => assertUuid('proposalId', proposalId),
      target: async (tx, id) => {
        const [proposal] = await queryRows<{
          proposed_by: string;
          proposed_by_organisation: string;
          approved_at: Date | null;
        }>(
          tx,
          'select proposed_by, proposed_by_organisation, approved_at from research.trial_design_proposal where id = ? for update',
          [id],
        );
        if (!proposal) return undefined;
        return {
          author: { organisation: proposal.proposed_by_organisation, subject: proposal.proposed_by },
          state: { designProposed: proposal.approved_at === null },
        };
      },
      apply: async (tx, id) => {
        // The approval first; then the vault reads the approved proposal itself (its owner's rights) and puts
        // it live: it refuses a proposal its author approved, or none approved (four eyes inside the vault).
        await queryRows(
          tx,
          'update research.trial_design_proposal set approved_by = ?, approved_by_organisation = ?, approved_at = now() where id = ?',
          [tx.identity.subject, tx.identity.organisation, id],
        );
        await queryRows(tx, 'select allocation_vault.configure(?::uuid) as version', [id]);
        return id;
      },
      answer: async (id) => (await this.proposals(id))[0]!,
    });
  }

  /** Proposals, newest first (one by id when given). */
  async proposals(id?: string): Promise<TrialDesignProposalRow[]> {
    return queryRows<TrialDesignProposalRow>(
      this.context,
      `select id, procedure, block_sizes, maximal_imbalance, strata, rationale, proposed_by, proposed_at, approved_by, approved_at, version
       from research.trial_design_proposal where (?::uuid is null or id = ?::uuid) order by proposed_at desc, id`,
      [id ?? null, id ?? null],
    );
  }

  /** The live versions, newest first, each with its approval (none for a version set before approvals existed, as the demo's). */
  async designs(): Promise<TrialDesignRow[]> {
    return queryRows<TrialDesignRow>(
      this.context,
      `select c.*, p.proposed_at, p.approved_by, p.approved_at
       from allocation_vault.configurations() c left join research.trial_design_proposal p on p.version = c.version
       order by c.version desc`,
      [],
    );
  }

  async integrity(): Promise<{
    draws: number;
    recorded: number;
    gaps: number;
    mismatches: number;
    chainIntact: boolean;
  }> {
    const [row] = await queryRows<{
      draws: string;
      recorded: string;
      gaps: string;
      mismatches: string;
      chain_intact: boolean;
    }>(this.context, 'select * from allocation_vault.integrity()', []);
    return {
      draws: Number(row!.draws),
      recorded: Number(row!.recorded),
      gaps: Number(row!.gaps),
      mismatches: Number(row!.mismatches),
      chainIntact: row!.chain_intact,
    };
  }

  /** The arm is drawn by the vault under the person's ledger lock, so a person is never drawn twice (R6). */
  randomise(participantId: string, idempotencyKey: string): Promise<AllocationEntity> {
    return runCommand(this.context, {
      action: 'randomise',
      idempotencyKey,
      args: { participantId },
      validate: () => assertUuid('participantId', participantId),
      target: async (tx, id) => {
        const [pathway] = await queryRows(
          tx,
          "select 1 from pathways.published_pathway p where p.participant_id = ? and p.status = 'OPEN'",
          [id],
        );
        return { participantId: id, state: { pathwayOpen: Boolean(pathway) } };
      },
      apply: async (tx, id) => {
        const [pathway] = await queryRows<{ region: string }>(
          tx,
          `select r.region from pathways.published_pathway p join participants.published_referral r on r.referral_id = p.referral_id
           where p.participant_id = ? and p.status = 'OPEN'`,
          [id],
        );
        let drawn: { allocation_id: string; arm: string; allocated_at: Date | string };
        try {
          [drawn] = (await queryRows<{ allocation_id: string; arm: string; allocated_at: Date | string }>(
            tx,
            'select * from allocation_vault.allocate(?, ?, ?, ?, ?, ?)',
            [
              id,
              pathway!.region,
              pathway!.region,
              tx.identity.subject,
              tx.idempotency.idempotencyKey,
              tx.idempotency.requestFingerprint,
            ],
          )) as [{ allocation_id: string; arm: string; allocated_at: Date | string }];
        } catch (error) {
          if (/no trial configuration/.test(String(error)))
            throw new ConflictError({ id: 'conflict.trialNotConfigured' });
          throw error;
        }
        // The day of randomisation with the arm: month 0 of the 30-month follow-up every outcome is recorded in (inFollowUp).
        await writeLedgerFacts(tx, 'research', id, {
          trialArm: drawn.arm,
          randomisedOn: belgianToday(new Date(drawn.allocated_at)),
        });
        return drawn.allocation_id;
      },
      answer: (id) => loadFresh(this.context.em, AllocationEntity, id),
    });
  }
}
