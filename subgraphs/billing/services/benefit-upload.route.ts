/**
 * The health insurer's monthly file of benefits paid (`POST /uploads/benefit-statements`, text/csv;
 * schema/uploads.ts): one row per person and month — `niss,month,benefit_type,amount_cents,days,partial_work_authorised`
 * — checked by the one-row mutation's own validation (validateStatement), streamed and stored by kit/upload.ts.
 * Who may send rows about whom is ACTIONS.uploadBenefitStatements: the person's own health insurer, for
 * randomised people, decided for every row at once in the statement that stores them. A month already
 * stated stays as it was: the row is reported, never overwritten (one statement per person and month).
 */
import type { Localised } from '../../../schema/errors.js';
import { InvalidInputError } from '../../../schema/errors.js';
import type { MessageId } from '../../../schema/i18n/index.js';
import { UPLOAD_KINDS } from '../../../schema/uploads.js';
import { checkNissDigits, lockLedgerRows, uploadRoute, type CheckedRow, type RowRejection } from '../../kit/upload.js';
import { BenefitType } from '../entities/benefit-statement.entity.js';
import { validateStatement } from './benefit-statement.service.js';

/** Stands for the person while a row is checked: the file names people by NISS, mapped to them in SQL afterwards. */
const NOT_YET_MAPPED = '00000000-0000-4000-8000-000000000000';
const BENEFIT_TYPES = new Set<string>(Object.values(BenefitType));
const isBenefitType = (value: string): value is BenefitType => BENEFIT_TYPES.has(value);
/** The mutation's input fields, as the file's columns. */
const COLUMN_OF_FIELD: Record<string, string> = {
  'input.month': 'month',
  'input.amountCents': 'amount_cents',
  'input.days': 'days',
  'input.participantId': 'niss',
};

const required = (field: string): CheckedRow => ({ field, localised: { id: 'upload.required' } });
const whole = (text: string) => (/^-?\d{1,9}$/.test(text) ? Number(text) : Number.NaN);
const BOOLEAN: Record<string, boolean> = { true: true, false: false };

/** A mutation's refusal, as a row's: its column and the catalogue's reason, without the field it names. */
export function rowRefusal(error: InvalidInputError, columns: Record<string, string>): CheckedRow {
  const field = String(error.extensions.field);
  // The row names its column itself: the field the mutation's message named is left out.
  const params = { ...((error.extensions.messageParams ?? {}) as Record<string, string | number>) };
  delete params.field;
  const localised: Localised = { id: error.extensions.messageId as MessageId, params: params };
  return { field: columns[field] ?? field, localised };
}

export function checkBenefitRow(fields: readonly string[], today: string): CheckedRow {
  const [nissText, month, benefitType, amount, days, partial] = fields.map((field) => field.trim()) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (nissText === '') return required('niss');
  const niss = checkNissDigits(nissText);
  if ('localised' in niss) return { field: 'niss', localised: niss.localised };
  if (month === '') return required('month');
  if (!isBenefitType(benefitType))
    return benefitType === ''
      ? required('benefit_type')
      : { field: 'benefit_type', localised: { id: 'upload.oneOf', params: { values: [...BENEFIT_TYPES].join(', ') } } };
  if (amount === '') return required('amount_cents');
  if (days === '') return required('days');
  const partialWorkAuthorised = BOOLEAN[partial.toLowerCase()];
  if (partialWorkAuthorised === undefined)
    return partial === ''
      ? required('partial_work_authorised')
      : { field: 'partial_work_authorised', localised: { id: 'upload.boolean' } };
  try {
    const statement = validateStatement(
      {
        participantId: NOT_YET_MAPPED,
        month,
        benefitType,
        amountCents: whole(amount),
        days: whole(days),
        partialWorkAuthorised,
      },
      today,
    );
    return {
      niss: niss.niss,
      values: [statement.month, statement.benefitType, statement.amountCents, statement.days, partialWorkAuthorised],
      key: `${niss.niss}|${month}`,
    };
  } catch (error) {
    if (error instanceof InvalidInputError) return rowRefusal(error, COLUMN_OF_FIELD);
    throw error;
  }
}

export const benefitStatementUploads = uploadRoute({
  kind: UPLOAD_KINDS.benefitStatements,
  staging: [
    ['month', 'date not null'],
    ['benefit_type', 'text not null'],
    ['amount_cents', 'int not null'],
    ['days', 'int not null'],
    ['partial_work_authorised', 'boolean not null'],
  ],
  uniqueBy: 'person and month',
  check: checkBenefitRow,
  batchTable: 'billing.upload_batch',
  async apply(client, { batchId, identity, decision }) {
    // The file's people's ledger rows locked first (lockLedgerRows: no command changes them between decision and commit); then
    // one statement: every row's person (NISS → id among this insurer's members, with the owner's rights), every row decided
    // from the policy at once, the allowed ones stored (a month already stated, or stated meanwhile, is left as it is), the rest told why.
    await lockLedgerRows(client, 'billing.outcome_subjects(array(select distinct niss from upload_staging), $1)', [
      identity.organisation,
    ]);
    const { rows } = await client.query<{ line: number; reason: 'unknown' | 'notFollowed' | 'stated' }>(
      `with subject as materialized (
         select s.*, l.participant_id, coalesce(${decision.circle}, false) as in_circle, coalesce(${decision.eligible('s.month')}, false) as eligible
         from upload_staging s
         left join billing.outcome_subjects(array(select distinct niss from upload_staging), $1) m on m.niss = s.niss
         left join access.ledger l on l.participant_id = m.participant_id),
       stored as (
         insert into billing.benefit_statement (id, participant_id, health_insurer, month, benefit_type, amount_cents, days, partial_work_authorised, recorded_at, recorded_by, batch_id, batch_line)
         select gen_random_uuid(), participant_id, $1, month, benefit_type, amount_cents, days, partial_work_authorised, now(), $2, $3, line
         from subject where in_circle and eligible
         on conflict (participant_id, month) do nothing
         returning batch_line)
       select line, case when not in_circle then 'unknown' when not eligible then 'notFollowed' else 'stated' end as reason
       from subject where not (in_circle and eligible) or line not in (select batch_line from stored)`,
      [identity.organisation, identity.subject, batchId],
    );
    return rows.map(({ line, reason }): RowRejection =>
      reason === 'unknown'
        ? { line, field: 'niss', messageId: 'upload.nissUnknown' } // outside the insurer's members, or no one's: told alike
        : reason === 'notFollowed'
          ? { line, field: 'month', messageId: 'upload.notFollowed' }
          : { line, field: 'month', messageId: 'precondition.noStatementForMonth' },
    );
  },
});
