/**
 * The extract's SQL (R19), one statement streamed from PostgreSQL: the people whose research consent
 * (R1f) holds in the access ledger at extraction time — the same people as the trial's outcome
 * measures (outcome.service.ts peopleCte) — one row per person, or per person and month (generated
 * with generate_series from the month of the first pathway up to the month of extraction) when a
 * month-level variable is asked for. The pseudonym is computed once per person inside PostgreSQL.
 * Parameter $1: the request's project.
 */
import { extractColumns, type CodebookVariable } from './codebook.js';
import { peopleCte } from './outcome.service.js';

export function extractSql(variables: readonly string[]): { sql: string; columns: CodebookVariable[] } {
  const columns = extractColumns(variables);
  const monthly = columns.some((column) => column.level === 'PERSON_MONTH');
  const rows = monthly
    ? `rows as (
        select pe.participant_id, m::date as month, (m + interval '1 month' - interval '1 day')::date as month_end
        from people pe cross join lateral generate_series(pe.followed_from, date_trunc('month', now() at time zone 'Europe/Brussels')::date, interval '1 month') m)`
    : `rows as (select pe.participant_id, null::date as month, null::date as month_end from people pe)`;
  const sql = `with ${peopleCte('null')},
    pseudonymised as materialized (select pe.participant_id, pseudonym_vault.pseudonym($1, pe.participant_id) as pseudonym from people pe),
    ${rows}
    select ${columns.map((column) => `${column.sql} as "${column.name}"`).join(',\n      ')}
    from rows pm
    join pseudonymised pn on pn.participant_id = pm.participant_id
    join research.allocation a on a.participant_id = pm.participant_id
    left join billing.published_benefit_statement s on s.participant_id = pm.participant_id and s.month = pm.month
    order by pn.pseudonym, pm.month`;
  return { sql, columns };
}
