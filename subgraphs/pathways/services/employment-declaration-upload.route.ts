/**
 * INAMI's monthly file of employment declared to social security (`POST /uploads/employment-declarations`,
 * text/csv; schema/uploads.ts): one row per person, month and employer —
 * `niss,month,employer_number,days,hours,wage_band,competitive` (days or hours worked in the month, one of
 * the two) — streamed and stored by kit/upload.ts. Who may send rows about whom is
 * ACTIONS.uploadEmploymentDeclarations: INAMI's registry, for randomised people, in both arms, whatever their
 * pathway (intention to treat). Each declared month is published as an employment episode spanning the
 * month (pathways migration 023), so the trial's outcome measures count it as they count a recorded contract.
 */
import type { Localised } from '../../../schema/errors.js';
import { UPLOAD_KINDS } from '../../../schema/uploads.js';
import { checkNissDigits, lockLedgerRows, uploadRoute, type CheckedRow, type RowRejection } from '../../kit/upload.js';
import { WageBand } from '../entities/employment-declaration.entity.js';
import { checkEnterpriseNumber } from './work-authorisation.service.js';

/** The first month of the pilot (DOMAIN.md: 2016–2023): nothing earlier is an outcome of it. */
const FIRST_MONTH = '2016-01';
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** Hours a month beyond which a declaration is a typing error: 16 hours a day, every day of a long month. */
const MAX_HOURS = 496;
const WAGE_BANDS = new Set<string>(Object.values(WageBand));
const BOOLEAN: Record<string, boolean> = { true: true, false: false };

const refused = (field: string, localised: Localised): CheckedRow => ({ field, localised });
const required = (field: string) => refused(field, { id: 'upload.required' });

export function checkDeclarationRow(fields: readonly string[], today: string): CheckedRow {
  const [nissText, month, employer, daysText, hoursText, wageBand, competitiveText] = fields.map((field) =>
    field.trim(),
  ) as [string, string, string, string, string, string, string];
  if (nissText === '') return required('niss');
  const niss = checkNissDigits(nissText);
  if ('localised' in niss) return refused('niss', niss.localised);
  if (month === '') return required('month');
  const parts = MONTH.exec(month);
  if (!parts) return refused('month', { id: 'input.month' });
  if (month > today.slice(0, 7)) return refused('month', { id: 'benefit.monthFuture' });
  if (month < FIRST_MONTH) return refused('month', { id: 'benefit.beforePilot', params: { first: FIRST_MONTH } });
  if (employer === '') return required('employer_number');
  const employerNumber = checkEnterpriseNumber(employer);
  if (!employerNumber) return refused('employer_number', { id: 'contract.employerNumber' });
  if ((daysText === '') === (hoursText === ''))
    return refused(daysText === '' ? 'days' : 'hours', { id: 'upload.daysOrHours' });
  const daysInMonth = new Date(Date.UTC(Number(parts[1]), Number(parts[2]), 0)).getUTCDate();
  let days: number | null = null;
  let hours: number | null = null;
  if (daysText !== '') {
    days = /^\d{1,2}$/.test(daysText) ? Number(daysText) : Number.NaN;
    if (!(days >= 1 && days <= daysInMonth))
      return refused('days', { id: 'upload.declaredDays', params: { max: daysInMonth } });
  } else {
    hours = /^\d{1,3}(\.\d{1,2})?$/.test(hoursText) ? Number(hoursText) : Number.NaN;
    if (!(hours > 0 && hours <= MAX_HOURS))
      return refused('hours', { id: 'upload.declaredHours', params: { max: MAX_HOURS } });
  }
  if (!WAGE_BANDS.has(wageBand))
    return wageBand === ''
      ? required('wage_band')
      : refused('wage_band', { id: 'upload.oneOf', params: { values: [...WAGE_BANDS].join(', ') } });
  const competitive = BOOLEAN[competitiveText.toLowerCase()];
  if (competitive === undefined)
    return competitiveText === '' ? required('competitive') : refused('competitive', { id: 'upload.boolean' });
  return {
    niss: niss.niss,
    values: [`${month}-01`, employerNumber, days, hours, wageBand, competitive],
    key: `${niss.niss}|${month}|${employerNumber}`,
  };
}

export const employmentDeclarationUploads = uploadRoute({
  kind: UPLOAD_KINDS.employmentDeclarations,
  staging: [
    ['month', 'date not null'],
    ['employer_number', 'text not null'],
    ['days', 'int'],
    ['hours', 'double precision'],
    ['wage_band', 'text not null'],
    ['competitive', 'boolean not null'],
  ],
  uniqueBy: 'person, month and employer',
  check: checkDeclarationRow,
  batchTable: 'pathways.upload_batch',
  async apply(client, { batchId, decision }) {
    // The file's people's ledger rows locked first (lockLedgerRows: no command changes them between decision and commit); then
    // one statement: every row's person (NISS → id in INAMI's registry, with the owner's rights), every row decided from
    // the policy at once, the allowed ones stored (a month already declared for that employer is left as it is), the rest told why.
    await lockLedgerRows(client, 'pathways.outcome_subjects(array(select distinct niss from upload_staging))', []);
    const { rows } = await client.query<{ line: number; reason: 'unknown' | 'notFollowed' | 'declared' }>(
      `with subject as materialized (
         select s.*, l.participant_id, coalesce(${decision.circle}, false) as in_circle, coalesce(${decision.eligible('s.month')}, false) as eligible
         from upload_staging s
         left join pathways.outcome_subjects(array(select distinct niss from upload_staging)) m on m.niss = s.niss
         left join access.ledger l on l.participant_id = m.participant_id),
       stored as (
         insert into pathways.employment_declaration (id, participant_id, month, employer_number, days, hours, wage_band, competitive, batch_id, batch_line, recorded_at)
         select gen_random_uuid(), participant_id, month, employer_number, days, hours, wage_band, competitive, $1, line, now()
         from subject where in_circle and eligible
         on conflict (participant_id, month, employer_number) do nothing
         returning batch_line)
       select line, case when not in_circle then 'unknown' when not eligible then 'notFollowed' else 'declared' end as reason
       from subject where not (in_circle and eligible) or line not in (select batch_line from stored)`,
      [batchId],
    );
    return rows.map(({ line, reason }): RowRejection =>
      reason === 'unknown'
        ? { line, field: 'niss', messageId: 'upload.nissUnknown' }
        : reason === 'notFollowed'
          ? { line, field: 'month', messageId: 'upload.notFollowed' }
          : { line, field: 'month', messageId: 'upload.monthDeclared' },
    );
  },
});
