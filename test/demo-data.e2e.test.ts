/**
 * Demo data go only into a database the platform created for them (platform/database-origin.ts):
 * demo rows hang off whoever is in the tables (pathways of referred people, allocations, jobs,
 * benefit statements, questionnaire waves), so a database that already holds people — an earlier
 * release's, upgraded by starting this one on it — must come out of the start with its own rows
 * only. Each case starts the real platform on a database of its own, as `npm start` would.
 */
import { randomUUID } from 'node:crypto';
import type { Constructor } from '@mikro-orm/core';
import type { Migration } from '@mikro-orm/migrations';
import pg from 'pg';
import { ephemeralDevKeys, type DevKeys } from '../gateway/keys.js';
import { dropDatabase, provisionDatabase, withDatabase, type SubgraphDatabaseUrls } from '../platform/database.js';
import { ORIGIN_TABLE } from '../platform/database-origin.js';
import { prepareDatabase, startPlatform } from '../platform/launcher.js';
import { SUBGRAPHS } from '../platform/subgraphs.js';
import { accessMigrations } from '../subgraphs/kit/access/migrations/index.js';
import { migrate, openOrm } from '../subgraphs/kit/orm.js';

const serverUrl = () => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set (jest globalSetup sets it)');
  return url;
};

interface TestDatabase {
  subgraphUrls: SubgraphDatabaseUrls;
  ownerUrl: string;
  admin: pg.Pool;
  drop(): Promise<void>;
}

const databases: TestDatabase[] = [];
let keys: DevKeys;
beforeAll(async () => {
  keys = await ephemeralDevKeys();
});
afterAll(async () => {
  for (const database of databases) await database.drop();
});

/** A database provisioned as `npm start` provisions one (roles, vaults), with nothing migrated yet. */
async function newDatabase(): Promise<TestDatabase> {
  const name = `ips_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const { subgraphUrls, ownerUrl } = await provisionDatabase(serverUrl(), name);
  const admin = new pg.Pool({ connectionString: withDatabase(serverUrl(), name), max: 2 });
  const database = {
    subgraphUrls,
    ownerUrl,
    admin,
    drop: async () => {
      await admin.end();
      await dropDatabase(serverUrl(), name);
    },
  };
  databases.push(database);
  return database;
}

/** Starts this release's platform on the database and stops it again: migrations, then demo data when asked. */
async function startThisRelease(database: TestDatabase, seedDemo: boolean): Promise<Record<string, number>> {
  const platform = await startPlatform({
    databaseUrls: database.subgraphUrls,
    migrationUrl: database.ownerUrl,
    callerPublicKey: keys.caller.publicKey,
    gateway: keys.gateway,
    gatewayPort: 0,
    seedDemo,
  });
  await platform.stop();
  return platform.seeded;
}

/** Rows of every table of the platform's schemas, by `schema.table` (the migrators' bookkeeping left out). */
async function rowsPerTable(database: TestDatabase): Promise<Record<string, number>> {
  const { rows: tables } = await database.admin.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and n.nspname in ('participants', 'pathways', 'research', 'billing', 'access') and c.relname <> 'mikro_orm_migrations'
     order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables)
    counts[name] = (await database.admin.query<{ n: number }>(`select count(*)::int as n from ${name}`)).rows[0]!.n;
  return counts;
}

/**
 * What an earlier release left behind: each schema migrated only up to an earlier migration (no
 * staff directory, no questionnaires, no jobs, no benefit statements yet), by its own migrator, with
 * no mark — and three real people referred by a physician, with their consents and ledger rows, in
 * that earlier shape.
 */
const EARLIER_RELEASE: Record<
  'access' | 'participants' | 'pathways' | 'research' | 'billing',
  Constructor<Migration>[]
> = {
  access: accessMigrations.slice(0, 3),
  billing: SUBGRAPHS.billing.migrations.slice(0, 1),
  participants: SUBGRAPHS.participants.migrations.slice(0, 4),
  pathways: SUBGRAPHS.pathways.migrations.slice(0, 6),
  research: SUBGRAPHS.research.migrations.slice(0, 2),
};

const EARLIER_PEOPLE = [
  {
    niss: '85073003328',
    given: 'Marie',
    family: 'Lambert',
    birth: '1985-07-30',
    region: 'WALLONIA',
    postcode: '4000',
    insurer: 'OA-300',
  },
  {
    niss: '90020512345',
    given: 'Jan',
    family: 'Peeters',
    birth: '1990-02-05',
    region: 'FLANDERS',
    postcode: '9000',
    insurer: 'OA-100',
  },
  {
    niss: '78111501234',
    given: 'Sofia',
    family: 'El Amrani',
    birth: '1978-11-15',
    region: 'BRUSSELS',
    postcode: '1000',
    insurer: 'OA-500',
  },
];

async function madeByAnEarlierRelease(): Promise<TestDatabase> {
  const database = await newDatabase();
  for (const [schema, migrations] of Object.entries(EARLIER_RELEASE)) {
    const orm = await openOrm({ schema, databaseUrl: database.ownerUrl, entities: [], migrations, poolMax: 1 });
    await migrate(orm).finally(() => orm.close());
  }
  for (const person of EARLIER_PEOPLE) {
    const id = randomUUID();
    await database.admin.query(
      `insert into participants.participant (id, niss, given_name, family_name, birth_date, region, postcode, health_insurer, created_at, incapacity_status)
       values ($1, $2, $3, $4, $5, $6, $7, $8, now() - interval '400 days', 'INVALIDITY')`,
      [id, person.niss, person.given, person.family, person.birth, person.region, person.postcode, person.insurer],
    );
    await database.admin.query(
      `insert into participants.referral (id, participant_id, form, region, meets_incapacity_and_mental_disorder_conditions, needs_vocational_rehabilitation,
         needs_intensive_support, wants_to_return_to_work, consents_to_information_sharing, consents_to_research, signed_on, referring_physician,
         health_insurer, submitted_at, idempotency_key, requested_by, request_fingerprint)
       values ($1, $2, $3, $4, true, true, true, true, true, true, current_date - 390, $5, $6, now() - interval '390 days', $7, $5, 'earlier')`,
      [
        randomUUID(),
        id,
        person.region === 'FLANDERS' ? 'AANMELDINGSFORMULIER' : 'FIF',
        person.region,
        `dr-${person.insurer.toLowerCase()}`,
        person.insurer,
        `earlier-${person.niss}`,
      ],
    );
    await database.admin.query(
      `insert into participants.research_consent (id, participant_id, signed_form_reference, given_at, given_by) values ($1, $2, 'paper', now() - interval '390 days', 'earlier')`,
      [randomUUID(), id],
    );
    await database.admin.query(
      `insert into access.ledger (participant_id, self_subject, region, health_insurer, physician_subject, research_consent) values ($1, $2, $3, $4, $5, true)`,
      [id, person.niss, person.region, person.insurer, `dr-${person.insurer.toLowerCase()}`],
    );
  }
  return database;
}

const PEOPLE_AS_THEY_WERE = `select p.id, p.niss, p.given_name, p.family_name, p.birth_date::text, p.region, p.postcode, p.health_insurer, p.created_at, p.incapacity_status,
    r.id as referral_id, r.form, r.signed_on::text, r.referring_physician, r.submitted_at
  from participants.participant p join participants.referral r on r.participant_id = p.id order by p.niss`;

/**
 * The demo is the pilot at its size and in its shape (subgraphs/kit/demo-model.ts): 600 people randomised over
 * four years ending today, by the vault at their registration, in date order, in the pilot's proportions (DOMAIN.md
 * "The Belgian pilot": 340 / 200 / 60), followed for 30 months from randomisation whatever their pathway did.
 */
async function expectThePilotsShape(database: TestDatabase): Promise<void> {
  const one = async <T extends Record<string, unknown>>(sql: string) => (await database.admin.query<T>(sql)).rows[0]!;
  const many = async <T extends Record<string, unknown>>(sql: string) => (await database.admin.query<T>(sql)).rows;
  // The pilot's size, per region; a few referrals of the last days still in INAMI's inbox.
  expect(
    Object.fromEntries(
      (
        await many<{ region: string; n: number }>(
          'select region, count(*)::int as n from research.allocation group by region',
        )
      ).map((r) => [r.region, r.n]),
    ),
  ).toEqual({ FLANDERS: 340, WALLONIA: 200, BRUSSELS: 60 });
  expect(
    (
      await one<{ n: number }>(
        'select count(*)::int as n from participants.referral r where not exists (select 1 from pathways.pathway p where p.participant_id = r.participant_id)',
      )
    ).n,
  ).toBeGreaterThan(0);
  expect((await one<{ n: number }>('select count(distinct ips_partner)::int as n from pathways.pathway')).n).toBe(4);
  // Randomised at registration, over the referral years: allocation months spread over at least four years, none in the future.
  const spread = await one<{ years: number; months: number; apart: number; future: number }>(
    `select count(distinct extract(year from a.allocated_at))::int as years, count(distinct date_trunc('month', a.allocated_at))::int as months,
       count(*) filter (where a.allocated_at - p.registered_at not between interval '0' and interval '1 hour')::int as apart,
       count(*) filter (where a.allocated_at > now())::int as future
     from research.allocation a join pathways.pathway p on p.participant_id = a.participant_id`,
  );
  expect(spread.years).toBeGreaterThanOrEqual(4);
  expect(spread.months).toBeGreaterThanOrEqual(40);
  expect({ apart: spread.apart, future: spread.future }).toEqual({ apart: 0, future: 0 });
  // The vault's own draws: chain intact, no gap, draw numbers in the order of the allocation times.
  expect(
    await one(
      'select draws::int, recorded::int, gaps::int, mismatches::int, chain_intact from allocation_vault.integrity()',
    ),
  ).toEqual({ draws: 600, recorded: 600, gaps: 0, mismatches: 0, chain_intact: true });
  expect(
    (
      await one<{ n: number }>(
        'select count(*)::int as n from (select randomised_at < lag(randomised_at) over (order by draw_number) as back from allocation_vault.draw_log) d where d.back',
      )
    ).n,
  ).toBe(0);
  // No outcome before randomisation; statements every month from it, up to 30 months after.
  const outcomes = await one<{ jobs_before: number; statements_before: number; longest: number; full: number }>(
    `select (select count(*)::int from pathways.employment_contract c join research.allocation a using (participant_id) where c.starts_on < (a.allocated_at at time zone 'Europe/Brussels')::date) as jobs_before,
       (select count(*)::int from billing.benefit_statement s join research.allocation a using (participant_id) where s.month < date_trunc('month', a.allocated_at at time zone 'Europe/Brussels')) as statements_before,
       (select max((extract(year from age(s.month, date_trunc('month', a.allocated_at at time zone 'Europe/Brussels'))) * 12 + extract(month from age(s.month, date_trunc('month', a.allocated_at at time zone 'Europe/Brussels'))))::int)
          from billing.benefit_statement s join research.allocation a using (participant_id)) as longest,
       (select count(*)::int from (select participant_id from billing.benefit_statement group by participant_id having count(*) >= 25) f) as full`,
  );
  expect(outcomes).toMatchObject({ jobs_before: 0, statements_before: 0, longest: 30 });
  expect(outcomes.full).toBeGreaterThan(100);
  // Pathways ended with every reason; jobs that start after the pathway ended (intention to treat), and jobs that end.
  const reasons = (
    await many<{ end_reason: string }>(
      "select distinct end_reason from pathways.pathway where status = 'ENDED' order by 1",
    )
  ).map((r) => r.end_reason);
  expect(reasons).toEqual([
    'CONSENT_WITHDRAWN',
    'DECEASED',
    'EMPLOYMENT_SUSTAINED',
    'HEALTH',
    'MOVED_OUT_OF_REGION',
    'OTHER',
    'PARTICIPANT_WITHDREW',
    'PILOT_ENDED',
  ]);
  expect(
    (await one<{ n: number }>("select count(*)::int as n from pathways.pathway where status = 'OPEN'")).n,
  ).toBeGreaterThan(100);
  const jobs = await one<{ after_end: number; ended: number; ongoing: number }>(
    `select count(*) filter (where c.starts_on > p.ended_on)::int as after_end, count(c.ended_on)::int as ended, count(*) filter (where c.ended_on is null)::int as ongoing
     from pathways.employment_contract c join pathways.pathway p on p.id = c.pathway_id`,
  );
  expect(jobs.after_end).toBeGreaterThan(0);
  expect(jobs.ended).toBeGreaterThan(0);
  expect(jobs.ongoing).toBeGreaterThan(0);
  // Withdrawals at a small rate, each with its mark in the ledger.
  const withdrawn = await one<{ research: number; sharing: number; ledger_research: number; ledger_sharing: number }>(
    `select (select count(*)::int from participants.research_consent where withdrawn_at is not null) as research,
       (select count(distinct participant_id)::int from participants.consent_grant where revoked_at is not null) as sharing,
       (select count(*)::int from access.ledger where not research_consent) as ledger_research,
       (select count(*)::int from access.ledger where consent_grants = '{}') as ledger_sharing`,
  );
  expect(withdrawn.research).toBeGreaterThan(0);
  expect(withdrawn.sharing).toBeGreaterThan(0);
  expect(withdrawn.research).toBeLessThan(60);
  expect({ research: withdrawn.ledger_research, sharing: withdrawn.ledger_sharing }).toEqual({
    research: withdrawn.research,
    sharing: withdrawn.sharing,
  });
  // Questionnaire waves (R12) completed, completed late, missed, and due now; people lost to follow-up at a wave.
  const waves = Object.fromEntries(
    (
      await many<{ state: string; n: number }>(
        'select state, count(*)::int as n from research.questionnaire_wave_status group by state',
      )
    ).map((r) => [r.state, r.n]),
  );
  expect(waves.COMPLETED).toBeGreaterThan(1000);
  expect(waves.MISSED).toBeGreaterThan(100);
  expect(waves.SCHEDULED).toBeGreaterThan(0);
  expect((waves.DUE ?? 0) + (waves.OPEN ?? 0)).toBeGreaterThan(0);
  expect(
    (
      await one<{ n: number }>(
        'select count(*)::int as n from research.questionnaire_wave_status where completed_on > due_on + 14',
      )
    ).n,
  ).toBeGreaterThan(0);
  expect(
    (
      await one<{ n: number }>(
        "select count(*)::int as n from research.questionnaire_wave_status w join access.ledger l using (participant_id) where l.research_consent and w.state = 'MISSED' and w.wave > 0",
      )
    ).n,
  ).toBeGreaterThan(0);
}

describe('demo data', () => {
  it('attaches no demo row to a database an earlier release made and filled, and leaves its people as they were', async () => {
    const upgraded = await madeByAnEarlierRelease();
    const twin = await madeByAnEarlierRelease(); // the same earlier database, upgraded without demo data: what migrating alone gives
    const peopleBefore = (await upgraded.admin.query(PEOPLE_AS_THEY_WERE)).rows;
    expect(peopleBefore).toHaveLength(EARLIER_PEOPLE.length);

    const seeded = await startThisRelease(upgraded, true);
    await prepareDatabase({
      databaseUrls: twin.subgraphUrls,
      migrationUrl: twin.ownerUrl,
      gateway: keys.gateway,
      seedDemo: false,
    });

    expect(seeded).toEqual({});
    const [withDemoAsked, migratedOnly] = [await rowsPerTable(upgraded), await rowsPerTable(twin)];
    expect(Object.keys(withDemoAsked).length).toBeGreaterThan(20); // every schema migrated to this release
    expect(withDemoAsked).toEqual(migratedOnly);
    expect((await upgraded.admin.query(PEOPLE_AS_THEY_WERE)).rows).toEqual(peopleBefore);
    // None of the demo's kinds of rows anywhere: no person, pathway, allocation, job, statement, wave or review was added.
    for (const table of [
      'participants.participant',
      'pathways.pathway',
      'research.allocation',
      'pathways.employment_contract',
      'billing.benefit_statement',
      'research.questionnaire_wave',
      'research.fidelity_review',
    ]) {
      expect({ table, rows: withDemoAsked[table] }).toEqual({
        table,
        rows: table === 'participants.participant' ? EARLIER_PEOPLE.length : 0,
      });
    }
    const [{ kind }] = (await upgraded.admin.query<{ kind: string }>(`select kind from ${ORIGIN_TABLE}`)).rows as [
      { kind: string },
    ];
    expect(kind).toBe('existing');
  }, 180_000);

  it('loads into a database the platform has just created, and a restart on it adds nothing', async () => {
    const database = await newDatabase();
    const first = await startThisRelease(database, true);
    expect(first.participants).toBeGreaterThan(0);
    expect(first.pathways).toBeGreaterThan(0);
    expect(first.research).toBeGreaterThan(0);
    expect(first.billing).toBeGreaterThan(0);
    const afterFirst = await rowsPerTable(database);
    expect(afterFirst['participants.participant']).toBeGreaterThan(0);
    await expectThePilotsShape(database);

    const again = await startThisRelease(database, true);
    expect(Object.values(again).every((rows) => rows === 0)).toBe(true);
    // Each request of a start writes nothing; the access log and command log are written only by requests.
    expect(await rowsPerTable(database)).toEqual(afterFirst);
  }, 240_000);

  it('never loads into a database the platform created without demo data, even when asked later', async () => {
    const database = await newDatabase();
    await prepareDatabase({
      databaseUrls: database.subgraphUrls,
      migrationUrl: database.ownerUrl,
      gateway: keys.gateway,
      seedDemo: false,
    });
    const created = await rowsPerTable(database);

    const seeded = await startThisRelease(database, true);

    expect(seeded).toEqual({});
    expect(await rowsPerTable(database)).toEqual(created);
    const [{ kind }] = (await database.admin.query<{ kind: string }>(`select kind from ${ORIGIN_TABLE}`)).rows as [
      { kind: string },
    ];
    expect(kind).toBe('empty');
  }, 120_000);

  it('draws a demo history only as the owner role, and only in a database marked for demo data', async () => {
    const database = await newDatabase();
    await prepareDatabase({
      databaseUrls: database.subgraphUrls,
      migrationUrl: database.ownerUrl,
      gateway: keys.gateway,
      seedDemo: false,
    });
    const history = `select * from allocation_vault.allocate_demo_history(array[gen_random_uuid()], array['BRUSSELS'], array[now() - interval '3 years'], 'test')`;
    const research = new pg.Client({ connectionString: database.subgraphUrls.research });
    const owner = new pg.Client({ connectionString: database.ownerUrl });
    await research.connect();
    await owner.connect();
    try {
      await expect(research.query(history)).rejects.toThrow(/permission denied/);
      await expect(owner.query(history)).rejects.toThrow(/marked for demo data/);
    } finally {
      await research.end();
      await owner.end();
    }
    expect(
      (await database.admin.query<{ n: number }>('select count(*)::int as n from allocation_vault.draw_log')).rows[0]!
        .n,
    ).toBe(0);
  }, 120_000);

  it("keeps the mark out of reach of every subgraph's role", async () => {
    const database = await newDatabase();
    await prepareDatabase({
      databaseUrls: database.subgraphUrls,
      migrationUrl: database.ownerUrl,
      gateway: keys.gateway,
      seedDemo: false,
    });
    for (const url of Object.values(database.subgraphUrls) as string[]) {
      const app = new pg.Client({ connectionString: url });
      await app.connect();
      try {
        await expect(app.query(`update ${ORIGIN_TABLE} set kind = 'demo'`)).rejects.toThrow(/permission denied/);
      } finally {
        await app.end();
      }
    }
  }, 120_000);
});
