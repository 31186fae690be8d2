/**
 * Datasets a researcher can analyse (R19, R12, R1f): an approved extract, downloaded through the
 * gateway, carries the questionnaire answers per person and wave with the instrument version, the
 * covariates fixed at randomisation (age band, sex from the NISS serial, region, stratum, partner,
 * incapacity, design version) and over follow-up (end reason, intervention received, jobs), read
 * by the research role only from published views that never hold a NISS or a birth date; its
 * codebook states the extraction time, data version, rows and persons per file, design versions,
 * the re-identification check (k-anonymity) and what it coarsened; a REDCap data dictionary and R,
 * Stata and SPSS label scripts come with it, and Debian's R, running the R script, counts per arm
 * what this test counts from the CSV.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { csvRecords } from '../analysis/csv.js';
import type { Identity } from '../schema/identity.js';
import { EXTRACT_DISCLOSURE } from '../schema/policy.js';
import { belgianToday } from '../subgraphs/kit/domain.js';
import { REQUESTABLE } from '../subgraphs/research/services/codebook.js';
import { AGE_BANDS, coarsenValue, type Coarsening } from '../subgraphs/research/services/extract-disclosure.js';
import { startTestPlatform, type GraphQLResponse, type TestPlatform } from './harness.js';
import { seed, type SeededPerson } from './seed.js';

let graph: TestPlatform;
let workDir: string;
beforeAll(async () => {
  graph = await startTestPlatform({ seedDemo: true });
  await ok(
    graph.query(
      { role: 'INAMI', organisation: 'INAMI', subject: 'inami-directory-admin' },
      'mutation($input: EnrolStaffMemberInput!) { enrolStaffMember(input: $input) { id } }',
      {
        input: { subject: INAMI.subject, function: 'INAMI_AGENT', displayName: 'INAMI analysable datasets' },
      },
    ),
  );
  workDir = mkdtempSync(join(tmpdir(), 'ips-analysable-'));
}, 240_000);
afterAll(async () => {
  await graph?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const TODAY = belgianToday();
const THIS_MONTH = TODAY.slice(0, 7);
const RESEARCHER: Identity = { role: 'RESEARCHER', organisation: 'ULB', subject: 'researcher-analysable' };
const INAMI: Identity = { role: 'INAMI', organisation: 'INAMI', subject: 'inami-analysable' };
const PHYSICIAN: Identity = { role: 'MEDECIN_CONSEIL', organisation: 'OA-300', subject: 'dr-analysable' };
const COACH: Identity = { role: 'JOB_COACH', organisation: 'ISPPC', subject: 'coach-analysable' };
const SUPERVISOR: Identity = { role: 'SUPERVISOR', organisation: 'ISPPC', subject: 'supervisor-analysable' };

const FILE = 'mutation($input: FileDataRequestInput!) { fileDataRequest(input: $input) { id } }';
const DECIDE =
  'mutation($input: DecideDataRequestInput!) { decideDataRequest(input: $input) { id files { csv answersCsv codebook dictionary labelsR labelsStata labelsSpss } } }';
const ANSWERS = [
  { linkId: 'work-status', valueCode: 'competitive' },
  { linkId: 'work-hours', valueInteger: 19 },
  { linkId: 'job-search', valueBoolean: false },
  { linkId: 'qol-mobility', valueCode: '1' },
  { linkId: 'qol-self-care', valueCode: '1' },
  { linkId: 'qol-usual-activities', valueCode: '2' },
  { linkId: 'qol-pain', valueCode: '1' },
  { linkId: 'qol-anxiety-depression', valueCode: '3' },
  { linkId: 'health-today', valueInteger: 70 },
  { linkId: 'recovery-hope', valueCode: '4' },
  { linkId: 'recovery-goals', valueCode: '5' },
];

async function ok<T>(pending: Promise<GraphQLResponse<T>>): Promise<T> {
  const response = await pending;
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!;
}

interface Files {
  csv: string;
  answersCsv: string | null;
  codebook: string;
  dictionary: string;
  labelsR: string;
  labelsStata: string;
  labelsSpss: string;
}
async function approvedRequest(project: string, variables: readonly string[]): Promise<{ id: string; files: Files }> {
  const { fileDataRequest } = await ok(
    graph.query<{ fileDataRequest: { id: string } }>(RESEARCHER, FILE, {
      input: {
        project,
        purpose: 'Primary ITT analysis with covariates and questionnaire outcomes.',
        purposeCategory: 'EMPLOYMENT',
        variables,
      },
    }),
  );
  const { decideDataRequest } = await ok(
    graph.query<{ decideDataRequest: { id: string; files: Files } }>(INAMI, DECIDE, {
      input: { requestId: fileDataRequest.id, decision: 'APPROVE', reason: 'Protocol v1.' },
    }),
  );
  return decideDataRequest;
}

interface Download {
  status: number;
  body: Buffer;
  fileName: string | null;
}
async function download(path: string, language?: string): Promise<Download> {
  const response = await fetch(new URL(path.slice(1), graph.platform.gateway.url), {
    headers: {
      authorization: `Bearer ${await graph.tokenFor(RESEARCHER)}`,
      ...(language ? { 'accept-language': language } : {}),
    },
  });
  const disposition = response.headers.get('content-disposition');
  return {
    status: response.status,
    body: Buffer.from(await response.arrayBuffer()),
    fileName: disposition ? /filename="([^"]+)"/.exec(disposition)![1]! : null,
  };
}

/** The extract's CSV as records (an empty cell is null), read as the analysis reads it. */
const parseCsv = (text: string) => csvRecords(text).rows;
const headerOf = (body: Buffer) => body.toString('utf8').split('\r\n')[0]!.split(',');

async function pseudonymOf(project: string, niss: string): Promise<string> {
  const [row] = await graph.sql<{ key: Buffer }>('select key from pseudonym_vault.project_key where project = $1', [
    project,
  ]);
  return createHmac('sha256', row!.key).update(niss, 'utf8').digest('hex');
}

interface CodebookColumn {
  name: string;
  type: string;
  level: string;
  values: { value: string }[];
  coarsened?: string;
}
interface Codebook {
  extractedAt: string;
  dataVersion: string;
  designVersions: number[];
  files: { file: string; level: string; rows: number; persons: number }[];
  columns: CodebookColumn[];
  answerColumns: CodebookColumn[];
  disclosure: {
    threshold: number;
    quasiIdentifiers: string[];
    kReached: number;
    satisfied: boolean;
    coarsened: { variable: string; to: Coarsening }[];
  };
  suppression: string;
}

/** One row per person: the person-level columns of a person-month file. */
const perPerson = (rows: Record<string, string | null>[]) => [
  ...new Map(rows.map((row) => [row.pseudonym!, row])).values(),
];
/** The smallest group: for each person, the people who could share all their columns (an empty, withheld cell matches any, as in sdcMicro). */
function smallestGroup(people: Record<string, string | null>[], columns: readonly string[]): number {
  let smallest = Number.POSITIVE_INFINITY;
  for (const person of people) {
    const size = people.filter((other) =>
      columns.every((c) => person[c] === null || other[c] === null || person[c] === other[c]),
    ).length;
    smallest = Math.min(smallest, size);
  }
  return smallest;
}

describe('an extract a researcher can analyse (R19, R12)', () => {
  const PROJECT = 'ANALYSABLE-ALL';
  let man: SeededPerson;
  let woman: SeededPerson;
  let request: { id: string; files: Files };
  let codebook: Codebook;
  let main: Download;
  let answers: Download;
  let rows: Record<string, string | null>[];
  let answerRows: Record<string, string | null>[];

  beforeAll(async () => {
    // The fixtures' people are born on 30 July 1985 and referred on 2 November 2026: 41, the 40–44 band.
    man = await seed(graph)
      .person({ incapacityStatus: 'PRIMARY_INCAPACITY', postcode: '6000' })
      .referredBy(PHYSICIAN)
      .registered({ convention: 'ISPPC' })
      .randomised({ arm: 'IPS' })
      .withCoach(COACH, { by: SUPERVISOR })
      .routed()
      .build();
    woman = await seed(graph)
      .person({ postcode: '6000' })
      .referredBy(PHYSICIAN)
      .registered({ convention: 'ISPPC' })
      .randomised()
      .build();
    // The man answers his baseline wave at home; the woman has not opened hers.
    const wave0 = { participantId: man.participantId, wave: 0 };
    await ok(
      graph.query(
        man.self,
        'mutation($input: QuestionnaireWaveInput!) { openQuestionnaireWave(input: $input) { state } }',
        { input: wave0 },
      ),
    );
    await ok(
      graph.query(
        man.self,
        'mutation($input: CompleteQuestionnaireWaveInput!, $key: String!) { completeQuestionnaireWave(input: $input, idempotencyKey: $key) { state } }',
        { input: { ...wave0, answers: ANSWERS }, key: `analysable-${man.participantId}` },
      ),
    );
    // A competitive job from today, and the pathway ended: employment sustained.
    await ok(
      graph.query(
        COACH,
        'mutation($input: RecordEmploymentContractInput!) { recordEmploymentContract(input: $input) { id } }',
        {
          input: {
            pathwayId: man.pathwayId,
            employer: 'Colruyt',
            employerNumber: '0203201340',
            jobFunction: 'Magasinier',
            startsOn: TODAY,
            weeklyHours: 19,
            contractType: 'OPEN_ENDED',
            openLabourMarket: true,
            paidAtLeastMinimumWage: true,
            reservedForDisabledPeople: false,
          },
        },
      ),
    );
    await ok(
      graph.query(COACH, 'mutation($input: EndPathwayInput!) { endPathway(input: $input) { status } }', {
        input: { pathwayId: man.pathwayId, endedOn: TODAY, reason: 'EMPLOYMENT_SUSTAINED' },
      }),
    );

    request = await approvedRequest(PROJECT, REQUESTABLE);
    const codebookFile = await download(request.files.codebook);
    [main, answers] = [await download(request.files.csv), await download(request.files.answersCsv!)];
    expect([codebookFile.status, main.status, answers.status]).toEqual([200, 200, 200]);
    codebook = JSON.parse(codebookFile.body.toString()) as Codebook;
    rows = parseCsv(main.body.toString('utf8'));
    answerRows = parseCsv(answers.body.toString('utf8'));
  }, 180_000);

  it('states its extraction time, data version, rows and persons per file, design versions and suppression', () => {
    expect(Date.now() - Date.parse(codebook.extractedAt)).toBeLessThan(10 * 60_000);
    expect(codebook.dataVersion).toMatch(/^\d+:(true|false)$/);
    expect(codebook.designVersions.length).toBeGreaterThan(0);
    expect(codebook.designVersions.every(Number.isInteger)).toBe(true);
    const persons = new Set(rows.map((row) => row.pseudonym)).size;
    expect(codebook.files).toEqual([
      { file: `${PROJECT}-${request.id}.csv`, level: 'PERSON_MONTH', rows: rows.length, persons },
      {
        file: `${PROJECT}-${request.id}.answers.csv`,
        level: 'PERSON_WAVE',
        rows: answerRows.length,
        persons: new Set(answerRows.map((row) => row.pseudonym)).size,
      },
    ]);
    expect([main.fileName, answers.fileName]).toEqual(codebook.files.map((file) => file.file));
    expect(persons).toBeGreaterThan(100);
    expect(codebook.suppression).toMatch(/k-anonymity/);
    expect(headerOf(main.body)).toEqual(codebook.columns.map((column) => column.name));
    expect(headerOf(answers.body)).toEqual(codebook.answerColumns.map((column) => column.name));
    // The lead's analysis reads these together from the person-month file.
    expect(headerOf(main.body)).toEqual(
      expect.arrayContaining([
        'pseudonym',
        'arm',
        'partner',
        'month',
        'working_on_benefit',
        'benefit_amount_cents',
        'competitive_job',
      ]),
    );
  });

  it('holds every group of its quasi-identifiers at k or more, coarsened step by step, and says which steps and the k reached', () => {
    const { disclosure } = codebook;
    expect(disclosure.threshold).toBe(EXTRACT_DISCLOSURE.k);
    expect(disclosure.quasiIdentifiers).toEqual(EXTRACT_DISCLOSURE.quasiIdentifiers); // every one is in an all-variables extract
    expect(disclosure.satisfied).toBe(true);
    // The demo's people, by age, sex, region, partner, month of randomisation and incapacity, are not k-anonymous as recorded: the extract coarsened.
    expect(disclosure.coarsened.length).toBeGreaterThan(0);
    // The policy's steps in order, as far as needed (withholding calendar time empties every calendar column at once). A
    // month-by-month extract skips quarters and years of calendar time: its rows from month 0 would give the allocation month back.
    const applicable = EXTRACT_DISCLOSURE.steps.filter(
      (step) =>
        disclosure.quasiIdentifiers.includes(step.variable) &&
        !(step.variable === 'allocation_month' && step.to !== 'WITHHELD'),
    );
    expect(disclosure.coarsened).toEqual(
      applicable.slice(0, disclosure.coarsened.length).map(({ variable, to }) => ({ variable, to })),
    );
    // What was sent is what was checked: the smallest group in the file itself is the k stated.
    expect(smallestGroup(perPerson(rows), disclosure.quasiIdentifiers)).toBe(disclosure.kReached);
    expect(disclosure.kReached).toBeGreaterThanOrEqual(EXTRACT_DISCLOSURE.k);
    // Each coarsened column is as its codebook entry says.
    const last = Object.fromEntries(disclosure.coarsened.map((step) => [step.variable, step.to]));
    const column = (name: string) => codebook.columns.find((c) => c.name === name)!;
    const time = last.allocation_month;
    if (time) {
      const shape = time === 'QUARTER' ? /^\d{4}-Q[1-4]$/ : /^\d{4}$/;
      for (const name of ['month', 'allocation_month']) {
        expect(column(name).coarsened).toBeDefined();
        expect(rows.filter((row) => row[name] !== null && !shape.test(row[name]!)).slice(0, 3)).toEqual([]);
      }
    }
    const width = last.age_band;
    if (width === 'TEN_YEARS' || width === 'TWENTY_YEARS') {
      expect(column('age_band').values.map((v) => v.value)).toEqual(AGE_BANDS[width]);
      expect(
        rows.filter((row) => row.age_band !== null && !AGE_BANDS[width].includes(row.age_band!)).slice(0, 3),
      ).toEqual([]);
    }
    for (const [name, to] of Object.entries(last))
      if (to === 'WITHHELD' && name !== 'allocation_month')
        expect([column(name).coarsened, rows.filter((row) => row[name] !== null).length]).toEqual([
          expect.stringMatching(/withheld/),
          0,
        ]);
  });

  it('coarsens nothing in an extract whose groups already count k: by arm and region', async () => {
    const narrow = await approvedRequest('ANALYSABLE-NARROW', ['arm', 'region']);
    const narrowCodebook = JSON.parse((await download(narrow.files.codebook)).body.toString()) as Codebook;
    const people = parseCsv((await download(narrow.files.csv)).body.toString('utf8'));
    expect(narrowCodebook.disclosure).toMatchObject({
      quasiIdentifiers: ['region'],
      coarsened: [],
      satisfied: true,
      kReached: smallestGroup(people, ['region']),
    });
    expect(narrowCodebook.answerColumns).toEqual([]);
    expect(narrow.files.answersCsv).toBeNull();
    expect((await download(`/datasets/${narrow.id}.answers.csv`)).status).toBe(404);
  });

  it('gives the covariates fixed at randomisation and over follow-up, from published views the research role reads without a NISS or birth date', async () => {
    const levels = Object.fromEntries(codebook.disclosure.coarsened.map((step) => [step.variable, step.to]));
    const expect1 = (name: string, value: string) => coarsenValue(name, value, levels) ?? null;
    const [his, her] = [await pseudonymOf(PROJECT, man.niss), await pseudonymOf(PROJECT, woman.niss)];
    const hisRow = rows.find((row) => row.pseudonym === his)!;
    const herRow = rows.find((row) => row.pseudonym === her)!;
    const [intervention] = await graph.sql<{ received: boolean }>(
      'select bool_or(ips_received) as received from pathways.published_intervention where participant_id = $1',
      [man.participantId],
    );
    // Sex from the NISS serial (digits 7–9): odd for men, even for women.
    const sexOf = (person: SeededPerson) => (Number(person.niss.slice(6, 9)) % 2 === 1 ? 'MALE' : 'FEMALE');
    expect(hisRow).toMatchObject({
      arm: 'IPS',
      region: expect1('region', 'WALLONIA'),
      sex: expect1('sex', sexOf(man)),
      age_band: expect1('age_band', '40-44'),
      partner: expect1('partner', 'ISPPC'),
      incapacity_type: expect1('incapacity_type', 'PRIMARY_INCAPACITY'),
      incapacity_duration_band: expect1('incapacity_duration_band', 'LESS_THAN_1_YEAR'),
      pathway_end_reason: 'EMPLOYMENT_SUSTAINED',
      pathway_end_month: expect1('pathway_end_month', THIS_MONTH),
      first_competitive_job_month: expect1('first_competitive_job_month', THIS_MONTH),
      first_job_month: expect1('first_job_month', THIS_MONTH),
      intervention_received: String(intervention!.received ?? false),
    });
    expect(Number(hisRow.design_version)).toBeGreaterThanOrEqual(1);
    expect(herRow).toMatchObject({
      sex: expect1('sex', sexOf(woman)),
      incapacity_type: expect1('incapacity_type', 'INVALIDITY'),
      pathway_end_reason: null,
      first_job_month: null,
    });
    // This month his job began, and is held; it has not ended.
    const started = rows.filter((row) => row.pseudonym === his && row.job_started === 'true');
    expect(started.map((row) => [row.month, row.any_job, row.job_ended])).toEqual([
      [expect1('month', THIS_MONTH), 'true', 'false'],
    ]);

    // The research role reads the coarsened profile, never the identity behind it (PostgreSQL's permission error).
    await expect(
      graph.roleSql('research', 'select birth_date from participants.participant limit 1'),
    ).rejects.toMatchObject({ code: '42501' });
    await expect(graph.roleSql('research', 'select niss from participants.participant limit 1')).rejects.toMatchObject({
      code: '42501',
    });
    expect(
      await graph.roleSql(
        'research',
        'select sex, age_band, incapacity_type, incapacity_duration_band from participants.published_research_profile where participant_id = $1',
        [man.participantId],
      ),
    ).toEqual([
      {
        sex: sexOf(man),
        age_band: '40-44',
        incapacity_type: 'PRIMARY_INCAPACITY',
        incapacity_duration_band: 'LESS_THAN_1_YEAR',
      },
    ]);
  });

  it('gives the questionnaire answers per person and wave, with the instrument version, under the pseudonym only', async () => {
    const [his, her] = [await pseudonymOf(PROJECT, man.niss), await pseudonymOf(PROJECT, woman.niss)];
    expect(answerRows.find((row) => row.pseudonym === his && row.questionnaire_wave === '0')).toMatchObject({
      instrument_version: '1.0.0',
      wave_status: 'COMPLETED',
      wave_mode: 'HOME',
      q_work_status: 'competitive',
      q_work_hours: '19',
      q_job_search: 'false',
      q_qol_anxiety_depression: '3',
      q_health_today: '70',
      q_recovery_goals: '5',
      q_benefit_worry: null,
    });
    expect(answerRows.find((row) => row.pseudonym === her && row.questionnaire_wave === '0')).toMatchObject({
      instrument_version: null,
      wave_status: 'DUE',
      q_work_status: null,
    });
    // Waves whose window has not opened are no rows; every row's person is in the main file.
    expect(answerRows.filter((row) => row.pseudonym === his).map((row) => row.questionnaire_wave)).toEqual(['0']);
    const people = new Set(rows.map((row) => row.pseudonym));
    expect(answerRows.filter((row) => !people.has(row.pseudonym)).length).toBe(0);
    expect(headerOf(answers.body).slice(0, 2)).toEqual(['pseudonym', 'questionnaire_wave']);
  });

  it("serves the answers as Parquet too, read back by DuckDB with the codebook's types", async () => {
    const parquet = await download(`/datasets/${request.id}.answers.parquet`);
    expect(parquet.status).toBe(200);
    const path = join(workDir, 'answers.parquet');
    writeFileSync(path, parquet.body);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const described = (
        await connection.runAndReadAll(`describe select * from read_parquet('${path}')`)
      ).getRowObjectsJS() as { column_name: string; column_type: string }[];
      const TYPE = { STRING: 'VARCHAR', INTEGER: 'INTEGER', DOUBLE: 'DOUBLE', BOOLEAN: 'BOOLEAN' } as Record<
        string,
        string
      >;
      expect(described.map((c) => [c.column_name, c.column_type])).toEqual(
        codebook.answerColumns.map((c) => [c.name, TYPE[c.type]]),
      );
      const [count] = (
        await connection.runAndReadAll(`select count(*)::int as n from read_parquet('${path}')`)
      ).getRowObjectsJS() as { n: number }[];
      expect(count!.n).toBe(answerRows.length);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('carries, in one person-month file, what the trial analysis reads: arm, partner (the cluster), month, working on benefit, benefit, competitive job', async () => {
    const analysis = await approvedRequest('ANALYSABLE-ITT', [
      'arm',
      'partner',
      'month',
      'working_on_benefit',
      'benefit_amount_cents',
      'competitive_job',
    ]);
    const file = await download(analysis.files.csv);
    const ittCodebook = JSON.parse((await download(analysis.files.codebook)).body.toString()) as Codebook;
    expect(headerOf(file.body)).toEqual([
      'pseudonym',
      'month',
      'arm',
      'competitive_job',
      'working_on_benefit',
      'benefit_amount_cents',
      'partner',
    ]);
    expect(ittCodebook.disclosure.quasiIdentifiers).toEqual(['partner', 'allocation_month']); // calendar months give the month of randomisation
    const people = perPerson(parseCsv(file.body.toString('utf8')));
    expect(people.filter((row) => row.partner === null)).toEqual([]);
    expect(ittCodebook.disclosure.satisfied).toBe(true);
  });

  it('comes with a REDCap data dictionary and Stata and SPSS syntax naming every column and its value labels', async () => {
    const dictionary = await download(request.files.dictionary);
    const lines = dictionary.body.toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]!.startsWith('Variable / Field Name,Form Name,Section Header,Field Type,Field Label,')).toBe(true);
    const names = [...new Set([...codebook.columns, ...codebook.answerColumns].map((c) => c.name))];
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(names);
    const stata = (await download(request.files.labelsStata)).body.toString('utf8');
    const spss = (await download(request.files.labelsSpss)).body.toString('utf8');
    for (const file of codebook.files) {
      expect(stata).toContain(`import delimited using \`"${file.file}"'`);
      expect(spss).toContain(`/FILE='${file.file}'`);
    }
    for (const name of names) {
      expect(stata).toMatch(new RegExp(`^label variable ${name} \`"`, 'm'));
      expect(spss).toMatch(new RegExp(`^  /?${name} '`, 'm'));
    }
    expect(stata).toMatch(/^label define l_arm 1 `"IPS arm"' 2 `"Control arm"', replace$/m);
    // In the researcher's language, as the gateway negotiates it from Accept-Language.
    expect((await download(request.files.labelsStata, 'fr')).body.toString('utf8')).toMatch(
      /^label define l_arm 1 `"Groupe IPS"' 2 `"Groupe témoin"', replace$/m,
    );
    expect((await download(request.files.dictionary, 'nl-BE,nl;q=0.9')).body.toString('utf8')).toContain(
      'Randomisatiegroep,"IPS, IPS-groep | CONTROL, Controlegroep"',
    );
    expect(spss).toMatch(/^ {2}\/?arm 'IPS' 'IPS arm' 'CONTROL' 'Control arm'$/m);
  });

  const R = spawnSync('Rscript', ['--version']).status === 0;
  if (!R && process.env.CI === 'true')
    it('needs R (Debian r-base-core) where CI runs', () => expect('Rscript on PATH').toBe('missing'));
  (R ? it : it.skip)('loads in R through its label script, which counts per arm what the CSV counts', async () => {
    const script = await download(request.files.labelsR);
    for (const file of [main, answers, script]) writeFileSync(join(workDir, file.fileName!), file.body);
    const program = `source(${JSON.stringify(script.fileName)})
      people <- ips_data[!duplicated(ips_data$pseudonym), ]
      out <- c(
        paste0('"armLevels":[', paste0('"', levels(ips_data$arm), '"', collapse = ","), ']'),
        paste0('"persons":{', paste0('"', levels(people$arm), '":', as.integer(table(people$arm)), collapse = ","), '}'),
        paste0('"competitiveMonths":{', paste0('"', levels(ips_data$arm), '":', tapply(ips_data$competitive_job, ips_data$arm, function(x) sum(x, na.rm = TRUE)), collapse = ","), '}'),
        paste0('"completedWaves":', sum(ips_answers$wave_status == "Completed", na.rm = TRUE)),
        paste0('"sexClass":"', class(ips_data$sex), '"'),
        paste0('"workLabel":"', attr(ips_answers$q_work_status, "label"), '"'))
      cat(paste0("{", paste(out, collapse = ","), "}"))`;
    const result = JSON.parse(execFileSync('Rscript', ['-e', program], { cwd: workDir, encoding: 'utf8' })) as {
      armLevels: string[];
      persons: Record<string, number>;
      competitiveMonths: Record<string, number>;
      completedWaves: number;
      sexClass: string;
      workLabel: string;
    };
    const label = { IPS: 'IPS arm', CONTROL: 'Control arm' } as const;
    const persons = { [label.IPS]: 0, [label.CONTROL]: 0 };
    const competitive = { [label.IPS]: 0, [label.CONTROL]: 0 };
    for (const person of perPerson(rows)) persons[label[person.arm as 'IPS' | 'CONTROL']] += 1;
    for (const row of rows) if (row.competitive_job === 'true') competitive[label[row.arm as 'IPS' | 'CONTROL']] += 1;
    expect(result.armLevels).toEqual(['IPS arm', 'Control arm']);
    expect(result.persons).toEqual(persons);
    expect(result.competitiveMonths).toEqual(competitive);
    expect(competitive[label.IPS]).toBeGreaterThan(0);
    expect(result.completedWaves).toBe(answerRows.filter((row) => row.wave_status === 'COMPLETED').length);
    expect(result.completedWaves).toBeGreaterThan(0);
    expect(result.sexClass).toBe('factor');
    expect(result.workLabel).toBe('Which describes your work situation today best?');
  });
});
