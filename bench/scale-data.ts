/**
 * National-scale data from the demo's (the aggregates' and the lists' benches): the demo's people, with
 * everything that hangs off them in every subgraph — referrals, consent grants, the access ledger,
 * pathways and their events (inbox items, registrations, welcome sessions and invitations,
 * meetings, acts, messages, contracts, authorisations), allocations, questionnaire waves and
 * benefit statements — copied until the database holds `people` people, in one INSERT … SELECT per
 * table (server-side, no row crosses the wire). Every copy is a valid record of its own:
 * - every uuid is re-derived per copy (md5 of the old one and the copy's number), so foreign keys
 *   between copied rows hold and no copy shares an id with another;
 * - each copied person gets a fresh NISS with a valid check digit (modulo 97, born before 2000)
 *   and the birth date it encodes; the access ledger's own subject follows it;
 * - registry numbers, draw numbers and idempotency keys stay unique.
 * - the demo's pathways first get the events the demo seed leaves empty (scale-events.ts: SRE inbox,
 *   registrations, welcome sessions, meetings, acts, physician messages, work authorisations, the
 *   access log of those reads), so the copies carry them too;
 * - each copy's physician of record, job coach and reference counsellor are new staff of the same
 *   organisation with realistic caseloads (CASELOADS), named wherever the original's were and
 *   enrolled in the staff directory;
 * - the access log is appended in the order of its reads with its hash chain computed as its
 *   trigger does (appendChained), then verified.
 * The distribution (regions, arms, stages, dates, outcomes) is the demo's, so a measure at scale
 * has the demo's dimensions and only larger counts: ratios against the demo compare like with like.
 * Runs as an administrator (allocations belong to the vault's role, not the owner); the allocation vault's draw log is not copied (its
 * hash chain is the vault's alone), so `randomisationIntegrity` reports the copies as mismatches.
 */
import pg from 'pg';
import { addDemoEvents } from './scale-events.js';

/** Tables holding one person's data, in foreign-key order; `perPerson: false` rows are copied once per copy. */
const TABLES: ReadonlyArray<{ table: string; perPerson: boolean }> = [
  { table: 'participants.participant', perPerson: true },
  { table: 'participants.referral', perPerson: true },
  { table: 'participants.consent_grant', perPerson: true },
  { table: 'participants.research_consent', perPerson: true },
  { table: 'access.ledger', perPerson: true },
  { table: 'pathways.welcome_session', perPerson: false },
  { table: 'pathways.pathway', perPerson: true },
  { table: 'pathways.sre_inbox_item', perPerson: true },
  { table: 'pathways.job_seeker_registration', perPerson: true },
  { table: 'pathways.welcome_invitation', perPerson: true },
  { table: 'pathways.individual_meeting', perPerson: true },
  { table: 'pathways.pathway_act', perPerson: true },
  { table: 'pathways.physician_message', perPerson: true },
  { table: 'pathways.employment_contract', perPerson: true },
  { table: 'pathways.work_authorisation', perPerson: true },
  { table: 'research.allocation', perPerson: true },
  { table: 'research.questionnaire_wave', perPerson: true },
  { table: 'billing.benefit_statement', perPerson: true },
  // The demo's history of reads (scale-events.ts), not the reads made since it was seeded (a bench's own requests): through the chaining trigger, oldest first.
  { table: 'access.access_log', perPerson: true },
];

/** A copy's id: the md5 of the original's and the copy's number, shaped as a version-4 UUID (the graph's ID arguments accept no other). */
const uuidOf = (text: string) => `overlay(overlay(md5(${text}) placing '4' from 13) placing '8' from 17)::uuid`;

/** uuid columns that point at rows not copied (billing's conventions): the copy keeps them. */
const REFERENCE_DATA_IDS = new Set(['convention_id']);

/**
 * Columns naming a staff member: in a copy, the original's physician of record, job coach and
 * reference counsellor are replaced by the copy's own (`scale_person`), wherever they are named —
 * the ledger's facts, the pathway's referent, the author of a referral, act, meeting, contract or
 * message, the reader in the access log.
 */
const SUBJECT_COLUMNS = new Set([
  'referring_physician',
  'requested_by',
  'granted_by',
  'given_by',
  'revoked_by',
  'withdrawn_by',
  'physician_subject',
  'job_coach_subject',
  'counsellor_subject',
  'job_coach',
  'reference_counsellor',
  'recorded_by',
  'ended_by',
  'scheduled_by',
  'held_by',
  'actor',
  'sent_by',
  'decided_by',
  'acknowledged_by',
  'subject',
  'opened_by',
]);

/**
 * Realistic caseloads for the copies' staff: the demo's ≈ 30 coaches, 3 counsellors and 28
 * physicians would each get thousands of people. Each copy's referents are new staff of the same
 * organisation, numbered from 1001, each taking the next few people: a job coach 15 to 20 open
 * pathways (the IPS guideline is at most 20), a reference counsellor likewise, an advising physician
 * 18 to 24 patients in the pilot. Sizes cycle through the range.
 */
const CASELOADS = { coach: [15, 20], counsellor: [15, 20], physician: [18, 24] } as const;
/** The n-th person (from 1) of an organisation goes to its staff member number `bucket` (from 1): blocks of lo, lo+1, …, hi people, repeated. */
const BUCKET_FUNCTION = `create or replace function pg_temp.bucket(n bigint, lo int, hi int) returns bigint language sql immutable as $$
  select ((n - 1) / ((lo + hi) * (hi - lo + 1) / 2)) * (hi - lo + 1)
         + (select min(j) from generate_series(0, hi - lo) j where (j + 1) * lo + j * (j + 1) / 2 > (n - 1) % ((lo + hi) * (hi - lo + 1) / 2)) + 1 $$`;

/** Serial numbers from 900 up are the copies' (the demo's people use lower ones): no copy can take a demo person's NISS. */
const FIRST_SERIAL = 900;
const DAYS = 18_000; // birth dates from 1950-01-01 over ≈ 49 years

/** A valid NISS for the n-th copied person (n ≥ 1), born before 2000: distinct for every n below (997 − 900 + 1) × DAYS; checked after the copy. */
const NISS_SQL = (n: string) => `(
  with d as (select date '1950-01-01' + ((${n}::bigint * 7919) % ${DAYS})::int as birth, ${FIRST_SERIAL} + (${n} / ${DAYS}) as serial),
       f as (select birth, to_char(birth, 'YYMMDD') || lpad(serial::text, 3, '0') as first9 from d)
  select first9 || lpad((97 - (first9::bigint % 97))::text, 2, '0') from f)`;

interface Column {
  name: string;
  type: string;
}

/** Copies the demo until `people` people are in the database; returns rows added per table. */
export async function scaleDemoData(
  adminUrl: string,
  people: number,
  log: (line: string) => void = () => {},
): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const added: Record<string, number> = {};
  try {
    await client.query(`set statement_timeout = 0; set lock_timeout = 0; set idle_in_transaction_session_timeout = 0`);
    const base = Number(
      (await client.query<{ n: string }>('select count(*) as n from participants.participant')).rows[0]!.n,
    );
    if (base === 0) throw new Error('no demo people to copy: start the platform with its demo data first');
    if (people <= base) return added;
    if (people - base >= (998 - FIRST_SERIAL) * DAYS)
      throw new Error(`at most ${(998 - FIRST_SERIAL) * DAYS + base} people: the copies' NISS serials run out`);
    const maxSerial = Number(
      (
        await client.query<{ s: string | null }>(
          `select max(substring(niss from 7 for 3)::int) as s from participants.participant`,
        )
      ).rows[0]!.s ?? 0,
    );
    if (maxSerial >= FIRST_SERIAL)
      throw new Error(`people with NISS serials ≥ ${FIRST_SERIAL} exist already: scale a fresh demo database`);
    const registryOffset = 10 ** Math.max(3, String(base * 2).length);
    const drawOffset = 10 ** Math.max(4, String(base * 2).length + 1);
    await client.query(`set work_mem = '128MB'; set maintenance_work_mem = '512MB'`); // the copies sorted by their new id (primary keys grown in key order); the other indexes built after the copy
    await client.query('begin');
    await addDemoEvents(client, log);
    // The access log's history: what was read before the demo's people were created (scale-events.ts), not since.
    const seededAt = (
      await client.query<{ at: string }>('select min(created_at)::text as at from participants.participant')
    ).rows[0]!.at;
    // The people to create: (original, copy k, global number n), n counting the copies only.
    await client.query(
      `create temporary table scale_person on commit drop as
       select p.id as old_id, k, (k - 1) * $1::bigint + p.rn as n,
              ${uuidOf(`p.id::text || ':' || k`)} as new_id
       from (select id, row_number() over (order by created_at, id) as rn from participants.participant) p
       cross join generate_series(1, ceil(($2::numeric - $1) / $1)::int) k
       where (k - 1) * $1::bigint + p.rn <= $2::bigint - $1`,
      [base, people],
    );
    await client.query(
      `alter table scale_person add column niss text; update scale_person set niss = ${NISS_SQL('n')}`,
    );
    await client.query('create index on scale_person (old_id)');
    await client.query('create index on scale_person (n)');
    // Each copy's own physician of record, job coach and reference counsellor, of the original's organisations.
    await client.query(BUCKET_FUNCTION);
    await client.query(`alter table scale_person add column old_physician text, add column physician text, add column old_coach text, add column coach text,
                          add column old_counsellor text, add column counsellor text`);
    await client.query(`update scale_person s set old_physician = l.physician_subject, old_coach = l.job_coach_subject, old_counsellor = l.counsellor_subject
                        from access.ledger l where l.participant_id = s.old_id`);
    for (const [column, organisation, prefix, [lo, hi]] of [
      ['physician', 'health_insurer', 'dr', CASELOADS.physician],
      ['coach', 'ips_partner', 'coach', CASELOADS.coach],
      ['counsellor', 'employment_service', 'counsellor', CASELOADS.counsellor],
    ] as const) {
      await client.query(`with ranked as (
          select s.n, l.${organisation} as organisation, row_number() over (partition by l.${organisation} order by s.n) as rn
          from scale_person s join access.ledger l on l.participant_id = s.old_id where s.old_${column} is not null)
        update scale_person s set ${column} = '${prefix}-' || lower(r.organisation) || '-' || (1000 + pg_temp.bucket(r.rn, ${lo}, ${hi}))
        from ranked r where r.n = s.n`);
    }
    await client.query('analyze scale_person');
    const copies = Number(
      (await client.query<{ k: number | string | null }>('select max(k) as k from scale_person')).rows[0]!.k ?? 0,
    );
    // The copies' foreign keys hold by construction (every id re-derived the same way from the original's, which held):
    // no per-row check or trigger while copying, which made a copy of a national scale take a quarter of an hour.
    // The access log's chain is computed here (appendChained); the pathway's arm is the original's, which is the copied ledger's
    // (pathways migration 029); the data version is advanced once at the end, as the triggers would have.
    await client.query('set local session_replication_role = replica');

    for (const { table, perPerson } of TABLES) {
      const [schema, name] = table.split('.') as [string, string];
      const columns = (
        await client.query<Column>(
          `select column_name as name, udt_name as type from information_schema.columns
           where table_schema = $1 and table_name = $2 and is_generated = 'NEVER' and is_identity = 'NO' order by ordinal_position`,
          [schema, name],
        )
      ).rows;
      const personColumn = table === 'participants.participant' ? 'id' : 'participant_id';
      const value = (column: Column): string => {
        const c = `t.${column.name}`;
        if (table === 'participants.participant' && column.name === 'niss') return 's.niss';
        if (table === 'participants.participant' && column.name === 'birth_date')
          return `to_date(substring(s.niss from 1 for 6), 'YYMMDD') - case when to_date(substring(s.niss from 1 for 6), 'YYMMDD') > current_date then interval '100 years' else interval '0' end`;
        if (table === 'access.ledger' && column.name === 'self_subject') return 's.niss';
        if (column.name === 'registry_number')
          return `'IPS-' || lpad((substring(${c} from 5)::bigint + k.k * ${registryOffset})::text, greatest(6, length((substring(${c} from 5)::bigint + k.k * ${registryOffset})::text)), '0')`;
        if (column.name === 'draw_number') return `${c} + k.k * ${drawOffset}`;
        if (column.name === 'idempotency_key')
          return `case when ${c} is null then null else ${c} || ':copy-' || k.k end`;
        // A reference to reference data (the pathway's convention) is kept: only the copied rows' ids are new.
        if (column.type === 'uuid' && REFERENCE_DATA_IDS.has(column.name)) return c;
        if (column.type === 'uuid') return uuidOf(`${c}::text || ':' || k.k`);
        if (perPerson && SUBJECT_COLUMNS.has(column.name))
          return `case ${c} when s.old_physician then s.physician when s.old_coach then s.coach when s.old_counsellor then s.counsellor else ${c} end`;
        return c;
      };
      // The access log's chain is the trigger's to write (sequence, hashes), in the order of the reads.
      const chained = table === 'access.access_log';
      if (chained)
        columns.splice(
          0,
          columns.length,
          ...columns.filter((column) => !['chain_seq', 'prev_hash', 'row_hash'].includes(column.name)),
        );
      const list = columns.map((column) => column.name).join(', ');
      const select = columns.map(value).join(', ');
      const sql = perPerson
        ? `insert into ${table} (${list})
           select ${select} from ${table} t join scale_person s on s.old_id = t.${personColumn} cross join lateral (select s.k) k
           order by s.new_id`
        : `insert into ${table} (${list}) select ${select} from ${table} t cross join generate_series(1, ${copies}) as k(k)`;
      const started = performance.now();
      // Indexes built once after the rows are in, not grown a row at a time (a key order per index): those backing a
      // primary key or a constraint stay (what references and ON CONFLICT need), the others are dropped and made again.
      const indexes = (
        await client.query<{ name: string; definition: string }>(
          `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as definition from pg_index i
           where i.indrelid = $1::regclass and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
          [table],
        )
      ).rows;
      for (const index of indexes) await client.query(`drop index ${index.name}`);
      const result = chained
        ? await appendChained(
            client,
            list,
            columns.map((column) => `${value(column)} as ${column.name}`).join(', '),
            `${table} t join scale_person s on s.old_id = t.${personColumn} cross join lateral (select s.k) k where t.at < '${seededAt}'::timestamptz`,
          )
        : await client.query(sql);
      added[table] = result.rowCount ?? 0;
      for (const index of indexes) await client.query(index.definition);
      // Planned from now on with its new size: the next tables' foreign-key checks look rows up here (a plan made for the demo's few rows reads them all, per row).
      await client.query(`analyze ${table}`);
      log(`  ${table}: +${added[table]} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    await client.query('set local session_replication_role = origin');
    // Every copy's NISS is well formed: its check digits are 97 − (its first nine digits mod 97).
    const [bad] = (
      await client.query<{ n: string }>(
        `select count(*) as n from scale_person where niss !~ '^[0-9]{11}$' or 97 - (substring(niss from 1 for 9)::bigint % 97) <> substring(niss from 10 for 2)::int`,
      )
    ).rows;
    if (Number(bad!.n) > 0) throw new Error(`${bad!.n} copied NISS fail their check digits`);
    // The copies' staff in the directory of their organisation, so that they may act (ACTIONS' staff grants).
    const enrolled = await client.query(
      `insert into participants.staff_member (id, organisation_code, subject, function, display_name, enrolled_at, enrolled_by)
       select gen_random_uuid(), organisation, subject, function, initcap(split_part(subject, '-', 1)) || ' ' || organisation || ' ' || split_part(subject, '-', -1), now(), 'demo-scale'
       from (select distinct l.health_insurer as organisation, s.physician as subject, 'ADVISING_PHYSICIAN' as function from scale_person s join access.ledger l on l.participant_id = s.old_id where s.physician is not null
             union select distinct l.ips_partner, s.coach, 'JOB_COACH' from scale_person s join access.ledger l on l.participant_id = s.old_id where s.coach is not null
             union select distinct l.employment_service, s.counsellor, 'SRE_COUNSELLOR' from scale_person s join access.ledger l on l.participant_id = s.old_id where s.counsellor is not null) staff
       on conflict do nothing`,
    );
    added['participants.staff_member'] = enrolled.rowCount ?? 0;
    log(`  participants.staff_member: +${enrolled.rowCount} (the copies' physicians, coaches and counsellors)`);
    // The access log's chain holds from its first row to its head (the check `npm run` tools and tests make).
    const [chain] = (await client.query<{ rows: string; intact: boolean }>('select * from access.verify_access_log()'))
      .rows;
    if (!chain!.intact) throw new Error('the access log chain does not hold after the copy');
    // New pathways after the copies take registry numbers past every copy's.
    await client.query(
      `select setval('pathways.registry_number_seq', greatest((select max(substring(registry_number from 5)::bigint) from pathways.pathway), 1))`,
    );
    // What the data-change triggers would have said (kit/data-version.ts): the published snapshots are computed again.
    await client.query(`select nextval('access.data_version')`);
    await client.query(`select pg_notify('ips_data_change', '')`);
    await client.query('commit');
    // Vacuumed and analysed now, not by autovacuum in the middle of what is measured next.
    for (const table of [...TABLES.map(({ table }) => table), 'participants.staff_member'])
      await client.query(`vacuum (analyze) ${table}`);
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
  return added;
}

/**
 * Appends rows to the access log, in the order of their reads, as its trigger would (access
 * migration 002: each row's sequence number, the previous row's hash and its own), computed in one
 * statement: through the trigger, every row's update of the chain's head made the copy quadratic
 * (the head's versions pile up within one transaction). The trigger is off for this statement only;
 * the chain is verified after the copy (access.verify_access_log).
 */
async function appendChained(client: pg.Client, list: string, select: string, from: string): Promise<pg.QueryResult> {
  const columns = list.split(', ');
  await client.query(
    `create temporary table log_copy on commit drop as select row_number() over (order by t.at, k.k, t.id) as ord, ${select} from ${from}`,
  );
  await client.query('create index on log_copy (ord); analyze log_copy');
  // One row per step: each hash is the previous one's and the row's text (a nested loop on the index, never a hash join rebuilt per step).
  await client.query('set local enable_hashjoin = off; set local enable_mergejoin = off');
  const text = (row: string, seq: string) =>
    `access.access_log_row_text(${row}.at, ${row}.subject, ${row}.role, ${row}.organisation, ${row}.participant_id, ${row}.categories, ${row}.operation, ${row}.subgraph, ${seq})`;
  await client.query(`create temporary table log_chain on commit drop as
    with recursive chain(ord, seq, prev, hash) as (
      select 0::bigint, h.seq, null::bytea, h.hash from access.access_log_head h where h.id
      union all
      select c.ord + 1, c.seq + 1, c.hash, access.access_log_row_hash(c.hash, ${text('x', 'c.seq + 1')})
      from chain c join log_copy x on x.ord = c.ord + 1)
    select * from chain where ord > 0`);
  await client.query('reset enable_hashjoin; reset enable_mergejoin');
  await client.query('alter table access.access_log disable trigger access_log_chain');
  const result = await client.query(
    `insert into access.access_log (${list}, chain_seq, prev_hash, row_hash)
     select ${columns.map((column) => `x.${column}`).join(', ')}, c.seq, c.prev, c.hash from log_copy x join log_chain c on c.ord = x.ord order by x.ord`,
  );
  await client.query('alter table access.access_log enable trigger access_log_chain');
  await client.query(
    `update access.access_log_head set seq = last.seq, hash = last.hash from (select seq, hash from log_chain order by ord desc limit 1) last where access_log_head.id`,
  );
  return result;
}
