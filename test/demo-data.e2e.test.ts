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
  const platform = await startPlatform({ databaseUrls: database.subgraphUrls, migrationUrl: database.ownerUrl, callerPublicKey: keys.caller.publicKey, gateway: keys.gateway, gatewayPort: 0, seedDemo });
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
  for (const { name } of tables) counts[name] = (await database.admin.query<{ n: number }>(`select count(*)::int as n from ${name}`)).rows[0]!.n;
  return counts;
}

/**
 * What an earlier release left behind: each schema migrated only up to an earlier migration (no
 * staff directory, no questionnaires, no jobs, no benefit statements yet), by its own migrator, with
 * no mark — and three real people referred by a physician, with their consents and ledger rows, in
 * that earlier shape.
 */
const EARLIER_RELEASE: Record<'access' | 'participants' | 'pathways' | 'research' | 'billing', Constructor<Migration>[]> = {
  access: accessMigrations.slice(0, 3),
  billing: SUBGRAPHS.billing.migrations.slice(0, 1),
  participants: SUBGRAPHS.participants.migrations.slice(0, 4),
  pathways: SUBGRAPHS.pathways.migrations.slice(0, 6),
  research: SUBGRAPHS.research.migrations.slice(0, 2),
};

const EARLIER_PEOPLE = [
  { niss: '85073003328', given: 'Marie', family: 'Lambert', birth: '1985-07-30', region: 'WALLONIA', postcode: '4000', insurer: 'OA-300' },
  { niss: '90020512345', given: 'Jan', family: 'Peeters', birth: '1990-02-05', region: 'FLANDERS', postcode: '9000', insurer: 'OA-100' },
  { niss: '78111501234', given: 'Sofia', family: 'El Amrani', birth: '1978-11-15', region: 'BRUSSELS', postcode: '1000', insurer: 'OA-500' },
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
      [randomUUID(), id, person.region === 'FLANDERS' ? 'AANMELDINGSFORMULIER' : 'FIF', person.region, `dr-${person.insurer.toLowerCase()}`, person.insurer, `earlier-${person.niss}`],
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

describe('demo data', () => {
  it('attaches no demo row to a database an earlier release made and filled, and leaves its people as they were', async () => {
    const upgraded = await madeByAnEarlierRelease();
    const twin = await madeByAnEarlierRelease(); // the same earlier database, upgraded without demo data: what migrating alone gives
    const peopleBefore = (await upgraded.admin.query(PEOPLE_AS_THEY_WERE)).rows;
    expect(peopleBefore).toHaveLength(EARLIER_PEOPLE.length);

    const seeded = await startThisRelease(upgraded, true);
    await prepareDatabase({ databaseUrls: twin.subgraphUrls, migrationUrl: twin.ownerUrl, gateway: keys.gateway, seedDemo: false });

    expect(seeded).toEqual({});
    const [withDemoAsked, migratedOnly] = [await rowsPerTable(upgraded), await rowsPerTable(twin)];
    expect(Object.keys(withDemoAsked).length).toBeGreaterThan(20); // every schema migrated to this release
    expect(withDemoAsked).toEqual(migratedOnly);
    expect((await upgraded.admin.query(PEOPLE_AS_THEY_WERE)).rows).toEqual(peopleBefore);
    // None of the demo's kinds of rows anywhere: no person, pathway, allocation, job, statement, wave or review was added.
    for (const table of ['participants.participant', 'pathways.pathway', 'research.allocation', 'pathways.employment_contract', 'billing.benefit_statement', 'research.questionnaire_wave', 'research.fidelity_review']) {
      expect({ table, rows: withDemoAsked[table] }).toEqual({ table, rows: table === 'participants.participant' ? EARLIER_PEOPLE.length : 0 });
    }
    const [{ kind }] = (await upgraded.admin.query<{ kind: string }>(`select kind from ${ORIGIN_TABLE}`)).rows as [{ kind: string }];
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

    const again = await startThisRelease(database, true);
    expect(Object.values(again).every((rows) => rows === 0)).toBe(true);
    // Each request of a start writes nothing; the access log and command log are written only by requests.
    expect(await rowsPerTable(database)).toEqual(afterFirst);
  }, 240_000);

  it('never loads into a database the platform created without demo data, even when asked later', async () => {
    const database = await newDatabase();
    await prepareDatabase({ databaseUrls: database.subgraphUrls, migrationUrl: database.ownerUrl, gateway: keys.gateway, seedDemo: false });
    const created = await rowsPerTable(database);

    const seeded = await startThisRelease(database, true);

    expect(seeded).toEqual({});
    expect(await rowsPerTable(database)).toEqual(created);
    const [{ kind }] = (await database.admin.query<{ kind: string }>(`select kind from ${ORIGIN_TABLE}`)).rows as [{ kind: string }];
    expect(kind).toBe('empty');
  }, 120_000);

  it("keeps the mark out of reach of every subgraph's role", async () => {
    const database = await newDatabase();
    await prepareDatabase({ databaseUrls: database.subgraphUrls, migrationUrl: database.ownerUrl, gateway: keys.gateway, seedDemo: false });
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
