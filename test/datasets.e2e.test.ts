/**
 * Pseudonymised datasets (R19, R18, R1f): a researcher files a data request,
 * INAMI decides it once, the researcher who filed it downloads the extract — CSV or Parquet, streamed
 * from PostgreSQL through the gateway's origin — with its codebook. Checked on the demo's people
 * (`npm start`'s) and on constructed ones:
 * - no direct identifier in any cell of any extract, against the identities in the database;
 * - pseudonyms = HMAC-SHA-256(NISS, project key), stable within a project, different across projects,
 *   the key unreadable by the application role (PostgreSQL's 42501);
 * - a research-consent withdrawal (R1f) excludes the person from the next extract;
 * - only the filer of an approved request downloads; anything else answers like a missing request;
 * - the codebook lists every column with its type; DuckDB reads the Parquet file back with those types;
 * - the analysis dataset gives the quarterly competitive employment rate per arm on constructed data.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseCsv } from '../analysis/csv.js';
import type { Identity } from '../schema/identity.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { CODEBOOK, REQUESTABLE } from '../subgraphs/research/services/codebook.js';
import { errorCodes, startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
import { seed, type SeededPerson } from './seed.js';

let graph: TestPlatform;
let workDir: string;
beforeAll(async () => {
  graph = await startTestPlatform({ seedDemo: true });
  // INAMI decides as one of its agents in the staff directory.
  await ok(
    graph.query(
      { role: 'INAMI', organisation: 'INAMI', subject: 'inami-directory-admin' },
      'mutation($input: EnrolStaffMemberInput!) { enrolStaffMember(input: $input) { id } }',
      {
        input: { subject: INAMI.subject, function: 'INAMI_AGENT', displayName: 'INAMI datasets' },
      },
    ),
  );
  workDir = mkdtempSync(join(tmpdir(), 'ips-datasets-'));
}, 240_000);
afterAll(async () => {
  await graph?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const RESEARCHER: Identity = { role: 'RESEARCHER', organisation: 'ULB', subject: 'researcher-datasets' };
const OTHER_RESEARCHER: Identity = { role: 'RESEARCHER', organisation: 'ULB', subject: 'researcher-elsewhere' };
const INAMI: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'inami-datasets' };
const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-datasets' };
const COACH: Identity = { role: 'JOB_COACH', organisation: 'ARTICLE-23', subject: 'coach-datasets' };
const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ARTICLE-23', subject: 'supervisor-datasets' };
const SRE_DESK: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'forem-desk-datasets' };
const COUNSELLOR: Identity = { role: 'SRE', organisation: 'FOREM', subject: 'counsellor-datasets' };

const FILE =
  'mutation($input: FileDataRequestInput!) { fileDataRequest(input: $input) { id status project variables files { csv parquet codebook } } }';
const DECIDE =
  'mutation($input: DecideDataRequestInput!) { decideDataRequest(input: $input) { id status decisionReason decidedBy files { csv parquet codebook } } }';
const REQUESTS = '{ dataRequests { id project status requester } }';
const PURPOSE = 'Effect of IPS on competitive employment at 18 months (primary analysis, ITT).';

async function ok<T>(pending: Promise<GraphQLResponse<T>>): Promise<T> {
  const response = await pending;
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!;
}

async function fileRequest(
  project: string,
  variables: readonly string[] = REQUESTABLE,
  by: Identity = RESEARCHER,
): Promise<string> {
  return (
    await ok(
      graph.query<{ fileDataRequest: { id: string } }>(by, FILE, {
        input: { project, purpose: PURPOSE, purposeCategory: 'EMPLOYMENT', variables },
      }),
    )
  ).fileDataRequest.id;
}
async function approve(id: string): Promise<void> {
  await ok(
    graph.query(INAMI, DECIDE, {
      input: { requestId: id, decision: 'APPROVE', reason: 'Protocol v1, ethics committee approval on file.' },
    }),
  );
}
async function approvedRequest(project: string, variables: readonly string[] = REQUESTABLE): Promise<string> {
  const id = await fileRequest(project, variables);
  await approve(id);
  return id;
}

interface Download {
  status: number;
  body: Buffer;
  contentType: string | null;
}
async function download(
  as: Identity | null,
  requestId: string,
  file: 'csv' | 'parquet' | 'codebook.json' | 'answers.csv',
): Promise<Download> {
  const headers: Record<string, string> = as ? { authorization: `Bearer ${await graph.tokenFor(as)}` } : {};
  const response = await fetch(`${graph.platform.gateway.url}datasets/${requestId}.${file}`, { headers });
  return {
    status: response.status,
    body: Buffer.from(await response.arrayBuffer()),
    contentType: response.headers.get('content-type'),
  };
}

interface Table {
  columns: string[];
  types: string[];
  rows: Record<string, string | null>[];
}
function csvTable(body: Buffer): Table {
  const [header, ...lines] = parseCsv(body.toString('utf8'));
  return {
    columns: header!,
    types: [],
    rows: lines.map((cells) =>
      Object.fromEntries(header!.map((name, i) => [name, cells[i] === '' ? null : cells[i]!])),
    ),
  };
}
/** The Parquet file read back by an independent reader (DuckDB), with the types it reads. */
async function parquetTable(body: Buffer): Promise<Table> {
  const path = join(workDir, `${randomUUID()}.parquet`);
  writeFileSync(path, body);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const described = (
      await connection.runAndReadAll(`describe select * from read_parquet('${path}')`)
    ).getRowObjectsJS() as { column_name: string; column_type: string }[];
    const rows = (await connection.runAndReadAll(`select * from read_parquet('${path}')`)).getRowObjectsJS();
    return {
      columns: described.map((column) => column.column_name),
      types: described.map((column) => column.column_type),
      rows: rows.map((row) =>
        Object.fromEntries(Object.entries(row).map(([name, value]) => [name, value === null ? null : String(value)])),
      ),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const DUCKDB_TYPE = { STRING: 'VARCHAR', INTEGER: 'INTEGER', DOUBLE: 'DOUBLE', BOOLEAN: 'BOOLEAN' } as const;

/** The project key as only an administrator can read it, and the pseudonym it gives a NISS. */
async function expectedPseudonym(project: string, niss: string): Promise<string> {
  const [row] = await graph.sql<{ key: Buffer }>('select key from pseudonym_vault.project_key where project = $1', [
    project,
  ]);
  return createHmac('sha256', row!.key).update(niss, 'utf8').digest('hex');
}

describe('data requests (R19)', () => {
  it('are filed by a researcher, decided once by INAMI with a reason, and downloadable only by their filer once approved', async () => {
    const id = await fileRequest('DATASETS-LIFECYCLE', ['arm', 'region']);
    // Researchers see their own requests; INAMI sees all.
    expect(
      (await ok(graph.query<{ dataRequests: { id: string }[] }>(RESEARCHER, REQUESTS))).dataRequests.map((r) => r.id),
    ).toContain(id);
    expect(
      (await ok(graph.query<{ dataRequests: { id: string }[] }>(OTHER_RESEARCHER, REQUESTS))).dataRequests.map(
        (r) => r.id,
      ),
    ).not.toContain(id);
    expect(
      (await ok(graph.query<{ dataRequests: { id: string; status: string }[] }>(INAMI, REQUESTS))).dataRequests.find(
        (r) => r.id === id,
      )?.status,
    ).toBe('PENDING');

    // Pending: no file, and the download answers like a missing request.
    const missing = await download(RESEARCHER, randomUUID(), 'csv');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString())).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    const pending = await download(RESEARCHER, id, 'csv');
    expect([pending.status, pending.body.toString()]).toEqual([404, missing.body.toString()]);
    // No token: 401, as the graph answers.
    const anonymous = await download(null, id, 'csv');
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.body.toString())).toMatchObject({
      errors: [{ extensions: { code: 'UNAUTHENTICATED' } }],
    });

    // Only INAMI decides (the mutation is not in a researcher's schema); a refusal needs a reason.
    expect([
      ...new Set(errorCodes(await graph.query(RESEARCHER, DECIDE, { input: { requestId: id, decision: 'APPROVE' } }))),
    ]).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const noReason = await graph.query(INAMI, DECIDE, { input: { requestId: id, decision: 'REFUSE' } });
    expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    expect(
      errorCodes(await graph.query(INAMI, DECIDE, { input: { requestId: randomUUID(), decision: 'APPROVE' } })),
    ).toEqual(['NOT_FOUND']);

    const approved = await ok(
      graph.query<{ decideDataRequest: { status: string; decidedBy: string; files: { csv: string } } }>(INAMI, DECIDE, {
        input: { requestId: id, decision: 'APPROVE', reason: 'Within the protocol.' },
      }),
    );
    expect(approved.decideDataRequest).toMatchObject({
      status: 'APPROVED',
      decidedBy: INAMI.subject,
      files: { csv: `/datasets/${id}.csv` },
    });
    // Decided once: a second decision is a CONFLICT, whichever it is.
    expect(
      errorCodes(
        await graph.query(INAMI, DECIDE, { input: { requestId: id, decision: 'REFUSE', reason: 'Changed my mind.' } }),
      ),
    ).toEqual(['CONFLICT']);

    expect((await download(RESEARCHER, id, 'csv')).status).toBe(200);
    // Another researcher, INAMI itself, and a researcher of another organisation with the same subject: as if no such request.
    for (const other of [OTHER_RESEARCHER, INAMI, { ...RESEARCHER, organisation: 'KU-LEUVEN' }]) {
      const answer = await download(other, id, 'parquet');
      expect([other.subject, answer.status, answer.body.toString()]).toEqual([
        other.subject,
        404,
        missing.body.toString(),
      ]);
    }
  });

  it('refuses a request with an unknown or repeated variable, a bad project code or a purpose category outside FREE_TEXT_CATEGORIES, writing nothing', async () => {
    const before = await graph.sql<{ n: string }>('select count(*) as n from research.data_request');
    const attempt = (input: Record<string, unknown>) =>
      graph.query(RESEARCHER, FILE, {
        input: { project: 'DATASETS-BAD', purpose: PURPOSE, variables: ['arm'], ...input },
      });
    expect((await attempt({ variables: ['arm', 'niss'] })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.variables.1',
    });
    expect((await attempt({ variables: ['arm', 'arm'] })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.variables.1',
    });
    expect((await attempt({ variables: ['pseudonym'] })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.variables.0',
    });
    expect((await attempt({ project: 'no spaces please' })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.project',
    });
    expect((await attempt({ purposeCategory: 'RESEARCH' })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.purposeCategory',
    });
    expect(await graph.sql('select count(*) as n from research.data_request')).toEqual(before);
  });

  it('replays a retry with the same idempotency key, and refuses the key reused for other arguments', async () => {
    const FILE_KEYED =
      'mutation($input: FileDataRequestInput!, $key: String!) { fileDataRequest(input: $input, idempotencyKey: $key) { id } }';
    const key = randomUUID();
    const input = { project: 'DATASETS-RETRY', purpose: PURPOSE, variables: ['arm'] };
    const first = await ok(graph.query<{ fileDataRequest: { id: string } }>(RESEARCHER, FILE_KEYED, { input, key }));
    expect(await ok(graph.query(RESEARCHER, FILE_KEYED, { input, key }))).toEqual(first);
    expect(
      errorCodes(await graph.query(RESEARCHER, FILE_KEYED, { input: { ...input, variables: ['region'] }, key })),
    ).toEqual(['CONFLICT']);
    expect(
      await graph.sql("select count(*)::int as n from research.data_request where project = 'DATASETS-RETRY'"),
    ).toEqual([{ n: 1 }]);
  });

  it('answers a refused request like a missing one', async () => {
    const id = await fileRequest('DATASETS-REFUSED', ['arm']);
    await ok(
      graph.query(INAMI, DECIDE, {
        input: { requestId: id, decision: 'REFUSE', reason: 'No ethics approval attached.' },
      }),
    );
    expect((await download(RESEARCHER, id, 'csv')).status).toBe(404);
    expect((await download(RESEARCHER, id, 'codebook.json')).status).toBe(404);
  });
});

describe('the extracts (R19)', () => {
  let requestId: string;
  let csv: Table;
  let parquet: Table;
  let csvBytes: Buffer;
  beforeAll(async () => {
    requestId = await approvedRequest('DATASETS-ALL');
    const [csvFile, parquetFile] = [
      await download(RESEARCHER, requestId, 'csv'),
      await download(RESEARCHER, requestId, 'parquet'),
    ];
    expect([csvFile.status, parquetFile.status]).toEqual([200, 200]);
    csvBytes = csvFile.body;
    csv = csvTable(csvFile.body);
    parquet = await parquetTable(parquetFile.body);
  }, 120_000);

  it('holds the demo people with research consent, month by month, in both formats', async () => {
    const [consenting] = await graph.sql<{ n: string }>(
      `select count(distinct a.participant_id) as n from research.allocation a join access.ledger l on l.participant_id = a.participant_id and l.research_consent
       join pathways.published_pathway_period pp on pp.participant_id = a.participant_id`,
    );
    expect(new Set(csv.rows.map((row) => row.pseudonym)).size).toBe(Number(consenting!.n));
    expect(Number(consenting!.n)).toBeGreaterThan(100);
    expect(parquet.rows.length).toBe(csv.rows.length);
    expect(csv.rows.length).toBeGreaterThan(1_000);
  });

  it('has no direct identifier in any cell, CSV or Parquet: no NISS, name, birth date, postcode, nor any date finer than the month', async () => {
    const people = await graph.sql<{
      niss: string;
      given_name: string;
      family_name: string;
      birth_date: string;
      postcode: string;
    }>(
      "select niss, given_name, family_name, to_char(birth_date, 'YYYY-MM-DD') as birth_date, postcode from participants.participant",
    );
    expect(people.length).toBeGreaterThan(100);
    const exact = new Set(people.flatMap((p) => [p.niss, p.given_name, p.family_name, p.birth_date, p.postcode]));
    const nisses = people.map((p) => p.niss);
    const names = [...new Set(people.flatMap((p) => [p.given_name, p.family_name]))];
    const leaks: string[] = [];
    for (const [format, table] of [
      ['CSV', csv],
      ['Parquet', parquet],
    ] as const) {
      for (const row of table.rows) {
        for (const [column, cell] of Object.entries(row)) {
          if (cell === null) continue;
          if (
            exact.has(cell) ||
            nisses.some((niss) => cell.includes(niss)) ||
            names.some((name) => cell.includes(name)) ||
            /\d{4}-\d{2}-\d{2}/.test(cell)
          ) {
            leaks.push(`${format} ${column}=${cell}`);
          }
        }
      }
    }
    expect(leaks.slice(0, 10)).toEqual([]);
    // Every cell was looked at: the extract is not empty, and has every requestable column.
    expect(csv.columns).toEqual(
      CODEBOOK.filter((variable) => variable.level !== 'PERSON_WAVE').map((variable) => variable.name),
    ); // the answers are a file of their own
  });

  it('lists every column of the file in the codebook beside it, with its type; DuckDB reads the Parquet file with those types', async () => {
    const codebookFile = await download(RESEARCHER, requestId, 'codebook.json');
    expect(codebookFile.status).toBe(200);
    const codebook = JSON.parse(codebookFile.body.toString()) as {
      columns: {
        name: string;
        type: keyof typeof DUCKDB_TYPE;
        label: { fr: string; nl: string; en: string };
        derivation: string;
      }[];
    };
    expect(codebook.columns.map((column) => column.name)).toEqual(csv.columns);
    expect(parquet.columns).toEqual(csv.columns);
    expect(parquet.types).toEqual(codebook.columns.map((column) => DUCKDB_TYPE[column.type]));
    for (const column of codebook.columns)
      expect(
        [column.label.fr, column.label.nl, column.label.en, column.derivation].every((text) => text.length > 0),
      ).toBe(true);
    // The graph's codebook says the same.
    const served = await ok(
      graph.query<{ codebook: { name: string; type: string; level: string }[] }>(
        RESEARCHER,
        '{ codebook { name type level labelFr labelNl labelEn values { value labelEn } derivation always } }',
      ),
    );
    expect(
      served.codebook.filter(({ level }) => level !== 'PERSON_WAVE').map(({ name, type }) => ({ name, type })),
    ).toEqual(codebook.columns.map(({ name, type }) => ({ name, type })));
    // A narrower request: exactly its variables and the pseudonym.
    const narrow = await approvedRequest('DATASETS-ALL', ['region', 'arm']);
    const narrowCsv = csvTable((await download(RESEARCHER, narrow, 'csv')).body);
    expect(narrowCsv.columns).toEqual(['pseudonym', 'arm', 'region']);
    expect(narrowCsv.rows.length).toBe(new Set(csv.rows.map((row) => row.pseudonym)).size); // person level: one row each
    const narrowCodebook = JSON.parse((await download(RESEARCHER, narrow, 'codebook.json')).body.toString()) as {
      columns: { name: string }[];
    };
    expect(narrowCodebook.columns.map((column) => column.name)).toEqual(narrowCsv.columns);
  });

  it('logs each download with its rows and the SHA-256 of the bytes sent, for INAMI only', async () => {
    const log = await ok(
      graph.query<{
        datasetDownloads: {
          format: string;
          rows: number;
          bytes: number;
          sha256: string;
          complete: boolean;
          downloadedBy: string;
        }[];
      }>(
        INAMI,
        'query($id: ID) { datasetDownloads(requestId: $id) { format rows bytes sha256 complete downloadedBy } }',
        { id: requestId },
      ),
    );
    const csvLog = log.datasetDownloads.find((entry) => entry.format === 'CSV');
    expect(csvLog).toEqual({
      format: 'CSV',
      rows: csv.rows.length,
      bytes: csvBytes.length,
      sha256: createHash('sha256').update(csvBytes).digest('hex'),
      complete: true,
      downloadedBy: `RESEARCHER:ULB/${RESEARCHER.subject}`,
    });
    expect(log.datasetDownloads.map((entry) => entry.format).sort()).toEqual(
      expect.arrayContaining(['CODEBOOK', 'CSV', 'PARQUET']),
    );
    expect([...new Set(errorCodes(await graph.query(RESEARCHER, '{ datasetDownloads { sha256 } }')))]).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
  });
});

describe('pseudonyms (R19)', () => {
  it('are HMAC-SHA-256 of the NISS with the project key: stable across extracts of a project, different across projects; the key is unreadable by the application role', async () => {
    const person = await seed(graph)
      .person()
      .referredBy(PHYSICIAN)
      .registered({ convention: 'ARTICLE-23' })
      .randomised()
      .build();
    const [first, second, other] = [
      await approvedRequest('DATASETS-P1', ['arm']),
      await approvedRequest('DATASETS-P1', ['arm', 'region']),
      await approvedRequest('DATASETS-P2', ['arm']),
    ];
    const pseudonyms = async (id: string) =>
      new Set(csvTable((await download(RESEARCHER, id, 'csv')).body).rows.map((row) => row.pseudonym));
    const [a, b, c] = [await pseudonyms(first), await pseudonyms(second), await pseudonyms(other)];
    const mine = await expectedPseudonym('DATASETS-P1', person.niss);
    expect(mine).toMatch(/^[0-9a-f]{64}$/);
    expect(a.has(mine)).toBe(true);
    expect(b).toEqual(a); // stable within the project
    expect(c.has(await expectedPseudonym('DATASETS-P2', person.niss))).toBe(true);
    expect([...c].filter((pseudonym) => a.has(pseudonym))).toEqual([]); // different across projects
    expect(c.size).toBe(a.size);

    // The research subgraph's role cannot read the keys: PostgreSQL's permission error.
    await expect(graph.roleSql('research', 'select key from pseudonym_vault.project_key')).rejects.toMatchObject({
      code: '42501',
    });
    // It only EXECUTEs the vault's function, which hashes the NISS inside PostgreSQL.
    expect(
      await graph.roleSql('research', 'select pseudonym_vault.pseudonym($1, $2) as p', [
        'DATASETS-P1',
        person.participantId,
      ]),
    ).toEqual([{ p: mine }]);
  });
});

describe('research consent (R1f)', () => {
  it('a withdrawal excludes the person from the next extract', async () => {
    const person = await seed(graph)
      .person()
      .referredBy(PHYSICIAN)
      .registered({ convention: 'ARTICLE-23' })
      .randomised()
      .build();
    const pseudonym = async () => expectedPseudonym('DATASETS-WITHDRAWAL', person.niss);
    const before = await approvedRequest('DATASETS-WITHDRAWAL', ['arm', 'month', 'wave_status']);
    const first = csvTable((await download(RESEARCHER, before, 'csv')).body).rows;
    expect(first.filter((row) => row.pseudonym === null)).toEqual([]);
    expect(new Set(first.map((row) => row.pseudonym)).has(await pseudonym())).toBe(true);
    const answersOf = async (id: string) =>
      new Set(csvTable((await download(RESEARCHER, id, 'answers.csv')).body).rows.map((row) => row.pseudonym));
    expect((await answersOf(before)).has(await pseudonym())).toBe(true);

    await ok(
      graph.query(
        person.self,
        'mutation($id: ID!) { withdrawResearchConsent(participantId: $id, signedFormReference: "RESEARCH-WITHDRAWAL-DS") { participantId } }',
        { id: person.participantId },
      ),
    );
    // The same approved request, downloaded again, and a new one: neither holds the person any more.
    for (const id of [before, await approvedRequest('DATASETS-WITHDRAWAL', ['arm'])]) {
      for (const format of ['csv', 'parquet'] as const) {
        const file = await download(RESEARCHER, id, format);
        const rows = format === 'csv' ? csvTable(file.body).rows : (await parquetTable(file.body)).rows;
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.filter((row) => row.pseudonym === null)).toEqual([]);
        expect(new Set(rows.map((row) => row.pseudonym)).has(await pseudonym())).toBe(false);
      }
    }
    // Their questionnaire answers too: gone from the answers file.
    const after = await answersOf(before);
    expect(after.size).toBeGreaterThan(0);
    expect(after.has(await pseudonym())).toBe(false);
  });
});

describe('the analysis dataset', () => {
  const TODAY = belgianToday();
  const threeMonthsAgo = (() => {
    const [year, month, day] = TODAY.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(year, month - 4, Math.min(day, 28)));
    return date.toISOString().slice(0, 10);
  })();
  const quarterOf = (month: string) => `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;
  const COMPETITIVE = { openLabourMarket: true, paidAtLeastMinimumWage: true, reservedForDisabledPeople: false };
  const SHELTERED = { openLabourMarket: false, paidAtLeastMinimumWage: true, reservedForDisabledPeople: true };
  const CONTRACT =
    'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id competitive } }';
  const job = (pathwayId: string, startsOn: string, criteria: Record<string, boolean>) => ({
    input: {
      pathwayId,
      employer: 'Colruyt',
      employerNumber: '0203201340',
      jobFunction: 'Magasinier',
      startsOn,
      weeklyHours: 19,
      contractType: 'OPEN_ENDED',
      ...criteria,
    },
  });

  it('gives the quarterly competitive employment rate per arm from one extract, as constructed', async () => {
    const ips: SeededPerson[] = [];
    for (let i = 0; i < 4; i++)
      ips.push(
        await seed(graph)
          .person()
          .referredBy(PHYSICIAN)
          .registered({ convention: 'ARTICLE-23' })
          .withCoach(COACH, { by: SUPERVISOR })
          .routed()
          .build(),
      );
    const control: SeededPerson[] = [];
    for (let i = 0; i < 3; i++) {
      const person = await seed(graph)
        .person()
        .referredBy(PHYSICIAN)
        .registered({ convention: 'ARTICLE-23' })
        .randomised({ arm: 'CONTROL' })
        .routed()
        .build();
      await graph.enrol(COUNSELLOR);
      await ok(
        graph.query(
          SRE_DESK,
          'mutation($input: AssignReferenceCounsellorInput!) { assignReferenceCounsellor(input: $input) { id } }',
          { input: { pathwayId: person.pathwayId, referenceCounsellor: COUNSELLOR.subject } },
        ),
      );
      control.push(person);
    }
    // Constructed history: every pathway registered, and its person randomised, three months ago (the previous quarter).
    await graph.sql(
      "update pathways.pathway set registered_at = ($1::date + time '12:00') at time zone 'Europe/Brussels' where id = any($2::uuid[])",
      [threeMonthsAgo, [...ips, ...control].map((p) => p.pathwayId)],
    );
    await graph.backdateRandomisation(
      [...ips, ...control].map((p) => p.participantId),
      threeMonthsAgo,
    );
    // IPS: a competitive job since three months ago; another from today; a sheltered job; nothing. Control: a competitive job from today; nothing; nothing.
    await ok(graph.query(COACH, CONTRACT, job(ips[0]!.pathwayId!, threeMonthsAgo, COMPETITIVE)));
    await ok(graph.query(COACH, CONTRACT, job(ips[1]!.pathwayId!, TODAY, COMPETITIVE)));
    await ok(graph.query(COACH, CONTRACT, job(ips[2]!.pathwayId!, threeMonthsAgo, SHELTERED)));
    await ok(graph.query(COUNSELLOR, CONTRACT, job(control[0]!.pathwayId!, TODAY, COMPETITIVE)));

    // No region or stratum: with them, the pilot's calendar months would be coarsened for k-anonymity (dataset-analysable.e2e.test.ts).
    const id = await approvedRequest('DATASETS-ANALYSIS', [
      'month',
      'month_since_randomisation',
      'arm',
      'pathway_status',
      'competitive_job',
      'weekly_hours',
      'working_on_benefit',
      'benefit_type',
      'benefit_amount_cents',
      'wave',
      'wave_state',
    ]);
    const table = await parquetTable((await download(RESEARCHER, id, 'parquet')).body);
    const ours = new Map<string, string>();
    for (const [arm, people] of [
      ['IPS', ips],
      ['CONTROL', control],
    ] as const)
      for (const person of people) ours.set(await expectedPseudonym('DATASETS-ANALYSIS', person.niss), arm);
    const rows = table.rows.filter((row) => ours.has(row.pseudonym!));
    expect(new Set(rows.map((row) => row.pseudonym)).size).toBe(7);
    // One row per person and month, from the month of randomisation (month 0) to this month: four months each.
    expect(rows.length).toBe(7 * 4);
    expect(rows.every((row) => row.arm === ours.get(row.pseudonym!) && row.pathway_status === 'IN_PATHWAY')).toBe(true);
    expect(rows.map((row) => row.month_since_randomisation).sort()).toEqual(
      ['0', '1', '2', '3'].flatMap((m) => Array(7).fill(m)),
    );

    // The IPS standard measure from the extract alone: per arm and quarter, people in a pathway, and of them those with a competitive job in any month.
    const rate = new Map<string, { inPathway: Set<string>; employed: Set<string> }>();
    for (const row of rows) {
      const cell = `${row.arm} ${quarterOf(row.month!)}`;
      const entry = rate.get(cell) ?? { inPathway: new Set(), employed: new Set() };
      if (row.pathway_status === 'IN_PATHWAY') entry.inPathway.add(row.pseudonym!);
      if (row.competitive_job === 'true') entry.employed.add(row.pseudonym!);
      rate.set(cell, entry);
    }
    const figures = Object.fromEntries(
      [...rate].map(([cell, { inPathway, employed }]) => [cell, `${employed.size}/${inPathway.size}`]),
    );
    const [then, now] = [quarterOf(threeMonthsAgo.slice(0, 7)), quarterOf(TODAY.slice(0, 7))];
    expect(figures).toEqual({
      [`IPS ${then}`]: '1/4',
      [`IPS ${now}`]: '2/4',
      [`CONTROL ${then}`]: '0/3',
      [`CONTROL ${now}`]: '1/3',
    });
    // Hours follow the jobs (the sheltered one too); the baseline questionnaire wave is due in the month of allocation (month 0).
    expect(
      rows
        .filter((row) => row.month_since_randomisation === '0')
        .every((row) => row.month === threeMonthsAgo.slice(0, 7) && row.wave === '0' && row.wave_state !== null),
    ).toBe(true);
    expect(rows.filter((row) => row.weekly_hours === '19').length).toBe(4 + 1 + 4 + 1); // ips[0] and ips[2] four months each, ips[1] and control[0] this month
  });
});
