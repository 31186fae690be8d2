/**
 * One extract as the files served for it (R19), all from one snapshot of the data (the download's
 * read-only, repeatable-read transaction):
 * - `<project>-<id>.csv` / `.parquet`: one row per person, or per person and month, with the
 *   requested person and person-month variables (dataset.sql.ts);
 * - `<project>-<id>.answers.csv` / `.answers.parquet`: one row per person and questionnaire wave whose
 *   window opened, with the requested answer variables (level PERSON_WAVE), when any is requested;
 * - `.codebook.json`: the columns of each file, and the extract's metadata: extraction time, data
 *   version, rows and persons per file, design versions, the re-identification check and what it coarsened;
 * - `.dictionary.csv`, `.labels.R`, `.labels.do`, `.labels.sps`: label-scripts.ts.
 * Every file applies the same disclosure plan (extract-disclosure.ts), computed in the same snapshot.
 */
import type pg from 'pg';
import { EXTRACT_DISCLOSURE } from '../../../schema/policy.js';
import { extractColumns, PSEUDONYM, type CodebookVariable } from './codebook.js';
import { WAVE_KEY } from './codebook-answers.js';
import { extractSql } from './dataset.sql.js';
import {
  coarsenedValues,
  coarseningNote,
  planDisclosure,
  quasiIdentifiersOf,
  type DisclosurePlan,
} from './extract-disclosure.js';
import type { ScriptFile, ScriptVariable } from './label-scripts.js';
import { peopleCte } from './outcome.service.js';

export interface ExtractRecord {
  requestId: string;
  project: string;
  variables: readonly string[];
}

export interface ExtractFileMeta {
  file: string;
  level: 'PERSON' | 'PERSON_MONTH' | 'PERSON_WAVE';
  rows: number;
  persons: number;
}

export interface ExtractPlan {
  record: ExtractRecord;
  extractedAt: Date;
  dataVersion: string;
  designVersions: number[];
  disclosure: DisclosurePlan;
  main: { sql: string; columns: CodebookVariable[]; meta: ExtractFileMeta };
  answers: { sql: string; columns: CodebookVariable[]; meta: ExtractFileMeta } | null;
}

const isAnswer = (variable: CodebookVariable) => variable.level === 'PERSON_WAVE';

export const baseName = (record: Pick<ExtractRecord, 'project' | 'requestId'>) =>
  `${record.project}-${record.requestId}`;

/** The answers file's SQL: the people of the extract, each wave whose window opened, the requested answer variables. Parameter $1: the project. */
export function answersSql(variables: readonly string[]): { sql: string; columns: CodebookVariable[] } {
  const columns = [PSEUDONYM, WAVE_KEY, ...extractColumns(variables).filter(isAnswer)];
  const sql = `with ${peopleCte('null')},
    pseudonymised as materialized (select pe.participant_id, pseudonym_vault.pseudonym($1, pe.participant_id) as pseudonym from people pe)
    select ${columns.map((column) => `${column.sql} as "${column.name}"`).join(',\n      ')}
    from pseudonymised pn
    join research.questionnaire_wave_status w on w.participant_id = pn.participant_id and w.state <> 'SCHEDULED'
    left join research.questionnaire_wave q on q.participant_id = w.participant_id and q.wave = w.wave
    order by pn.pseudonym, w.wave`;
  return { sql, columns };
}

/** Rows and persons of a statement, without sending it. */
async function countOf(
  client: pg.ClientBase,
  sql: string,
  project: string,
): Promise<{ rows: number; persons: number }> {
  const {
    rows: [row],
  } = await client.query<{ rows: number; persons: number }>(
    `select count(*)::int as rows, count(distinct x.pseudonym)::int as persons from (${sql}) x`,
    [project],
  );
  return row!;
}

/**
 * The plan of one extract, in the caller's transaction: the disclosure check on the people's
 * quasi-identifiers (one statement), the counts of each file, the data version and design versions.
 * A fixed number of statements, whatever the extract's size.
 */
export async function planExtract(client: pg.ClientBase, record: ExtractRecord): Promise<ExtractPlan> {
  const mainVariables = record.variables.filter((name) => !extractColumns([name]).some(isAnswer));
  const answerVariables = record.variables.filter((name) => extractColumns([name]).some(isAnswer));
  const main = extractSql(mainVariables);
  const monthly = main.columns.some((column) => column.level === 'PERSON_MONTH');
  const answers = answerVariables.length > 0 ? answersSql(answerVariables) : null;

  // The quasi-identifiers of every file (the allocation month when any calendar column is held), one row per person.
  const quasiIdentifiers = quasiIdentifiersOf(record.variables);
  const { rows: people } = await client.query<Record<string, string | null>>(extractSql(quasiIdentifiers).sql, [
    record.project,
  ]);
  const disclosure = planDisclosure(people, record.variables);

  // The rows of a person-month file do not depend on its columns: counted with the cheapest monthly one.
  const mainCount = await countOf(client, extractSql(monthly ? ['month'] : []).sql, record.project);
  const answersCount = answers ? await countOf(client, answersSql([]).sql, record.project) : null;
  // access.data_version as kit/data-version.ts reads it: advanced by every write statement.
  const {
    rows: [version],
  } = await client.query<{ version: string; at: Date }>(
    `select last_value::text || ':' || is_called::text as version, now() as at from access.data_version`,
  );
  const {
    rows: [designs],
  } = await client.query<{ versions: number[] }>(
    `with ${peopleCte('null')} select coalesce(array_agg(distinct a.config_version order by a.config_version), '{}') as versions from people pe join research.allocation a on a.participant_id = pe.participant_id`,
  );
  const name = baseName(record);
  return {
    record,
    extractedAt: new Date(version!.at),
    dataVersion: version!.version,
    designVersions: designs!.versions.map(Number),
    disclosure,
    main: { ...main, meta: { file: `${name}.csv`, level: monthly ? 'PERSON_MONTH' : 'PERSON', ...mainCount } },
    answers:
      answers && answersCount
        ? { ...answers, meta: { file: `${name}.answers.csv`, level: 'PERSON_WAVE', ...answersCount } }
        : null,
  };
}

/** A column as the codebook and the scripts give it, after the disclosure plan. */
export function describedColumn(column: CodebookVariable, plan: ExtractPlan): ScriptVariable {
  const { levels } = plan.disclosure;
  const coarsening = coarseningNote(column.name, levels);
  const values = coarsenedValues(column.name, levels) ?? column.values ?? [];
  return {
    name: column.name,
    type: column.type,
    level: column.level,
    label: column.label,
    values,
    derivation: column.derivation,
    ...(coarsening ? { coarsening } : {}),
  };
}

export function scriptFiles(plan: ExtractPlan): ScriptFile[] {
  const files: ScriptFile[] = [
    {
      fileName: plan.main.meta.file,
      dataset: 'ips_data',
      columns: plan.main.columns.map((c) => describedColumn(c, plan)),
    },
  ];
  if (plan.answers)
    files.push({
      fileName: plan.answers.meta.file,
      dataset: 'ips_answers',
      columns: plan.answers.columns.map((c) => describedColumn(c, plan)),
    });
  return files;
}

export const SUPPRESSION_NOTE =
  'No direct identifier (NISS, name, address, postcode, birth date), no day (every date is a month), no free text. ' +
  'People without research consent (R1f) at extraction are absent, from every file. ' +
  `Quasi-identifiers are checked for k-anonymity (k ≥ ${EXTRACT_DISCLOSURE.k}, schema/policy.ts EXTRACT_DISCLOSURE) and coarsened step by step until it holds; ` +
  'the columns coarsened say how. An empty cell is a value not recorded, not a zero, unless the codebook says the column was withheld. ' +
  'Residual risk a user must not exploit (data use agreement): in a person-month file, relative time (month since randomisation, waves) with coarsened calendar time can locate the month of randomisation more finely than the file states.';

/** The codebook of one extract: its metadata and each file's columns, in the files' order. */
export function codebookDocument(plan: ExtractPlan) {
  const describe = (column: CodebookVariable) => {
    const { name, type, level, label, values, derivation, coarsening } = describedColumn(column, plan);
    return { name, type, level, label, values, derivation, ...(coarsening ? { coarsened: coarsening } : {}) };
  };
  const { disclosure } = plan;
  return {
    request: plan.record.requestId,
    project: plan.record.project,
    extractedAt: plan.extractedAt.toISOString(),
    dataVersion: plan.dataVersion,
    designVersions: plan.designVersions,
    files: [plan.main.meta, ...(plan.answers ? [plan.answers.meta] : [])],
    columns: plan.main.columns.map(describe),
    answerColumns: plan.answers ? plan.answers.columns.map(describe) : [],
    disclosure: {
      rule: 'k-anonymity',
      threshold: disclosure.threshold,
      quasiIdentifiers: disclosure.quasiIdentifiers,
      kReached: disclosure.kReached,
      satisfied: disclosure.satisfied,
      coarsened: disclosure.applied,
      // People whose own quasi-identifiers are withheld in their rows (local suppression): how many, and what of them.
      locallySuppressed: {
        calendar: [...disclosure.suppressed.values()].filter((kind) => kind === 'CALENDAR').length,
        allQuasiIdentifiers: [...disclosure.suppressed.values()].filter((kind) => kind === 'ALL').length,
      },
      why: EXTRACT_DISCLOSURE.why,
    },
    suppression: SUPPRESSION_NOTE,
  };
}
