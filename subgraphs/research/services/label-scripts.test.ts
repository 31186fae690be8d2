/**
 * The data dictionary and label scripts of an extract (R19): REDCap's dictionary columns; the R
 * script run by Debian's R on a CSV written as the extract writer writes it (labelled factors,
 * types, labels); the Stata and SPSS syntax parsed (every variable and value label there, every
 * string literal closed). R is required where CI runs (CI=true): missing, the test fails.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codebookVariable } from './codebook.js';
import { WAVE_KEY } from './codebook-answers.js';
import { csvField } from './extract-writer.js';
import {
  DICTIONARY_HEADER,
  dictionaryCsv,
  rScript,
  rString,
  spssScript,
  spssString,
  stataScript,
  stataString,
  valueLabelsOf,
  type ScriptFile,
  type ScriptVariable,
} from './label-scripts.js';

const column = (name: string): ScriptVariable => {
  const variable = name === WAVE_KEY.name ? WAVE_KEY : codebookVariable(name)!;
  return {
    name,
    type: variable.type,
    level: variable.level,
    label: variable.label,
    values: variable.values ?? [],
    derivation: variable.derivation,
  };
};
// A coded column whose labels hold every character a script must quote: quotes, an apostrophe, accents.
const tricky: ScriptVariable = {
  name: 'tricky',
  type: 'STRING',
  level: 'PERSON',
  derivation: 'constructed',
  label: { fr: 'x', nl: 'x', en: `The "odd" one's label, é` },
  values: [
    { value: 'A', label: { fr: 'a', nl: 'a', en: `Aujourd'hui "dit" é` } },
    { value: 'B', label: { fr: 'b', nl: 'b', en: 'Plain, with comma' } },
  ],
};
const MAIN: ScriptFile = {
  fileName: 'P-1.csv',
  dataset: 'ips_data',
  columns: [
    column('pseudonym'),
    column('arm'),
    column('sex'),
    column('age_band'),
    column('weekly_hours'),
    column('competitive_job'),
    column('benefit_amount_cents'),
    tricky,
  ],
};
const ANSWERS: ScriptFile = {
  fileName: 'P-1.answers.csv',
  dataset: 'ips_answers',
  columns: [column('pseudonym'), WAVE_KEY, column('q_work_status'), column('q_work_hours'), column('q_job_search')].map(
    (c) => ('sql' in c ? column(c.name) : c),
  ),
};
const FILES = [MAIN, ANSWERS];

const MAIN_ROWS = [
  ['p1', 'IPS', 'MALE', '25-29', 19.5, true, 120000, 'A'],
  ['p2', 'CONTROL', 'FEMALE', '60+', 0, false, null, 'B'],
  ['p3', 'IPS', null, '<25', 0, false, 95000, 'A'],
];
const ANSWER_ROWS = [
  ['p1', 0, 'competitive', 19, true],
  ['p1', 1, null, null, null],
  ['p2', 0, 'none', 0, false],
];
const csv = (file: ScriptFile, rows: unknown[][]) =>
  `${[file.columns.map((c) => c.name), ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;

describe("the data dictionary (REDCap's format)", () => {
  it('has its 18 columns and one row per variable, the keys once; coded variables as dropdowns with their choices', () => {
    const lines = dictionaryCsv(FILES).trimEnd().split('\r\n');
    expect(lines[0]).toBe(DICTIONARY_HEADER.map((h) => (h.includes(',') ? `"${h}"` : h)).join(','));
    expect(DICTIONARY_HEADER).toHaveLength(18);
    const names = lines.slice(1).map((line) => line.split(',')[0]);
    expect(names).toEqual([
      'pseudonym',
      'arm',
      'sex',
      'age_band',
      'weekly_hours',
      'competitive_job',
      'benefit_amount_cents',
      'tricky',
      'questionnaire_wave',
      'q_work_status',
      'q_work_hours',
      'q_job_search',
    ]);
    expect(lines.find((line) => line.startsWith('arm,'))).toContain(
      'person,,dropdown,Trial arm,"IPS, IPS arm | CONTROL, Control arm"',
    );
    expect(lines.find((line) => line.startsWith('q_work_status,'))).toMatch(/^q_work_status,person_wave,,dropdown,/);
    expect(lines.find((line) => line.startsWith('weekly_hours,'))).toMatch(
      /^weekly_hours,person_month,,text,Weekly hours,,.*,number,/,
    );
  });
});

describe('the R label script', () => {
  const R = spawnSync('Rscript', ['--version']).status === 0;
  if (!R && process.env.CI === 'true')
    it('needs R (Debian r-base-core) where CI runs', () => expect('Rscript on PATH').toBe('missing'));
  (R ? it : it.skip)('loads the CSV files with labelled factors, typed columns and every label (Debian R)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ips-labels-'));
    try {
      writeFileSync(join(dir, MAIN.fileName), csv(MAIN, MAIN_ROWS));
      writeFileSync(join(dir, ANSWERS.fileName), csv(ANSWERS, ANSWER_ROWS));
      writeFileSync(join(dir, 'labels.R'), rScript(FILES, 'test'));
      const report = `source("labels.R")
        cat(jsonlite_free <- paste0('{"classes":{', paste0('"', names(ips_data), '":"', sapply(ips_data, function(x) class(x)[1]), '"', collapse = ","), '},',
          '"arm":[', paste0('"', as.character(ips_data$arm), '"', collapse = ","), '],',
          '"armLevels":[', paste0('"', levels(ips_data$arm), '"', collapse = ","), '],',
          '"ipsCount":', sum(ips_data$arm == "IPS arm"), ',',
          '"sexNA":', sum(is.na(ips_data$sex)), ',',
          '"hours":', sum(ips_data$weekly_hours), ',',
          '"jobs":', sum(ips_data$competitive_job), ',',
          '"trickyLevel1":"', utf8ToInt(levels(ips_data$tricky)[1])[length(utf8ToInt(levels(ips_data$tricky)[1]))], '",',
          '"armLabel":"', attr(ips_data$arm, "label"), '",',
          '"answers":', nrow(ips_answers), ',',
          '"work":[', paste0('"', as.character(ips_answers$q_work_status), '"', collapse = ","), '],',
          '"hoursClass":"', class(ips_answers$q_work_hours), '"}'))`;
      const out = execFileSync('Rscript', ['-e', report], { cwd: dir, encoding: 'utf8' });
      const result = JSON.parse(out);
      expect(result.classes).toEqual({
        pseudonym: 'character',
        arm: 'factor',
        sex: 'factor',
        age_band: 'factor',
        weekly_hours: 'numeric',
        competitive_job: 'logical',
        benefit_amount_cents: 'integer',
        tricky: 'factor',
      });
      expect(result.arm).toEqual(['IPS arm', 'Control arm', 'IPS arm']);
      expect(result.armLevels).toEqual(['IPS arm', 'Control arm']);
      expect([result.ipsCount, result.sexNA, result.hours, result.jobs]).toEqual([2, 1, 19.5, 1]);
      expect(result.trickyLevel1).toBe(String('é'.codePointAt(0))); // the accent survives the ASCII script
      expect(result.armLabel).toBe('Trial arm');
      expect(result.answers).toBe(3);
      expect(result.work).toEqual(['A paid job on the open labour market', 'NA', 'No work at the moment']); // the instrument's own wording
      expect(result.hoursClass).toBe('integer');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  (R ? it : it.skip)(
    "labels in the caller's language: French, accents and all, in the dictionary and through R",
    () => {
      expect(
        dictionaryCsv(FILES, 'fr')
          .split('\r\n')
          .find((line) => line.startsWith('arm,')),
      ).toContain('Groupe de randomisation,"IPS, Groupe IPS | CONTROL, Groupe témoin"');
      const dir = mkdtempSync(join(tmpdir(), 'ips-labels-fr-'));
      try {
        writeFileSync(join(dir, MAIN.fileName), csv(MAIN, MAIN_ROWS));
        writeFileSync(join(dir, ANSWERS.fileName), csv(ANSWERS, ANSWER_ROWS));
        writeFileSync(join(dir, 'labels.R'), rScript(FILES, 'test', 'fr'));
        const out = execFileSync(
          'Rscript',
          [
            '-e',
            'source("labels.R"); cat(paste(levels(ips_data$arm), collapse = "|"), attr(ips_data$arm, "label"), sep = "\n")',
          ],
          { cwd: dir, encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8' } },
        );
        expect(out.trim().split('\n')).toEqual(['Groupe IPS|Groupe témoin', 'Groupe de randomisation']);
        expect(stataScript(FILES, 'test', 'nl')).toMatch(
          /label define l_arm 1 `"IPS-groep"' 2 `"Controlegroep"', replace/,
        );
        expect(spssScript(FILES, 'test', 'nl')).toContain("arm 'IPS' 'IPS-groep' 'CONTROL' 'Controlegroep'");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('escapes R strings to ASCII', () => {
    expect(rString(`a "b" \\ é`)).toBe('"a \\"b\\" \\\\ \\u00e9"');
  });
});

/** The string literals of a script, in order; throws on an unclosed one. */
function stataLiterals(script: string): string[] {
  const found: string[] = [];
  for (const line of script.split('\n')) {
    if (line.startsWith('*')) continue;
    let rest = line;
    for (;;) {
      const compound = rest.indexOf('`"');
      if (compound < 0) break;
      const end = rest.indexOf(`"'`, compound + 2);
      if (end < 0) throw new Error(`unclosed compound quote: ${line}`);
      found.push(rest.slice(compound + 2, end));
      rest = rest.slice(end + 2);
    }
  }
  return found;
}
function spssLiterals(script: string): string[] {
  const found: string[] = [];
  for (const line of script.split('\n')) {
    if (line.startsWith('*')) continue;
    let i = 0;
    while (i < line.length) {
      if (line[i] === "'") {
        let text = '';
        i++;
        for (;;) {
          if (i >= line.length) throw new Error(`unclosed quote: ${line}`);
          if (line[i] === "'" && line[i + 1] === "'") ((text += "'"), (i += 2));
          else if (line[i] === "'") break;
          else text += line[i++];
        }
        found.push(text);
      }
      i++;
    }
  }
  return found;
}

describe('the Stata label script', () => {
  const script = stataScript(FILES, 'test');
  it('imports each file as text, labels every variable, defines and attaches every value label, and saves each file', () => {
    expect(script.match(/^import delimited using `"(.+?)"'/gm)).toEqual([
      'import delimited using `"P-1.csv"\'',
      'import delimited using `"P-1.answers.csv"\'',
    ]);
    for (const file of FILES)
      for (const c of file.columns) expect(script).toContain(`label variable ${c.name} ${stataString(c.label.en)}`);
    for (const c of FILES.flatMap((f) => f.columns).filter((c) => c.type === 'STRING' && c.values.length > 0)) {
      expect(script).toContain(`label values ${c.name} l_${c.name}`);
      c.values.forEach((v, i) => {
        expect(script).toContain(`replace ips__v = ${i + 1} if ${c.name} == \`"${v.value}"'`);
        expect(script).toContain(`${i + 1} ${stataString(v.label.en)}`);
      });
    }
    expect(script).toContain('label values competitive_job yes_no');
    expect(script).toContain('destring weekly_hours, replace');
    expect(script).toMatch(/label define l_questionnaire_wave 0 `"Baseline"' 1 `"6 months"'/);
    expect(script).toContain('save `"P-1.answers.dta"\', replace');
  });
  it("closes every compound quote, and keeps labels within Stata's 80 characters", () => {
    const literals = stataLiterals(script);
    expect(literals).toContain(`The "odd" one's label, é`); // compound quotes hold a double quote as it is
    expect(literals.filter((text) => text.length > 80 && !text.endsWith('.csv') && !text.endsWith('.dta'))).toEqual([]);
  });
});

describe('the SPSS label script', () => {
  const script = spssScript(FILES, 'test');
  it('reads each file with a format per column, and gives every variable its label and every coded one its value labels', () => {
    expect(script.match(/\/FILE='(.+)'/g)).toEqual(["/FILE='P-1.csv'", "/FILE='P-1.answers.csv'"]);
    expect(script).toContain('    weekly_hours F16.4');
    expect(script).toContain('    benefit_amount_cents F12.0');
    expect(script).toContain('    pseudonym A64');
    for (const file of FILES)
      for (const c of file.columns)
        expect(script).toMatch(
          new RegExp(`^  /?${c.name} ${spssString(c.label.en).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'),
        );
    for (const c of FILES.flatMap((f) => f.columns).filter((c) => valueLabelsOf(c).length > 0)) {
      const numeric = c.type === 'INTEGER';
      const pairs = valueLabelsOf(c)
        .map((v) => `${numeric ? v.value : spssString(v.value)} ${spssString(v.label.en)}`)
        .join(' ');
      expect(script).toContain(`${c.name} ${pairs}`);
    }
    expect(script.match(/^EXECUTE\.$/gm)).toHaveLength(2);
  });
  it('closes every quoted string, an apostrophe doubled', () => {
    const literals = spssLiterals(script);
    expect(literals).toContain(`The "odd" one's label, é`);
    expect(literals).toContain(`Aujourd'hui "dit" é`);
    expect(spssString("it's")).toBe("'it''s'");
  });
});
