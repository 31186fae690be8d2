/**
 * Pseudonymised datasets (R19): a researcher files a data request (project, purpose with its declared
 * category, variables of the codebook); INAMI approves or refuses it, once, with a reason
 * (schema/policy.ts ACTIONS.fileDataRequest, decideDataRequest); the researcher who filed an approved
 * request downloads its extract (download.route.ts). A researcher lists their own requests
 * (FILER_RECORDS); INAMI lists all, and the download log.
 */
import { InvalidInputError, NotFoundError } from '../../../schema/errors.js';
import { FREE_TEXT_CATEGORIES, type DataCategory } from '../../../schema/policy.js';
import { filerCondition } from '../../kit/access/decide.js';
import { runCommand } from '../../kit/command.js';
import type { SubgraphContext } from '../../kit/context.js';
import { queryRows } from '../../kit/raw-sql.js';
import { assertUuid, cleanText } from '../../kit/validation.js';
import { REQUESTABLE } from './codebook.js';

export type DataRequestStatus = 'PENDING' | 'APPROVED' | 'REFUSED';
export type DataRequestDecision = 'APPROVE' | 'REFUSE';

export interface DataRequestInput {
  project: string;
  purpose: string;
  purposeCategory?: string | null;
  variables: readonly string[];
}

export interface DecideDataRequestInput {
  requestId: string;
  decision: DataRequestDecision;
  reason?: string | null;
}

export interface DataRequestView {
  id: string;
  project: string;
  purpose: string;
  purposeCategory: DataCategory;
  variables: string[];
  status: DataRequestStatus;
  requesterOrganisation: string;
  requester: string;
  filedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
}

export interface DatasetDownloadView {
  id: string;
  requestId: string;
  downloadedBy: string;
  format: string;
  rows: number;
  bytes: number;
  sha256: string;
  complete: boolean;
  startedAt: Date;
  finishedAt: Date;
}

const PROJECT = /^[A-Z0-9][A-Z0-9-]{1,39}$/;

/** Pure checks: BAD_USER_INPUT naming the field. */
export function validateDataRequest(
  input: DataRequestInput,
): Required<DataRequestInput> & { purposeCategory: DataCategory } {
  const project = input.project.trim();
  if (!PROJECT.test(project)) throw new InvalidInputError('input.project', { id: 'dataset.project' });
  const purpose = cleanText('input.purpose', input.purpose, { max: 5_000, min: 10, multiline: true });
  const purposeCategory = input.purposeCategory ?? 'administrative';
  if (!(FREE_TEXT_CATEGORIES as readonly string[]).includes(purposeCategory)) {
    throw new InvalidInputError('input.purposeCategory', {
      id: 'text.categoryOneOf',
      params: { categories: FREE_TEXT_CATEGORIES.join(', ') },
    });
  }
  if (input.variables.length === 0) throw new InvalidInputError('input.variables', { id: 'dataset.variableUnknown' });
  const seen = new Set<string>();
  for (const [index, variable] of input.variables.entries()) {
    if (!REQUESTABLE.includes(variable))
      throw new InvalidInputError(`input.variables.${index}`, { id: 'dataset.variableUnknown' });
    if (seen.has(variable)) throw new InvalidInputError(`input.variables.${index}`, { id: 'dataset.variableTwice' });
    seen.add(variable);
  }
  return { project, purpose, purposeCategory: purposeCategory as DataCategory, variables: [...seen] };
}

export function validateDecision(
  input: DecideDataRequestInput,
): Required<DecideDataRequestInput> & { reason: string | null } {
  const requestId = assertUuid('input.requestId', input.requestId);
  const given = input.reason?.trim() ? cleanText('input.reason', input.reason, { max: 2_000, multiline: true }) : null;
  if (input.decision === 'REFUSE' && !given)
    throw new InvalidInputError('input.reason', { id: 'dataset.reasonRequired' });
  return { requestId, decision: input.decision, reason: given };
}

const REQUEST_COLUMNS = `r.id, r.project, r.purpose, r.purpose_category, r.variables, r.status, r.requester_organisation, r.requester_subject,
  r.filed_at, r.decided_by, r.decided_at, r.decision_reason`;

interface RequestRow {
  id: string;
  project: string;
  purpose: string;
  purpose_category: string;
  variables: string[];
  status: DataRequestStatus;
  requester_organisation: string;
  requester_subject: string;
  filed_at: Date | string;
  decided_by: string | null;
  decided_at: Date | string | null;
  decision_reason: string | null;
}

const view = (row: RequestRow): DataRequestView => ({
  id: row.id,
  project: row.project,
  purpose: row.purpose,
  purposeCategory: row.purpose_category as DataCategory,
  variables: row.variables,
  status: row.status,
  requesterOrganisation: row.requester_organisation,
  requester: row.requester_subject,
  filedAt: new Date(row.filed_at),
  decidedBy: row.decided_by,
  decidedAt: row.decided_at === null ? null : new Date(row.decided_at),
  decisionReason: row.decision_reason,
});

export class DatasetService {
  constructor(private readonly context: SubgraphContext) {}

  file(input: DataRequestInput, idempotencyKey: string): Promise<DataRequestView> {
    return runCommand(this.context, {
      action: 'fileDataRequest',
      idempotencyKey,
      args: input,
      validate: () => validateDataRequest(input),
      target: async () => undefined, // a new request
      apply: async (tx, request) => {
        const [row] = await queryRows<{ id: string }>(
          tx,
          `insert into research.data_request (id, project, purpose, purpose_category, variables, status, requester_organisation, requester_subject, filed_at, idempotency_key, requested_by, request_fingerprint)
           values (gen_random_uuid(), ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), 'PENDING', ?, ?, now(), ?, ?, ?) returning id`,
          [
            request.project,
            request.purpose,
            request.purposeCategory,
            JSON.stringify(request.variables),
            tx.identity.organisation,
            tx.identity.subject,
            tx.idempotency.idempotencyKey,
            tx.idempotency.requestedBy,
            tx.idempotency.requestFingerprint,
          ],
        );
        return row!.id;
      },
      answer: (id) => this.one(id),
    });
  }

  decide(input: DecideDataRequestInput, idempotencyKey: string): Promise<DataRequestView> {
    return runCommand(this.context, {
      action: 'decideDataRequest',
      idempotencyKey,
      args: input,
      validate: () => validateDecision(input),
      target: async (tx, decision) => {
        const [row] = await queryRows<{ status: string }>(
          tx,
          'select status from research.data_request where id = ? for update',
          [decision.requestId],
        );
        return row ? { state: { requestPending: row.status === 'PENDING' } } : undefined;
      },
      apply: async (tx, decision) => {
        const [row] = await queryRows<{ project: string }>(
          tx,
          `update research.data_request set status = ?, decided_by = ?, decided_at = now(), decision_reason = ? where id = ? and status = 'PENDING' returning project`,
          [
            decision.decision === 'APPROVE' ? 'APPROVED' : 'REFUSED',
            tx.identity.subject,
            decision.reason,
            decision.requestId,
          ],
        );
        // The project's key is made once, in the vault, when its first request is approved (pseudonym.sql.ts).
        if (decision.decision === 'APPROVE')
          await queryRows(tx, 'select pseudonym_vault.ensure_key(?)', [row!.project]);
        return decision.requestId;
      },
      answer: (id) => this.one(id),
    });
  }

  /** The requests the caller may list, newest first: a researcher's own (FILER_RECORDS), INAMI's all. */
  async requests(status?: DataRequestStatus | null): Promise<DataRequestView[]> {
    const filer = filerCondition(
      this.context.identity,
      'DataRequest',
      'r.requester_organisation',
      'r.requester_subject',
    );
    const rows = await queryRows<RequestRow>(
      this.context,
      `select ${REQUEST_COLUMNS} from research.data_request r where ${filer.sql} and (?::text is null or r.status = ?::text) order by r.filed_at desc, r.id`,
      [...filer.params, status ?? null, status ?? null],
    );
    return rows.map(view);
  }

  private async one(id: string): Promise<DataRequestView> {
    const [row] = await queryRows<RequestRow>(
      this.context,
      `select ${REQUEST_COLUMNS} from research.data_request r where r.id = ?`,
      [id],
    );
    if (!row) throw new NotFoundError('DataRequest');
    return view(row);
  }

  async downloads(requestId?: string | null): Promise<DatasetDownloadView[]> {
    const id = requestId ? assertUuid('requestId', requestId) : null;
    const rows = await queryRows<{
      id: string;
      request_id: string;
      downloaded_by: string;
      format: string;
      rows: string;
      bytes: string;
      sha256: string;
      complete: boolean;
      started_at: Date | string;
      finished_at: Date | string;
    }>(
      this.context,
      'select id, request_id, downloaded_by, format, rows, bytes, sha256, complete, started_at, finished_at from research.dataset_download where (?::uuid is null or request_id = ?::uuid) order by finished_at desc, id',
      [id, id],
    );
    return rows.map((row) => ({
      id: row.id,
      requestId: row.request_id,
      downloadedBy: row.downloaded_by,
      format: row.format,
      rows: Number(row.rows),
      bytes: Number(row.bytes),
      sha256: row.sha256,
      complete: row.complete,
      startedAt: new Date(row.started_at),
      finishedAt: new Date(row.finished_at),
    }));
  }
}
