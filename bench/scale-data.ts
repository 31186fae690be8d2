/**
 * National-scale data from the demo's (issue 13 bench, issue 14 item 3): the demo's people, with
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
 * The distribution (regions, arms, stages, dates, outcomes) is the demo's, so a measure at scale
 * has the demo's dimensions and only larger counts: ratios against the demo compare like with like.
 * Runs as an administrator (allocations belong to the vault's role, not the owner); the allocation vault's draw log is not copied (its
 * hash chain is the vault's alone), so `randomisationIntegrity` reports the copies as mismatches.
 */
import pg from 'pg';

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
];

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
export async function scaleDemoData(adminUrl: string, people: number, log: (line: string) => void = () => {}): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const added: Record<string, number> = {};
  try {
    await client.query(`set statement_timeout = 0; set lock_timeout = 0; set idle_in_transaction_session_timeout = 0`);
    const base = Number((await client.query<{ n: string }>('select count(*) as n from participants.participant')).rows[0]!.n);
    if (base === 0) throw new Error('no demo people to copy: start the platform with its demo data first');
    if (people <= base) return added;
    if (people - base >= (998 - FIRST_SERIAL) * DAYS) throw new Error(`at most ${(998 - FIRST_SERIAL) * DAYS + base} people: the copies' NISS serials run out`);
    const maxSerial = Number((await client.query<{ s: string | null }>(`select max(substring(niss from 7 for 3)::int) as s from participants.participant`)).rows[0]!.s ?? 0);
    if (maxSerial >= FIRST_SERIAL) throw new Error(`people with NISS serials ≥ ${FIRST_SERIAL} exist already: scale a fresh demo database`);
    const registryOffset = 10 ** Math.max(3, String(base * 2).length);
    const drawOffset = 10 ** Math.max(4, String(base * 2).length + 1);
    await client.query('begin');
    // The people to create: (original, copy k, global number n), n counting the copies only.
    await client.query(
      `create temporary table scale_person on commit drop as
       select p.id as old_id, k, (k - 1) * $1::bigint + p.rn as n,
              md5(p.id::text || ':' || k)::uuid as new_id
       from (select id, row_number() over (order by created_at, id) as rn from participants.participant) p
       cross join generate_series(1, ceil(($2::numeric - $1) / $1)::int) k
       where (k - 1) * $1::bigint + p.rn <= $2::bigint - $1`,
      [base, people],
    );
    await client.query(`alter table scale_person add column niss text; update scale_person set niss = ${NISS_SQL('n')}`);
    await client.query('create index on scale_person (old_id)');
    const copies = Number((await client.query<{ k: number | null }>('select max(k) as k from scale_person')).rows[0]!.k ?? 0);

    for (const { table, perPerson } of TABLES) {
      const [schema, name] = table.split('.') as [string, string];
      const columns = (
        await client.query<Column>(
          `select column_name as name, udt_name as type from information_schema.columns
           where table_schema = $1 and table_name = $2 and is_generated = 'NEVER' order by ordinal_position`,
          [schema, name],
        )
      ).rows;
      const personColumn = table === 'participants.participant' ? 'id' : 'participant_id';
      const value = (column: Column): string => {
        const c = `t.${column.name}`;
        if (table === 'participants.participant' && column.name === 'niss') return 's.niss';
        if (table === 'participants.participant' && column.name === 'birth_date') return `to_date(substring(s.niss from 1 for 6), 'YYMMDD') - case when to_date(substring(s.niss from 1 for 6), 'YYMMDD') > current_date then interval '100 years' else interval '0' end`;
        if (table === 'access.ledger' && column.name === 'self_subject') return 's.niss';
        if (column.name === 'registry_number') return `'IPS-' || lpad((substring(${c} from 5)::bigint + k.k * ${registryOffset})::text, greatest(6, length((substring(${c} from 5)::bigint + k.k * ${registryOffset})::text)), '0')`;
        if (column.name === 'draw_number') return `${c} + k.k * ${drawOffset}`;
        if (column.name === 'idempotency_key') return `case when ${c} is null then null else ${c} || ':copy-' || k.k end`;
        if (column.type === 'uuid') return `md5(${c}::text || ':' || k.k)::uuid`;
        return c;
      };
      const list = columns.map((column) => column.name).join(', ');
      const select = columns.map(value).join(', ');
      const sql = perPerson
        ? `insert into ${table} (${list})
           select ${select} from ${table} t join scale_person s on s.old_id = t.${personColumn} cross join lateral (select s.k) k`
        : `insert into ${table} (${list}) select ${select} from ${table} t cross join generate_series(1, ${copies}) as k(k)`;
      const started = performance.now();
      const result = await client.query(sql);
      added[table] = result.rowCount ?? 0;
      log(`  ${table}: +${added[table]} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    // Every copy's NISS is well formed: its check digits are 97 − (its first nine digits mod 97).
    const [bad] = (await client.query<{ n: string }>(
      `select count(*) as n from scale_person where niss !~ '^[0-9]{11}$' or 97 - (substring(niss from 1 for 9)::bigint % 97) <> substring(niss from 10 for 2)::int`,
    )).rows;
    if (Number(bad!.n) > 0) throw new Error(`${bad!.n} copied NISS fail their check digits`);
    // New pathways after the copies take registry numbers past every copy's.
    await client.query(`select setval('pathways.registry_number_seq', greatest((select max(substring(registry_number from 5)::bigint) from pathways.pathway), 1))`);
    await client.query('commit');
    // Vacuumed and analysed now, not by autovacuum in the middle of what is measured next.
    for (const { table } of TABLES) await client.query(`vacuum (analyze) ${table}`);
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
  return added;
}
