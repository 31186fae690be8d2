/**
 * Outcome files taken in bulk (the registers' monthly files): what the gateway and the owning subgraphs
 * agree on — the paths, which subgraph receives each file, the header carrying the batch key, the
 * size limit and the columns of each file. Who may upload for whom is policy (schema/policy.ts ACTIONS).
 */
import type { SubgraphName } from './subgraphs.js';

export interface UploadKind {
  /** The path on the gateway's origin and on the owning subgraph: `POST /uploads/<path>`. */
  path: string;
  /** The subgraph that stores the rows (it owns the table). */
  subgraph: SubgraphName;
  /** The ACTIONS entry that decides who may upload rows about whom. */
  action: string;
  /** The header line the file must start with, in this order. */
  columns: readonly string[];
}

export const UPLOAD_KINDS = {
  /** The health insurer's benefits paid, one line per person and month (billing.benefit_statement). */
  benefitStatements: {
    path: 'benefit-statements',
    subgraph: 'billing',
    action: 'uploadBenefitStatements',
    columns: ['niss', 'month', 'benefit_type', 'amount_cents', 'days', 'partial_work_authorised'],
  },
  /** Employment declared to social security, one line per person, month and employer (pathways.employment_declaration). */
  employmentDeclarations: {
    path: 'employment-declarations',
    subgraph: 'pathways',
    action: 'uploadEmploymentDeclarations',
    columns: ['niss', 'month', 'employer_number', 'days', 'hours', 'wage_band', 'competitive'],
  },
} as const satisfies Record<string, UploadKind>;

/** The batch key: a retry of the same file with the same key answers the stored report and stores nothing again. */
export const UPLOAD_KEY_HEADER = 'idempotency-key';

/**
 * The largest file taken in one upload: 64 MiB is about a million rows of either kind, a month of every
 * insured person of a large health insurer in the pilot many times over. Larger files are split by month.
 */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/** How many rejected rows an answer lists, line by line (every rejection is counted). */
export const MAX_LISTED_REJECTIONS = 10_000;
