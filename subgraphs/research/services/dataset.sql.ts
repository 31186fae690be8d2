/**
 * The extract's SQL (R19), one statement streamed from PostgreSQL: the people whose research consent
 * (R1f) holds in the access ledger at extraction time — the same people as the trial's outcome
 * measures (outcome.service.ts peopleCte) — one row per person, or per person and month of their follow-up
 * when a month-level variable is asked for: from the month of randomisation (month 0) to month 30, ending
 * earlier at death or at the month of extraction (generate_series), whatever the pathway (intention to treat). The pseudonym is computed once per person inside PostgreSQL.
 * Parameter $1: the request's project.
 */
import { extractColumns, type CodebookVariable } from './codebook.js';
import { monthsSince, peopleCte } from './outcome.service.js';

export function extractSql(variables: readonly string[]): { sql: string; columns: CodebookVariable[] } {
  const columns = extractColumns(variables);
  const monthly = columns.some((column) => column.level === 'PERSON_MONTH');
  const rows = monthly
    ? `rows as (
        select pe.participant_id, m::date as month, least((m + interval '1 month' - interval '1 day')::date, pe.followed_until) as month_end,
               ${monthsSince('pe.followed_from', 'm::date')} as month_index
        from people pe cross join lateral generate_series(pe.followed_from, least(pe.last_month, date_trunc('month', now() at time zone 'Europe/Brussels')::date), interval '1 month') m)`
    : `rows as (select pe.participant_id, null::date as month, null::date as month_end, null::int as month_index from people pe)`;
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
